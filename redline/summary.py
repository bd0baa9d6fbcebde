"""The ``summary`` block of the analysis object: counts a reader wants first."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redline.document import Analysis


def summarise(analysis: Analysis) -> dict[str, Any]:
    """Max severity, findings by action and modality, and a per-speaker table."""
    findings = analysis.findings
    by_speaker: dict[str, dict[str, Any]] = {}
    turns = Counter(s.speaker for s in analysis.segments if s.speaker)
    for name in sorted(turns):
        by_speaker[name] = {"turns": turns[name], "findings": 0, "max_severity": 0, "techniques": 0}
    for f in findings:
        if f.speaker:
            row = by_speaker.setdefault(
                f.speaker, {"turns": 0, "findings": 0, "max_severity": 0, "techniques": 0}
            )
            row["findings"] += 1
            row["max_severity"] = max(row["max_severity"], f.severity)
    seg_speaker = {s.id: s.speaker for s in analysis.segments}
    for t in analysis.techniques:
        name = seg_speaker.get(t.segment or "")
        if name in by_speaker:
            by_speaker[name]["techniques"] += 1
    return {
        "max_severity": max((f.severity for f in findings), default=0),
        "findings": len(findings),
        "findings_by_action": dict(sorted(Counter(f.action for f in findings).items())),
        "findings_by_modality": dict(sorted(Counter(f.modality for f in findings).items())),
        "techniques_by_type": dict(
            sorted(Counter(t.technique for t in analysis.techniques).items())
        ),
        "segments_by_kind": dict(sorted(Counter(s.kind for s in analysis.segments).items())),
        "entities": len(analysis.entities),
        "by_speaker": by_speaker,
    }
