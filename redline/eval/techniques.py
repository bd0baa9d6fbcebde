"""Span-level scores for persuasion techniques, by the SemEval propaganda-span rule.

``redline eval DATA.jsonl --task techniques`` reads passages in the SemEval span format
(``{"text", "spans": [{"start", "end", "technique"}]}``) and scores redline's technique spans
with partial-overlap credit (SemEval-2020 Task 11 / SemEval-2023 Task 3 span scoring):

    P = 1/|S| * sum over predicted s, gold t of |s ∩ t| / |s|   (same technique only)
    R = 1/|T| * sum over gold t, predicted s of |s ∩ t| / |t|

per technique and micro-averaged over all techniques.

``redline eval --task techniques`` with no DATASET scores the real-speech technique sets
(``tests/data/techniques_real_{en,ru}.jsonl``, one split) beside the written passages. A real
record names a sentence of a speech by offsets; it is analysed with the sentences around it,
and only spans inside the sentence, of the techniques its annotators labelled, are scored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Span = tuple[int, int]
DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
# The techniques the real-speech sets label (docs/annotation-techniques.md); spans of others
# cannot be judged on them and are left out of their scores.
REAL_TECHNIQUES = ("loaded_language", "name_calling", "repetition", "casting_doubt",
                   "exaggeration_minimisation", "flag_waving", "appeal_to_fear", "whataboutism")


def _credit(spans: list[Span], others: list[Span]) -> float:
    """Sum over ``spans`` of the share of each covered by ``others`` (capped at 1 per span)."""
    total = 0.0
    for s, e in spans:
        covered = sum(max(0, min(e, oe) - max(s, os_)) for os_, oe in others)
        total += min(1.0, covered / (e - s)) if e > s else 0.0
    return total


def score_spans(pairs: Iterable[tuple[dict[str, list[Span]], dict[str, list[Span]]]]
                ) -> dict[str, dict[str, float]]:
    """Per-technique and micro precision/recall/F1 from (predicted, gold) span maps."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0.0, 0])  # pc, |S|, rc, |T|
    for pred, gold in pairs:
        for tech in set(pred) | set(gold):
            p, g = pred.get(tech, []), gold.get(tech, [])
            row = sums[tech]
            row[0] += _credit(p, g)
            row[1] += len(p)
            row[2] += _credit(g, p)
            row[3] += len(g)
    out = {tech: _prf(*row) for tech, row in sorted(sums.items())}
    total = [sum(r[i] for r in sums.values()) for i in range(4)]
    out["micro"] = _prf(*total)
    return out


def _prf(pc: float, n_pred: float, rc: float, n_gold: float) -> dict[str, float]:
    p = pc / n_pred if n_pred else 0.0
    r = rc / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "predicted": int(n_pred), "gold": int(n_gold)}


def evaluate_techniques(records: list[dict[str, Any]], lang: str = "en") -> dict[str, Any]:
    """Analyse every passage and score its technique spans against the gold spans."""
    from redline.engine import analyze

    pairs = []
    negatives = flagged = 0
    for rec in records:
        found = analyze(rec["text"], lang=rec.get("lang") or lang).techniques
        if "window" in rec:  # a real sentence read in its context: score the sentence alone
            lo, hi = rec["window"]
            found = [t for t in found if lo <= t.start and t.end <= hi
                     and t.technique in rec["labelled"]]
        pred: dict[str, list[Span]] = defaultdict(list)
        for t in found:
            pred[t.technique].append((t.start, t.end))
        gold: dict[str, list[Span]] = defaultdict(list)
        for sp in rec.get("spans", []):
            gold[sp["technique"]].append((sp["start"], sp["end"]))
        if not gold:
            negatives += 1
            flagged += bool(found)
        pairs.append((dict(pred), dict(gold)))
    return {"passages": len(records), "hard_negatives": negatives,
            "negatives_flagged": flagged, "scores": score_spans(pairs)}


def cue_rule_spans(text: str, lang: str) -> list[tuple[str, int, int]]:
    """(technique, start, end) of every span an analysis of ``text`` marks by its cue rules,
    the learned tagger left out: what the tagger's training joins its spans to, and what the
    cue audit reads."""
    from redline.components import default_registry
    from redline.document import Document
    from redline.engine import analyze_document

    registry = default_registry()
    registry.unregister("technique_tagger")
    found = analyze_document(Document(text=text), lang=lang, registry=registry).techniques
    return [(t.technique, t.start, t.end) for t in found]


def real_set_path(lang: str) -> Path:
    return DATA / f"techniques_real_{lang}.jsonl"


def real_passages(lang: str, split: str) -> list[dict[str, Any]]:
    """The real set's sentences of one split as passages: each sentence with the sentences
    around it (``window`` marks the sentence), its gold spans in passage offsets."""
    from redline.eval.sources import load_speeches

    with real_set_path(lang).open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    rows = [r for r in rows if split == "all" or r["split"] == split]
    texts = load_speeches({r["source"] for r in rows})
    passages = []
    for r in rows:
        before, after = r["context"]
        lo = before[0] if before else r["start"]
        hi = after[1] if after else r["end"]
        passages.append({
            "id": r["id"], "lang": lang, "source": r["source"], "text": texts[r["source"]][lo:hi],
            "window": (r["start"] - lo, r["end"] - lo), "labelled": REAL_TECHNIQUES,
            "spans": [{"technique": t["technique"], "start": t["start"] - lo,
                       "end": t["end"] - lo} for t in r["techniques"]]})
    return passages


def format_technique_report(rep: dict[str, Any]) -> str:
    lines = [f"techniques: {rep['passages']} passages; {rep['negatives_flagged']} of "
             f"{rep['hard_negatives']} passages without techniques got a span",
             f"  {'technique':34}{'precision':>10}{'recall':>8}{'F1':>7}{'pred':>6}{'gold':>6}"]
    for tech, s in rep["scores"].items():
        if tech == "micro":
            continue
        lines.append(f"  {tech:34}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}"
                     f"{s['predicted']:>6}{s['gold']:>6}")
    m = rep["scores"]["micro"]
    lines.append(f"  {'micro-average':34}{m['precision']:>10.3f}{m['recall']:>8.3f}"
                 f"{m['f1']:>7.3f}{m['predicted']:>6}{m['gold']:>6}")
    return "\n".join(lines)
