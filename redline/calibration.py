"""Calibrated confidence: when redline says 0.8, about 80% of such findings should be right.

Detectors compute a raw score from the strength of their cues; an isotonic map fitted on the
dev half of a labelled set (``redline calibrate``) turns it into a probability.  The map is data
(``data/calibration/<lang>.json``): a list of ``[raw upper bound, probability]`` steps.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources

_ENABLED = [True]


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


def fit_isotonic(pairs: list[tuple[float, bool]]) -> list[list[float]]:
    """Pool-adjacent-violators: a non-decreasing step map from raw score to share correct."""
    blocks: list[list[float]] = []  # [upper raw, sum correct, count]
    for raw, ok in sorted(pairs):
        if blocks and blocks[-1][0] == raw:
            blocks[-1][1] += ok
            blocks[-1][2] += 1
        else:
            blocks.append([raw, float(ok), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            upper, s, n = blocks.pop()
            blocks[-1] = [upper, blocks[-1][1] + s, blocks[-1][2] + n]
    return [[round(b[0], 4), round(b[1] / b[2], 3)] for b in blocks]


Calibrator = Callable[[float], float]
