"""Measure redline on labelled data: ``redline eval DATASET.jsonl --task events``.

The events task reads sentences labelled with their expected events (the format of
``tests/data/events_en.jsonl``) and reports, over all sentences, detection precision/recall/F1
("does the sentence hold an act of force?") and per-field accuracy on the sentences where both
gold and redline found an event: action, modality, conditional, severity (exact and within 1)
and target (the predicted target overlaps the gold one).  Where the gold event carries a CAMEO
code (``tests/data/actions_*.jsonl``; negated and question events carry none, and are not
counted), the code's accuracy on the findings redline gets right (its action and modality) is
reported at full code and at root (the first two digits: "1832" and "183" share the root "18").
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.eval.metrics import Confusion


@dataclass(slots=True)
class EventScores:
    counts: Confusion = field(default_factory=Confusion)
    fields: Counter = field(default_factory=Counter)
    matched: int = 0
    with_target: int = 0
    with_cameo: int = 0  # findings right in action and modality whose gold has a CAMEO code
    confusion: Counter = field(default_factory=Counter)  # (gold modality, predicted modality)
    errors: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        return self.counts.prf()

    def accuracy(self, name: str) -> float:
        denom = (self.with_target if name == "target" else
                 self.with_cameo if name.startswith("cameo") else self.matched)
        return self.fields[name] / denom if denom else 0.0

    def as_dict(self) -> dict[str, Any]:
        p, r, f = self.prf()
        out: dict[str, Any] = {
            "sentences": self.counts.tp + self.counts.fp + self.counts.fn + self.counts.tn,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "matched": self.matched,
        }
        for name in (
            "action",
            "modality",
            "conditional",
            "severity",
            "severity_within_1",
            "target",
        ):
            out[f"{name}_accuracy"] = round(self.accuracy(name), 3)
        if self.with_cameo:
            out["with_cameo"] = self.with_cameo
            out["cameo_accuracy"] = round(self.accuracy("cameo"), 3)
            out["cameo_root_accuracy"] = round(self.accuracy("cameo_root"), 3)
        return out


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score_events(records: Iterable[dict[str, Any]], lang: str = "en") -> EventScores:
    """Score redline's findings against the labelled events of each record."""
    from redline.engine import analyze

    scores = EventScores()
    for rec in records:
        gold = rec.get("events") or []
        found = analyze(rec["text"], lang=lang).findings
        if gold and found:
            scores.counts.tp += 1
            _score_fields(rec, gold, found, scores)
        elif found:
            scores.counts.fp += 1
            scores.errors.append(
                f"FP {rec.get('id')}: {found[0].action}/{found[0].modality} in {rec['text']!r}"
            )
        elif gold:
            scores.counts.fn += 1
            scores.errors.append(
                f"FN {rec.get('id')}: {gold[0]['action']}/{gold[0]['modality']} in {rec['text']!r}"
            )
        else:
            scores.counts.tn += 1
    return scores


def _score_fields(rec: dict[str, Any], gold: list[dict], found: list, s: EventScores) -> None:
    g = gold[0]
    best = max(
        found, key=lambda f: (f.action == g["action"], f.modality == g["modality"], f.severity)
    )
    s.matched += 1
    s.fields["action"] += best.action == g["action"]
    s.fields["modality"] += best.modality == g["modality"]
    s.fields["conditional"] += best.conditional == bool(g.get("conditional"))
    s.fields["severity"] += best.severity == g["severity"]
    s.fields["severity_within_1"] += abs(best.severity - g["severity"]) <= 1
    s.confusion[(g["modality"], best.modality)] += 1
    if g.get("target"):
        s.with_target += 1
        start = rec["text"].find(g["target"])
        end = start + len(g["target"])
        s.fields["target"] += any(
            t.start is not None and t.start < end and start < t.end for t in best.targets
        )
    if g.get("cameo") and best.action == g["action"] and best.modality == g["modality"]:
        _score_cameo(rec, g.get("cameo"), best.cameo, s)
    if best.action != g["action"] or best.modality != g["modality"]:
        s.errors.append(
            f"FIELD {rec.get('id')}: gold {g['action']}/{g['modality']} got "
            f"{best.action}/{best.modality} in {rec['text']!r}"
        )


def cameo_root(code: str | None) -> str | None:
    """CAMEO's root event class: the first two digits ("1832" -> "18", "012" -> "01")."""
    return code[:2] if code else code


def _score_cameo(rec: dict[str, Any], gold: str | None, found: str | None,
                 s: EventScores) -> None:
    s.with_cameo += 1
    s.fields["cameo"] += gold == found
    s.fields["cameo_root"] += cameo_root(gold) == cameo_root(found)
    if gold != found:
        s.errors.append(f"CAMEO {rec.get('id')}: gold {gold} got {found} in {rec['text']!r}")


def format_event_report(scores: EventScores) -> str:
    d = scores.as_dict()
    lines = [
        f"events: {d['sentences']} sentences, {d['matched']} with both gold and found events",
        f"  detection  precision {d['precision']:.3f}  recall {d['recall']:.3f}  "
        f"F1 {d['f1']:.3f}  (tp {scores.counts.tp}, fp {scores.counts.fp}, fn {scores.counts.fn}, "
        f"tn {scores.counts.tn})",
    ]
    for name in ("action", "modality", "conditional", "severity", "severity_within_1", "target"):
        lines.append(f"  {name:18} accuracy {d[name + '_accuracy']:.3f}")
    if scores.with_cameo:
        lines.append(f"  CAMEO code accuracy {d['cameo_accuracy']:.3f}, at root "
                     f"{d['cameo_root_accuracy']:.3f} (on the {scores.with_cameo} findings right "
                     "in action and modality whose gold has a code)")
    mods = sorted({m for pair in scores.confusion for m in pair})
    lines.append("  modality confusion (rows gold, columns redline):")
    lines.append("    " + " " * 11 + "".join(f"{m[:8]:>9}" for m in mods))
    for g in mods:
        row = "".join(f"{scores.confusion[(g, p)]:>9}" for p in mods)
        lines.append(f"    {g[:10]:11}{row}")
    return "\n".join(lines)


def split_half(records: list[dict[str, Any]], half: str) -> list[dict[str, Any]]:
    """The dev (even) or test (odd) half by sha256 of the id, as in ../shared/data."""
    import hashlib

    want = 0 if half == "dev" else 1
    return [
        r
        for r in records
        if int(hashlib.sha256(str(r["id"]).encode()).hexdigest()[:8], 16) % 2 == want
    ]


def finding_outcomes(
    records: Iterable[dict[str, Any]], lang: str = "en"
) -> list[tuple[float, bool]]:
    """(confidence, right?) for every finding: right when a gold event has its action and
    modality."""
    from redline.engine import analyze

    out = []
    for rec in records:
        gold = {(e["action"], e["modality"]) for e in rec.get("events") or []}
        for f in analyze(rec["text"], lang=lang).findings:
            out.append((f.confidence, (f.action, f.modality) in gold))
    return out


def reliability_table(pairs: list[tuple[float, bool]], bins: int = 5) -> list[dict[str, Any]]:
    """Findings grouped by confidence: mean confidence against the share that is right."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in pairs if lo < c <= hi or (b == 0 and c == 0)]
        if inside:
            rows.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": len(inside),
                    "mean_confidence": round(sum(c for c, _ in inside) / len(inside), 3),
                    "share_right": round(sum(ok for _, ok in inside) / len(inside), 3),
                }
            )
    return rows


def expected_calibration_error(pairs: list[tuple[float, bool]], bins: int = 5) -> float:
    rows = reliability_table(pairs, bins)
    total = sum(r["n"] for r in rows) or 1
    return round(
        sum(r["n"] * abs(r["mean_confidence"] - r["share_right"]) for r in rows) / total, 3
    )


def pair_agreement(records: list[dict[str, Any]], partners: list[dict[str, Any]],
                   lang: str, partner_lang: str) -> dict[str, Any]:
    """Sentence pairs (``pair`` ids): share whose findings align and agree (compare.align)."""
    from redline.engine import analyze
    from redline.eval.compare import align

    by_id = {r["id"]: r for r in partners}
    pairs = [(r, by_id[r["pair"]]) for r in records if r.get("pair") in by_id]
    agreeing = 0
    disagreements = []
    for rec, other in pairs:
        a = analyze(rec["text"], lang=lang).findings
        b = analyze(other["text"], lang=partner_lang).findings
        if align(a, b).agreement == 1.0:
            agreeing += 1
        else:
            disagreements.append(f"{rec['id']}~{other['id']}: "
                                 f"{[(f.action, f.modality) for f in a]} vs "
                                 f"{[(f.action, f.modality) for f in b]}")
    share = agreeing / len(pairs) if pairs else 0.0
    return {"pairs": len(pairs), "agreeing": agreeing, "agreement": round(share, 3),
            "disagreements": disagreements}
