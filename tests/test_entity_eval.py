"""The entity-index measurement: scoring rules, the gold file, and the figures (issue 18)."""

from __future__ import annotations

import json

import pytest

from redline.eval.entities import GOLD, GoldEntity, evaluate, load_gold, overall, score_document


def test_scoring_counts_splits_and_wrong_types_as_errors():
    gold = [GoldEntity("Vladimir Putin", "PERSON", ("Putin",)), GoldEntity("Kyiv", "PLACE")]
    index = [("Vladimir Putin", "PERSON"), ("Putin", "PERSON"), ("Kyiv", "ORG")]
    s = score_document("d", gold, index)
    assert (s.correct, s.predicted, s.found, s.gold) == (1, 3, 1, 2)
    assert s.false_positives == ["Putin (PERSON) [split]", "Kyiv (ORG)"]
    assert s.missed == ["Kyiv (PLACE)"]


def test_gold_holds_references_only():
    """Names, types and ids: no field long enough to carry text from ../shared."""
    for line in GOLD.read_text("utf-8").splitlines():
        raw = json.loads(line)
        assert set(raw) <= {"doc", "name", "type", "also"}
        assert all(len(n) <= 60 for n in (raw["name"], *raw.get("also", ())))
    docs = load_gold()
    assert len(docs) == 5 and "seed-interview" in docs and "carlson-2024-en" in docs


def test_entity_index_precision_and_recall():
    """Overall targets of issue 18 on the five annotated documents (those on this machine)."""
    scores, skipped = evaluate()
    if len(skipped) == len(load_gold()) - 1 and skipped:
        pytest.skip("../shared is not on this machine: only the Carlson interview is here")
    total = overall(scores)
    assert total.precision >= 0.95, [s.as_dict() for s in scores]
    assert total.recall >= 0.90, [s.as_dict() for s in scores]
