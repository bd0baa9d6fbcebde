"""Confidence: one raw score for every language, then a calibrated map where one is shipped.

The raw score says how often each kind of reading is right, roughly: questions and reports are
easy to read, threats and proposals hinge on subtle cues; a target linked to an entity makes a
reading surer, a target that is only a pronoun less so, a multi-word phrase more. An isotonic
map fitted on the dev half of a labelled set (``redline calibrate``; `redline.eval.calibration`)
turns the score into a probability: ``data/calibration/<lang>.json``, a list of
``[raw upper bound, probability]`` steps. Without a map the raw score is reported.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

MODALITY_BASE = {
    "question": 0.8,
    "report": 0.75,
    "call": 0.7,
    "negated": 0.7,
    "prediction": 0.55,
    "threat": 0.55,
    "proposal": 0.45,
}
ASSERTED = 0.5  # without a trained scorer: a finding at least this sure is asserted
_ENABLED = [True]


def asserted(language: str) -> float:
    """How sure a finding in ``language`` must be for redline to assert it (to count it in a
    measure, to headline it): the threshold fitted with the trained scorer on the corpus's dev
    split where the scorer serves the language, else `ASSERTED`."""
    from redline.detect.core.scorer import load_scorer

    model = load_scorer()
    if model is None or language not in model.languages:
        return ASSERTED
    return float(model.meta.get("asserted", ASSERTED))


def rules_only() -> bool:
    """Whether the detectors report raw scores (`raw_scores`): the trained scorer's join
    stays out then, as its map was fitted on the calibrated ones."""
    return not _ENABLED[0]


def raw_confidence(trig: Any, modality: str, targets: list[Any]) -> float:
    """A raw score from the kind of reading and the strength of its cues."""
    score = MODALITY_BASE[modality]
    if any(t.linked for t in targets):
        score += 0.1
    elif targets and all(t.pronoun for t in targets):
        score -= 0.1
    if trig.kind == "phrase":
        score += 0.05
    return round(min(max(score, 0.05), 0.95), 3)


@contextmanager
def raw_scores() -> Iterator[None]:
    """Within this block detectors report raw scores (to fit a new map)."""
    _ENABLED[0] = False
    try:
        yield
    finally:
        _ENABLED[0] = True


@lru_cache(maxsize=4)
def _steps(language: str) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    path = resources.files("redline").joinpath(f"data/calibration/{language}.json")
    if not path.is_file():
        return None
    steps = json.loads(path.read_text("utf-8"))["steps"]
    return tuple(s[0] for s in steps), tuple(s[1] for s in steps)


def calibrate(raw: float, language: str) -> float:
    """The probability for a raw score; the raw score itself when no map is shipped."""
    steps = _steps(language)
    if steps is None or not _ENABLED[0]:
        return raw
    bounds, probs = steps
    i = min(bisect_left(bounds, raw - 1e-9), len(probs) - 1)
    return probs[i]
