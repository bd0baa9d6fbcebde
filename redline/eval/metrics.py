"""Precision, recall and F1: the one confusion table every measure of redline uses."""

from __future__ import annotations

from dataclasses import dataclass


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass(slots=True)
class Confusion:
    """Counts of a yes/no decision against gold; ``weight`` makes it an estimate for a
    population a sample stands for."""

    tp: float = 0
    fp: float = 0
    fn: float = 0
    tn: float = 0

    def add(self, gold: bool, pred: bool, weight: float = 1) -> None:
        if gold and pred:
            self.tp += weight
        elif pred:
            self.fp += weight
        elif gold:
            self.fn += weight
        else:
            self.tn += weight

    def prf(self) -> tuple[float, float, float]:
        return prf(self.tp, self.fp, self.fn)

    def scores(self) -> dict[str, float]:
        p, r, f = self.prf()
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}
