"""A new language is a language pack plus a register call: no other file changes.

This test writes a toy codebook for a third language (a few words of Esperanto), registers a
parse component and the generic lexical event pack for it, and runs the command line end to
end: the language is accepted, its findings carry evidence from its own codebook, and it is
listed among the components. Nothing in ``redline/`` knows the language.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from redline.cli import main
from redline.detect.core.lexical import LexicalEvents
from redline.engine import registry
from redline.lang.simple import simple_parse
from redline.registry import Context, component

TOY_CODEBOOK = """
[meta]
label = "codebook eo"

[[trigger]]
action = "military_attack"
verbs = ["atakos", "atakis", "ataki"]
nouns = ["atako"]

[[trigger]]
action = "destroy"
verbs = ["detruos", "detruis"]
needs_target = true

[targets]
nouns = ["urbon", "ponton"]

[modality]
first_person = ["ni", "mi"]
negators = ["ne", "neniam"]
call_aux = ["devas"]
future_forms = ["atakos", "detruos"]
"""


@pytest.fixture
def esperanto(tmp_path):
    """Register a toy Esperanto pack for the length of one test."""
    path = tmp_path / "codebook.toml"
    path.write_text(TOY_CODEBOOK, encoding="utf-8")

    @component("esperanto_parse", "parse", ("eo",), label="Esperanto")
    def parse(ctx: Context) -> None:
        ctx.chunks = simple_parse(ctx.text, [(s.start, s.end) for s in ctx.analysis.segments])

    reg = registry()
    reg.register(parse)
    reg.register(LexicalEvents("eo", codebook=str(path)))
    yield tmp_path
    reg.unregister("esperanto_parse")
    reg.unregister("events_eo")


def test_a_toy_language_runs_end_to_end_through_the_cli(esperanto):
    doc = esperanto / "parolado.txt"
    doc.write_text("Ni detruos la ponton. Ni ne atakos la urbon. Ili atakis la urbon.",
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(doc), "--lang", "eo"])
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.output)
    assert analysis["document"]["language"] == "eo"
    found = [(f["action"], f["modality"], f["text"]) for f in analysis["findings"]]
    assert found == [("destroy", "threat", "Ni detruos la ponton"),
                     ("military_attack", "negated", "Ni ne atakos la urbon"),
                     ("military_attack", "report", "atakis la urbon")]
    first = analysis["findings"][0]
    assert "codebook eo" in first["evidence"][0]["why"]
    assert first["targets"][0]["text"] == "ponton"
    assert first["severity"] == 6  # a bridge: destruction short of a city (vocabulary)


def test_the_toy_language_is_listed_and_refused_when_absent(esperanto, tmp_path):
    listed = CliRunner().invoke(main, ["components"])
    assert "events_eo" in listed.output and "esperanto_parse" in listed.output
    registry().unregister("events_eo")
    registry().unregister("esperanto_parse")
    doc = tmp_path / "x.txt"
    doc.write_text("Ni atakos.", encoding="utf-8")
    refused = CliRunner().invoke(main, ["analyze", str(doc), "--lang", "eo"])
    assert refused.exit_code == 2
    assert "unknown language 'eo'" in refused.output
