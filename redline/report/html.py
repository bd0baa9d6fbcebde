"""The HTML report: one self-contained page per analysis, and an index page for a batch.

Why it is built this way:

* **Self-contained and offline.**  CSS, JavaScript and the escalation chart (SVG) are inlined;
  the page loads no fonts, images or scripts from anywhere, so it opens from disk, can be mailed
  to an editor, and leaks nothing about who reads it.  A Content-Security-Policy in the page
  forbids every fetch and allows only our own inline style and script, by SHA-256 hash.
* **Documents are hostile.**  Every piece of document-derived text (the text itself, titles,
  speaker names, entity names, evidence, file names) goes through Jinja2's autoescape or
  `markupsafe.escape`.  The data the script needs travels as JSON inside
  ``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc.,
  so no document text can close the element or be read as code.
* **Readable without JavaScript.**  The text, highlights, badges, summary, chart and tables are
  plain HTML; the script only adds rich tooltips, filters and keyboard navigation.
* **Overlapping spans nest validly.**  Findings and techniques may overlap one another; the text
  of each block is cut at every span boundary and each piece becomes one flat element that
  lists all the spans covering it, so the markup never needs crossing tags.
* **Deterministic.**  The same analysis gives the same bytes (no clock, no random ids, sorted
  iteration), like the JSON output.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from redline.detect.core.confidence import asserted
from redline.document import ACTIONS, MODALITIES, Analysis, Finding, Technique

_HERE = Path(__file__).resolve().parent
_STATIC = _HERE / "static"
_TEMPLATES = _HERE / "templates"

CHART_WIDTH, CHART_HEIGHT = 760, 240
_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 40, 16, 14, 30
MAX_CHART_LINES = 8
# Okabe & Ito's palette (distinguishable with the common colour-vision deficiencies), without
# its yellow, which is unreadable on white; each line also has its own marker and dash.
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                "#7F7F7F")
LINE_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4", "12 3 3 3")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "cross", "plus", "star")
# band, severities, name, what it covers, how it is marked besides colour
SEVERITY_BANDS = (
    (0, "0", "none", "no force", "thin dotted line"),
    (1, "1–3", "low", "hostile rhetoric, demands, coercion", "dotted line"),
    (2, "4–5", "moderate", "unspecified force, show of force, assault, seizure, abduction",
     "dashed line"),
    (3, "6–7", "high", "military attack, invasion, annexation", "solid line"),
    (4, "8–10", "severe", "destruction, killing leaders, mass violence, nuclear use",
     "double line, stripes"),
)
BAND_NAMES = {band: name for band, _, name, _, _ in SEVERITY_BANDS}
# The headline: findings where the speaker takes a stance, then predictions. Reports, questions
# and negated acts ("prevent our missiles from deploying their warheads") never lead it.
STANCES = ("call", "threat", "proposal")
HEADLINE_STANCES, HEADLINE_PREDICTIONS = 4, 2
# Long tables show this many rows; the rest open with "Show all" (or a link to a row).
ROWS_SHOWN = 8


def severity_band(severity: int) -> int:
    """The colour band of a severity: 0, 1 (1-3), 2 (4-5), 3 (6-7), 4 (8-10)."""
    if severity >= 8:
        return 4
    if severity >= 6:
        return 3
    if severity >= 4:
        return 2
    return 1 if severity >= 1 else 0


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline style or script."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    css = (_STATIC / "report.css").read_text(encoding="utf-8")
    js = (_STATIC / "report.js").read_text(encoding="utf-8")
    for name, body, closing in (("css", css, "</style"), ("js", js, "</script")):
        if closing in body.lower():  # would end the inline element early
            raise RuntimeError(f"report {name} must not contain {closing}")
    return css, js


def report_csp(*, scripts: bool = True) -> str:
    """The Content-Security-Policy of a report: nothing may be fetched; only our inline style
    and (for reports) our inline script run, pinned by hash.  The web app sends the same policy
    as a header with the report."""
    css, js = _assets()
    script = csp_hash(js) if scripts else "'none'"
    return (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {script}; "
        "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,  # every {{ value }} is HTML-escaped unless it is Markup we built
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["label"] = lambda s: str(s).replace("_", " ")
    return env


def script_json(value: Any) -> Markup:
    """JSON that is safe inside ``<script type="application/json">``: the characters that could
    end the element or open a comment are written as JSON escapes, which parse back the same."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


# --- highlighted text -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str  # "f" or "t"
    id: str
    severity: int = 0
    label: str = ""  # the native (no-JS) tooltip of the span's badge


def _finding_label(f: Finding, names: dict[str, str], doubted: bool) -> str:
    targets = "; ".join(_participant(t, names) for t in f.targets) or "—"
    actor = _participant(f.actor, names) if f.actor else "—"
    cond = ", conditional" if f.conditional else ""
    model = "; read by the trained model alone" if f.detector == "scorer" else ""
    model += " (doubted)" if doubted else ""
    return (
        f"Finding {f.id}: severity {f.severity}, {f.action.replace('_', ' ')}, "
        f"{f.modality}{cond}; {actor} → {targets}; confidence {f.confidence:.2f}{model}"
    )


def _technique_label(t: Technique) -> str:
    return f"Technique {t.id}: {t.technique.replace('_', ' ')} — {t.why}"


def _participant(p: Any, names: dict[str, str]) -> str:
    """The words in the text, with the canonical entity name when it says more."""
    if p is None:
        return "—"
    name = names.get(p.entity or "")
    if name and name.casefold() != p.text.casefold():
        return f"{p.text} [{name}]"
    return p.text


def _spans(analysis: Analysis, names: dict[str, str]) -> list[_Span]:
    length = len(analysis.text)
    out: list[_Span] = []
    for f in analysis.findings:
        s, e = max(0, f.start), min(length, f.end)
        if s < e:
            out.append(_Span(s, e, "f", f.id, f.severity,
                             _finding_label(f, names, _doubted(f, analysis))))
    for t in analysis.techniques:
        s, e = max(0, t.start), min(length, t.end)
        if s < e:
            out.append(_Span(s, e, "t", t.id, 0, _technique_label(t)))
    out.sort(key=lambda sp: (sp.start, -sp.end, sp.kind, sp.id))
    return out


def highlight(text: str, start: int, end: int, spans: list[_Span]) -> Markup:
    """``text[start:end]`` as escaped HTML with every span marked.

    The block is cut at every span boundary inside it; each piece is one element that names
    all the spans covering it (``data-f``/``data-t``), so overlapping findings and techniques
    never produce crossing tags.  A badge (a link to the span's table row, also the target of
    links from the table) goes before the piece where a span begins.
    """
    inside = [sp for sp in spans if sp.start < end and sp.end > start]
    if not inside:
        return escape(text[start:end])
    begins: dict[int, list[_Span]] = defaultdict(list)
    for sp in inside:  # already sorted by (start, -end, kind, id)
        begins[max(start, sp.start)].append(sp)
    cuts = sorted({start, end} | set(begins) | {min(end, sp.end) for sp in inside})
    parts: list[str] = []
    active: list[_Span] = []
    for a, b in pairwise(cuts):
        active = [sp for sp in active if sp.end > a] + begins.get(a, [])
        opening = [sp for sp in begins.get(a, []) if sp.start == a]
        parts.extend(_badge(sp) for sp in opening if sp.kind == "f")  # findings first
        parts.extend(_badge(sp) for sp in opening if sp.kind == "t")
        piece = escape(text[a:b])
        fs = [sp for sp in active if sp.kind == "f"]
        ts = [sp for sp in active if sp.kind == "t"]
        if fs:
            top = max(sp.severity for sp in fs)
            cls = f"hl sev-{severity_band(top)}" + (" tq" if ts else "")
            tattr = f' data-t="{_ids(ts)}"' if ts else ""
            parts.append(
                f'<mark class="{cls}" data-f="{_ids(fs)}"{tattr} '
                f'data-sev="{top}">{piece}</mark>'
            )
        elif ts:
            parts.append(f'<span class="tq" data-t="{_ids(ts)}">{piece}</span>')
        else:
            parts.append(str(piece))
    return Markup("".join(parts))


def _ids(spans: list[_Span]) -> str:
    return str(escape(" ".join(sp.id for sp in spans)))


def _badge(sp: _Span) -> str:
    label, sid = escape(sp.label), escape(sp.id)
    if sp.kind == "f":
        band = severity_band(sp.severity)
        return (
            f'<a class="badge sev-{band}" id="{sid}" href="#row-{sid}" data-f="{sid}" '
            f'title="{label}" aria-label="{label}. Go to the findings table.">{sp.severity}</a>'
        )
    return (
        f'<a class="tbadge" id="{sid}" href="#row-{sid}" data-t="{sid}" '
        f'title="{label}" aria-label="{label}. Go to the techniques table.">{sid}</a>'
    )


@dataclass(slots=True)
class _Block:
    kind: str  # a segment kind, or "gap" for text outside every segment
    html: Markup
    id: str | None = None
    speaker: str | None = None


def _blocks(analysis: Analysis, spans: list[_Span]) -> list[_Block]:
    """The document in order: every segment, and the text between segments when it holds
    anything but whitespace (a "Reply" link, a timestamp) or a span."""
    text = analysis.text
    starts = [sp.start for sp in spans]
    out: list[_Block] = []

    def near(a: int, b: int) -> list[_Span]:
        # spans are sorted by start; any span overlapping [a, b) starts before b
        return [sp for sp in spans[: bisect_left(starts, b)] if sp.end > a]

    def gap(a: int, b: int) -> None:
        if a >= b:
            return
        local = near(a, b)
        if text[a:b].strip() or local:
            out.append(_Block("gap", highlight(text, a, b, local)))

    pos = 0
    for seg in sorted(analysis.segments, key=lambda s: (s.start, s.end)):
        s, e = max(seg.start, pos), min(seg.end, len(text))
        gap(pos, s)
        if s < e or seg.start == seg.end:
            out.append(_Block(seg.kind, highlight(text, s, e, near(s, e)), seg.id, seg.speaker))
        pos = max(pos, e)
    gap(pos, len(text))
    return out


# --- summary, tables, chart -------------------------------------------------------------------


def _chart(analysis: Analysis) -> dict[str, Any]:
    """Severity along the document: one line per speaker (the most active ones when there are
    many; the rest share a line), points linked to their findings."""
    length = max(1, len(analysis.text))
    plot_w = CHART_WIDTH - _PAD_LEFT - _PAD_RIGHT
    plot_h = CHART_HEIGHT - _PAD_TOP - _PAD_BOTTOM

    def x(offset: int) -> float:
        return round(_PAD_LEFT + plot_w * offset / length, 1)

    def y(severity: int) -> float:
        return round(_PAD_TOP + plot_h * (1 - severity / 10), 1)

    by_speaker: dict[str | None, list[Finding]] = defaultdict(list)
    for f in analysis.findings:
        by_speaker[f.speaker].append(f)
    ranked = sorted(by_speaker, key=lambda k: (-len(by_speaker[k]), by_speaker[k][0].start))
    shown = ranked if len(ranked) <= MAX_CHART_LINES else ranked[: MAX_CHART_LINES - 1]
    groups: list[tuple[str, list[Finding]]] = [
        (name if name is not None else "(no speaker)", by_speaker[name]) for name in shown
    ]
    rest = [f for name in ranked if name not in shown for f in by_speaker[name]]
    if rest:
        others = len(ranked) - len(shown)
        groups.append((f"{others} other speakers", sorted(rest, key=lambda f: f.start)))
    groups.sort(key=lambda g: g[1][0].start)
    lines = []
    for n, (name, items) in enumerate(groups):
        points = [
            {"x": x(f.start), "y": y(f.severity), "id": f.id,
             "title": f"{f.id}: {name}, severity {f.severity}, "
                      f"{f.action.replace('_', ' ')} ({f.modality})"}
            for f in sorted(items, key=lambda f: (f.start, f.id))
        ]
        lines.append({
            "name": name,
            "colour": LINE_COLOURS[n % len(LINE_COLOURS)],
            "dash": LINE_DASHES[n % len(LINE_DASHES)],
            "marker": MARKERS[n % len(MARKERS)],
            "path": " ".join(f"{p['x']},{p['y']}" for p in points),
            "points": points,
            "count": len(items),
        })
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": _PAD_LEFT,
        "right": CHART_WIDTH - _PAD_RIGHT,
        "top": _PAD_TOP,
        "bottom": CHART_HEIGHT - _PAD_BOTTOM,
        "yticks": [{"value": v, "y": y(v)} for v in range(0, 11, 2)],
        "xticks": [{"label": f"{p}%", "x": x(length * p // 100)} for p in (0, 25, 50, 75, 100)],
        "lines": lines,
    }


def _marker(shape: str, cx: float, cy: float, r: float = 4.5) -> Markup:
    """An SVG marker shape centred on (cx, cy); shapes tell lines apart without colour."""
    def pts(coords: list[tuple[float, float]]) -> str:
        return " ".join(f"{cx + dx:.1f},{cy + dy:.1f}" for dx, dy in coords)

    if shape == "circle":
        return Markup(f'<circle cx="{cx}" cy="{cy}" r="{r}"/>')
    if shape == "square":
        return Markup(f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r}" height="{2 * r}"/>')
    if shape == "triangle":
        return Markup(f'<polygon points="{pts([(0, -r - 1), (r + 1, r), (-r - 1, r)])}"/>')
    if shape == "triangle-down":
        return Markup(f'<polygon points="{pts([(0, r + 1), (r + 1, -r), (-r - 1, -r)])}"/>')
    if shape == "diamond":
        coords = [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)]
        return Markup(f'<polygon points="{pts(coords)}"/>')
    if shape == "cross":
        k = r * 0.45
        coords = [(-r, -r + k), (-r + k, -r), (0, -k), (r - k, -r), (r, -r + k), (k, 0), (r, r - k),
                  (r - k, r), (0, k), (-r + k, r), (-r, r - k), (-k, 0)]
        return Markup(f'<polygon points="{pts(coords)}"/>')
    if shape == "plus":
        k = r * 0.38
        coords = [(-k, -r), (k, -r), (k, -k), (r, -k), (r, k), (k, k), (k, r), (-k, r), (-k, k),
                  (-r, k), (-r, -k), (-k, -k)]
        return Markup(f'<polygon points="{pts(coords)}"/>')
    # star
    coords = []
    for i in range(10):
        rad = (r + 1.5) if i % 2 == 0 else (r + 1.5) * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        coords.append((rad * math.cos(angle), -rad * math.sin(angle)))
    return Markup(f'<polygon points="{pts(coords)}"/>')


def _entity_index(analysis: Analysis) -> list[dict[str, Any]]:
    as_actor: Counter[str] = Counter()
    as_target: Counter[str] = Counter()
    for f in analysis.findings:
        if f.actor and f.actor.entity:
            as_actor[f.actor.entity] += 1
        for ent_id in {t.entity for t in f.targets if t.entity}:
            as_target[ent_id] += 1
    rows = [
        {
            "id": e.id, "name": e.name, "type": e.type, "country": e.country,
            "aliases": list(e.aliases), "mentions": len(e.mentions),
            "as_actor": as_actor[e.id], "as_target": as_target[e.id],
        }
        for e in analysis.entities
    ]
    rows.sort(key=lambda r: (-r["mentions"], -(r["as_actor"] + r["as_target"]), r["name"], r["id"]))
    return rows


def _speaker_rows(analysis: Analysis, summary: dict[str, Any]) -> list[dict[str, Any]]:
    kinds: dict[str, set[str]] = defaultdict(set)
    for s in analysis.segments:
        if s.speaker:
            kinds[s.speaker].add(s.kind)
    seg_speaker = {s.id: s.speaker for s in analysis.segments}
    tech: dict[str, Counter[str]] = defaultdict(Counter)
    for t in analysis.techniques:
        name = seg_speaker.get(t.segment or "")
        if name:
            tech[name][t.technique] += 1
    rows = []
    for name, row in summary["by_speaker"].items():
        rows.append({
            "name": name,
            "role": "commenter" if kinds.get(name) == {"comment"} else "speaker",
            "turns": row["turns"],
            "findings": row["findings"],
            "max_severity": row["max_severity"],
            "techniques": row["techniques"],
            "technique_names": ", ".join(
                f"{k.replace('_', ' ')} ×{n}" if n > 1 else k.replace("_", " ")
                for k, n in sorted(tech[name].items())
            ),
        })
    rows.sort(key=lambda r: (-r["max_severity"], -r["findings"], -r["turns"], r["name"]))
    return rows


def _doubted(f: Finding, analysis: Analysis) -> bool:
    """Below the confidence redline asserts from (the trained scorer doubts it)."""
    return f.confidence < asserted(analysis.document.language)


def _finding_rows(analysis: Analysis, names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": f.id, "severity": f.severity, "band": severity_band(f.severity),
            "action": f.action, "modality": f.modality, "conditional": f.conditional,
            "speaker": f.speaker, "actor": _participant(f.actor, names) if f.actor else "—",
            "targets": [_participant(t, names) for t in f.targets],
            "confidence": f"{f.confidence:.2f}", "cameo": f.cameo, "text": f.text,
            "segment": f.segment, "by_model": f.detector == "scorer",
            "doubted": _doubted(f, analysis),
            "evidence": [{"text": ev.text, "why": ev.why} for ev in f.evidence],
        }
        for f in analysis.findings
    ]


def _technique_rows(analysis: Analysis) -> list[dict[str, Any]]:
    seg_speaker = {s.id: s.speaker for s in analysis.segments}
    return [
        {
            "id": t.id, "technique": t.technique, "speaker": seg_speaker.get(t.segment or ""),
            "text": t.text, "confidence": f"{t.confidence:.2f}", "why": t.why,
            "segment": t.segment,
        }
        for t in analysis.techniques
    ]


def _script_data(analysis: Analysis, names: dict[str, str]) -> dict[str, Any]:
    """What the script needs for tooltips and filters, and nothing more (the full analysis is
    the JSON output's job)."""
    seg_speaker = {s.id: s.speaker for s in analysis.segments}
    speakers = sorted({f.speaker for f in analysis.findings if f.speaker}
                      | {s.speaker for s in analysis.segments if s.speaker})
    return {
        "speakers": [*speakers, None],
        "findings": [
            {
                "id": f.id, "severity": f.severity, "action": f.action, "modality": f.modality,
                "conditional": f.conditional, "speaker": f.speaker,
                "actor": _participant(f.actor, names) if f.actor else None,
                "targets": [_participant(t, names) for t in f.targets],
                "confidence": round(f.confidence, 3), "cameo": f.cameo,
                "evidence": [[ev.text, ev.why] for ev in f.evidence],
            }
            for f in analysis.findings
        ],
        "techniques": [
            {
                "id": t.id, "technique": t.technique, "why": t.why,
                "confidence": round(t.confidence, 3),
                "speaker": seg_speaker.get(t.segment or ""),
            }
            for t in analysis.techniques
        ],
    }


def _headline(analysis: Analysis, seg_kind: dict[str, str]) -> list[dict[str, Any]]:
    """The findings a reader should see first: the most severe stances (call, threat,
    proposal), then the most severe predictions. Within each group findings the scorer doubts
    come after asserted ones, so that a lone doubted reading does not outrank a clear call."""
    def pick(modalities: tuple[str, ...], n: int, group: str) -> list[dict[str, Any]]:
        chosen = sorted((f for f in analysis.findings if f.modality in modalities),
                        key=lambda f: (_doubted(f, analysis), -f.severity, f.start, f.id))[:n]
        return [{"id": f.id, "group": group, "severity": f.severity,
                 "band": severity_band(f.severity), "speaker": f.speaker, "text": f.text,
                 "action": f.action, "modality": f.modality, "segment": f.segment,
                 "kind": seg_kind.get(f.segment or "", ""), "doubted": _doubted(f, analysis),
                 "actor": f.named_actor()}
                for f in chosen]

    return (pick(STANCES, HEADLINE_STANCES, "stance")
            + pick(("prediction",), HEADLINE_PREDICTIONS, "prediction"))


def _panel(analysis: Analysis, seg_kind: dict[str, str]) -> list[dict[str, Any]]:
    """Every finding in document order, compact, for the panel beside the text."""
    return [
        {"id": f.id, "severity": f.severity, "band": severity_band(f.severity),
         "action": f.action, "modality": f.modality, "speaker": f.speaker,
         "kind": seg_kind.get(f.segment or "", ""), "text": f.text}
        for f in sorted(analysis.findings, key=lambda f: (f.start, f.id))
    ]


def _display_title(analysis: Analysis) -> str:
    doc = analysis.document
    if doc.title and doc.title.strip():
        return " ".join(doc.title.split())
    if doc.source and doc.source != "<stdin>":
        return Path(doc.source).name or doc.source
    return doc.id


def report_context(analysis: Analysis, *, home_url: str | None = None) -> dict[str, Any]:
    """Everything the report template shows, as plain values (the template escapes them)."""
    doc = analysis.document
    summary = analysis.summary()
    names = {e.id: e.name for e in analysis.entities}
    spans = _spans(analysis, names)
    max_sev = summary["max_severity"]
    peaks = [f for f in analysis.findings if f.severity == max_sev] if analysis.findings else []
    seg_kind = {s.id: s.kind for s in analysis.segments}
    data = _script_data(analysis, names)
    return {
        "title": _display_title(analysis),
        "doc": {
            "id": doc.id, "source": doc.source, "title": doc.title, "language": doc.language,
            "length": len(doc.text), "words": len(doc.text.split()),
            "date": doc.meta.get("date"), "warnings": list(doc.warnings),
        },
        "version": analysis.version,
        "summary": summary,
        "max_severity": max_sev,
        "max_band": severity_band(max_sev),
        "peaks": [
            {"id": f.id, "speaker": f.speaker, "text": f.text, "action": f.action,
             "modality": f.modality, "segment": f.segment,
             "kind": seg_kind.get(f.segment or "", "")}
            for f in peaks[:5]
        ],
        "more_peaks": max(0, len(peaks) - 5),
        "headline": _headline(analysis, seg_kind),
        "panel": _panel(analysis, seg_kind),
        "rows_shown": ROWS_SHOWN,
        "counts": {
            "turns": sum(1 for s in analysis.segments if s.kind == "turn"),
            "speakers": len({s.speaker for s in analysis.segments if s.kind == "turn"}),
            "comments": sum(1 for s in analysis.segments if s.kind == "comment"),
            "notes": sum(1 for s in analysis.segments if s.kind == "note"),
        },
        "speakers": _speaker_rows(analysis, summary),
        "entities": _entity_index(analysis),
        "findings": _finding_rows(analysis, names),
        "techniques": _technique_rows(analysis),
        "blocks": _blocks(analysis, spans),
        "chart": _chart(analysis),
        "bands": [{"band": b, "range": r, "name": n, "meaning": m, "pattern": p}
                  for b, r, n, m, p in SEVERITY_BANDS],
        "band_names": BAND_NAMES,
        "filter_speakers": [
            {"value": i, "label": name if name is not None else "(no speaker)"}
            for i, name in enumerate(data["speakers"])
        ],
        "filter_actions": [a for a in ACTIONS if a in summary["findings_by_action"]],
        "filter_modalities": [m for m in MODALITIES if m in summary["findings_by_modality"]],
        "filter_techniques": sorted(summary["techniques_by_type"]),
        "data": script_json(data),
        "home_url": home_url,
    }


def render_html(analysis: Analysis, *, home_url: str | None = None) -> str:
    """The report of one analysis as a complete HTML page (a ``str`` ending in a newline).

    ``home_url`` adds a link back (the web app uses it); the CLI leaves it out.
    """
    css, js = _assets()
    ctx = report_context(analysis, home_url=home_url)
    return _env().get_template("report.html.j2").render(
        **ctx, css=Markup(css), js=Markup(js), csp=Markup(report_csp()), marker=_marker
    )


# --- index page for a batch -------------------------------------------------------------------


def index_entry(analysis: Analysis, href: str) -> dict[str, Any]:
    """What the index page lists for one report (kept small: a batch may hold thousands)."""
    summary = analysis.summary()
    top = sorted(summary["findings_by_action"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    speakers = sum(1 for row in summary["by_speaker"].values() if row["turns"])
    return {
        "href": quote(href),
        "title": _display_title(analysis),
        "source": analysis.document.source or analysis.document.id,
        "language": analysis.document.language,
        "words": len(analysis.text.split()),
        "max_severity": summary["max_severity"],
        "band": severity_band(summary["max_severity"]),
        "findings": summary["findings"],
        "techniques": len(analysis.techniques),
        "speakers": speakers,
        "top_actions": ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in top),
    }


def render_index(entries: list[dict[str, Any]], *, title: str = "redline reports") -> str:
    """The index of a batch, most severe first (then most findings, then by title)."""
    css, _ = _assets()
    ordered = sorted(
        entries, key=lambda e: (-e["max_severity"], -e["findings"], e["title"], e["href"])
    )
    return _env().get_template("index.html.j2").render(
        entries=ordered, title=title, css=Markup(css), csp=Markup(report_csp(scripts=False)),
        total_findings=sum(e["findings"] for e in entries),
    )
