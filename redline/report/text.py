"""A readable plain-text summary: structure, speakers, entities, findings by severity."""

from __future__ import annotations

from collections import Counter

from redline.detect.core.confidence import asserted
from redline.document import Analysis, Finding

_TOP_ENTITIES = 15
_QUOTE = 110


def _quote(text: str, limit: int = _QUOTE) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_text(analysis: Analysis) -> str:
    """The summary as one string ending in a newline."""
    doc = analysis.document
    summary = analysis.summary()
    out: list[str] = []
    heading = doc.title or doc.source or doc.id
    out.append(f"== {_quote(heading, 100)} ==")
    kinds = ", ".join(f"{k} {n}" for k, n in summary["segments_by_kind"].items()) or "none"
    out.append(
        f"language {doc.language} · {len(doc.text):,} characters · "
        f"{len(analysis.segments)} segments ({kinds})"
    )
    for warning in doc.warnings:
        out.append(f"warning: {warning}")
    out.extend(_speakers(analysis))
    out.extend(_entities(analysis))
    out.extend(_findings(analysis, summary["max_severity"]))
    out.extend(_techniques(analysis))
    return "\n".join(out) + "\n"


def _speakers(analysis: Analysis) -> list[str]:
    turns = Counter(s.speaker for s in analysis.segments if s.kind == "turn" and s.speaker)
    if not turns:
        return []
    lines = ["", f"Speakers ({len(turns)}):"]
    for name, n in sorted(turns.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {name} — {n} turn{'s' if n != 1 else ''}")
    comments = sum(1 for s in analysis.segments if s.kind == "comment")
    if comments:
        lines.append(f"  + {comments} reader comment{'s' if comments != 1 else ''}")
    return lines


def _entities(analysis: Analysis) -> list[str]:
    if not analysis.entities:
        return ["", "Entities: none found"]
    ranked = sorted(analysis.entities, key=lambda e: (-len(e.mentions), e.name))
    lines = [
        "",
        f"Entities ({len(analysis.entities)}; top {min(_TOP_ENTITIES, len(ranked))} by mentions):",
    ]
    for ent in ranked[:_TOP_ENTITIES]:
        tag = ent.type + (f", {ent.country}" if ent.country else "")
        alias = f" — also: {', '.join(ent.aliases[:5])}" if ent.aliases else ""
        lines.append(f"  {ent.name} [{tag}] ×{len(ent.mentions)}{alias}")
    return lines


def _findings(analysis: Analysis, max_severity: int) -> list[str]:
    if not analysis.findings:
        return ["", "Findings: none (no threat, call, proposal, prediction or report of force)"]
    lines = ["", f"Findings ({len(analysis.findings)}; highest severity {max_severity}):"]
    for f in sorted(analysis.findings, key=lambda f: (-f.severity, f.start)):
        who = f.speaker or "—"
        if analysis.reported(f):
            who += " (reported)"  # someone else's call or threat that the text reports
        targets = ", ".join(t.text for t in f.targets) or "—"
        cond = " (conditional)" if f.conditional else ""
        actor = f" by {f.named_actor()}" if f.named_actor() else ""
        lines.append(
            f"  [{f.severity}] {f.action} · {f.modality}{cond}{actor} · {who} → {targets} "
            f"· conf {f.confidence:.2f}{_reading(f, analysis.document.language)}"
        )
        lines.append(f"      “{_quote(f.text)}”")
        shown = f.evidence[:3] + [e for e in f.evidence[3:] if e.why.startswith("whose stance")]
        for ev in shown:
            lines.append(f"      - {ev.text!r}: {ev.why}")
    return lines


def _reading(f: Finding, language: str) -> str:
    """Who read the finding, when it is not the codebook rules alone, and a doubt."""
    out = " · read by the trained model alone" if f.detector == "scorer" else ""
    return out + (" · doubted" if f.confidence < asserted(language) else "")


def _techniques(analysis: Analysis) -> list[str]:
    if not analysis.techniques:
        return []
    counts = Counter(t.technique for t in analysis.techniques)
    lines = [
        "",
        "Persuasion techniques: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())),
    ]
    for t in analysis.techniques[:20]:
        lines.append(f"  {t.technique}: “{_quote(t.text, 80)}” — {t.why}")
    return lines
