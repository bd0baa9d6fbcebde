# redline: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench eval clean install

install: $(STAMP)

# One install for everything; re-run only when the pins change.
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/redline analyze examples/un-2023-ukraine-zelenskyy.txt --format json --out out/demo.json
	$(VENV)/bin/redline analyze examples/un-2023-ukraine-zelenskyy.txt --format text
	@echo "JSON analysis written to out/demo.json"

test: $(STAMP)
	$(VENV)/bin/ruff check redline tests benchmarks
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check redline tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/bench.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
