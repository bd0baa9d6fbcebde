"""Agreement between two annotators of the real-speech corpus: Cohen's kappa on sentence labels.

Each sentence is reduced to one label per question, so that kappa is defined: does it hold an
act of force (detection); does it hold the speaker's own call, threat or proposal (the headline
question); and its strongest modality ("none" when it holds no act; several modalities resolve
by `PRIORITY`, the order in which an analyst would quote them).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

PRIORITY = ("call", "threat", "proposal", "prediction", "report", "negated", "question")
QUESTIONS = ("detection", "own_ctp", "modality")


def sentence_label(findings: list[dict[str, Any]], question: str) -> str:
    """One label for a sentence's findings, for one question."""
    if question == "detection":
        return "act" if findings else "none"
    if question == "own_ctp":
        own = any(f["stance"] == "own" and f["modality"] in PRIORITY[:3] for f in findings)
        return "yes" if own else "no"
    modalities = {f["modality"] for f in findings}
    return next((m for m in PRIORITY if m in modalities), "none")


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two annotators' labels on the same items (nan for no items)."""
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(first: dict[str, list[dict]], second: dict[str, list[dict]]) -> dict[str, Any]:
    """Kappa and raw agreement per question over the sentences both annotators labelled."""
    both = sorted(set(first) & set(second))
    row: dict[str, Any] = {"sentences": len(both)}
    for question in QUESTIONS:
        pairs = [(sentence_label(first[i], question), sentence_label(second[i], question))
                 for i in both]
        row[question] = {"kappa": round(kappa(pairs), 3),
                         "agreement": round(sum(a == b for a, b in pairs) / max(len(both), 1), 3)}
    row["positive"] = [sum(bool(first[i]) for i in both), sum(bool(second[i]) for i in both)]
    return row


def disagreements(first: dict[str, list[dict]], second: dict[str, list[dict]]) -> list[str]:
    """Ids whose labels differ on any question."""
    return [i for i in sorted(set(first) & set(second))
            if any(sentence_label(first[i], q) != sentence_label(second[i], q) for q in QUESTIONS)]
