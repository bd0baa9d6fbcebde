"""Fitting the confidence map: when redline says 0.8, about 80% of such findings should be right.

Detectors compute a raw score (`redline.detect.core.confidence`); ``redline calibrate`` fits an
isotonic map from raw score to the share of findings that are right on the dev half of a
labelled set, written as ``data/calibration/<lang>.json``. Within `raw_scores` detectors report
raw scores, so that a map can be fitted on them.
"""

from __future__ import annotations

from collections.abc import Callable

from redline.detect.core.confidence import raw_scores

__all__ = ["Calibrator", "fit_isotonic", "raw_scores"]


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
