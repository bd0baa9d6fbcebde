"""One vocabulary: every place that lists actions, modalities or techniques agrees with
``redline/data/vocabulary.toml``, and no Python file spells an action's name."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from redline.detect.core.codebook import load_codebook
from redline.document import ACTIONS, MODALITIES, TECHNIQUES
from redline.schema import analysis_schema
from redline.store.commands import ACTIONS as STORE_ACTIONS
from redline.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parents[1]


def _enum(*path: str) -> list[str]:
    node = analysis_schema()["properties"]
    for key in path:
        node = node[key] if key != "items" else node["items"]
        if "properties" in node and key != path[-1]:
            node = node["properties"]
    return node["enum"]


def test_the_schema_lists_the_vocabulary():
    assert _enum("findings", "items", "action") == list(vocabulary().actions)
    assert _enum("findings", "items", "modality") == list(vocabulary().modalities)
    assert _enum("techniques", "items", "technique") == list(vocabulary().techniques)


def test_the_document_model_and_the_store_read_it():
    assert tuple(ACTIONS) == tuple(vocabulary().actions) == tuple(STORE_ACTIONS)
    assert tuple(MODALITIES) == tuple(vocabulary().modalities)
    assert tuple(TECHNIQUES) == vocabulary().techniques


def test_the_docs_list_the_vocabulary():
    text = (ROOT / "docs" / "schema.md").read_text("utf-8")
    for column, names in (("action", vocabulary().actions), ("modality",
                                                             vocabulary().modalities)):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{column}` |"))
        assert re.findall(r"`(\w+)`", row.split("|")[2]) == list(names)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_codebook_entry_names_an_action_of_the_vocabulary(lang):
    raw = tomllib.loads((ROOT / "redline" / "detect" / lang / "codebook.toml").read_text("utf-8"))
    assert {entry["action"] for entry in raw["trigger"]} <= set(vocabulary().actions)
    book = load_codebook(lang)
    assert {t.action for ts in book.singles.values() for t in ts} <= set(vocabulary().actions)


def test_no_python_file_spells_an_action_name():
    """Code asks the vocabulary about an action; it does not name one (empath's category
    "kill" in the threat peer is not an action: the one file allowed)."""
    actions = set(vocabulary().actions)
    spelled = set()
    for path in (ROOT / "redline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and node.value in actions:
                spelled.add(path.relative_to(ROOT).as_posix())
    assert spelled <= {"redline/eval/threat.py"}, spelled
