"""Turn a `Document` into its key, and an `Analysis` into plain rows for the corpus tables.

This runs in the workers (local processes or Dask), so that the parent -- the one writer --
only inserts ready rows.  Everything here is a pure function of the document and the analysis:
the same input gives the same rows in any process, which is what makes a parallel run store
exactly what a single-process run stores.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from redline.document import Analysis, Document

Rows = dict[str, list[dict[str, Any]]]

# Metadata that tells two records with the same text apart (a post forwarded by two channels,
# one statement read by two speakers).  The file path is left out on purpose: ingesting
# ``./a.txt`` and ``a.txt`` is the same document.
KEY_FIELDS = ("id", "title", "source", "date", "year", "speaker", "country", "lang", "url")
THREAT_MODALITIES = ("call", "threat", "proposal")

_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:$|[T\s])")
_DMY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def document_key(doc: Document) -> str:
    """SHA-256 of the text and its identifying metadata: the document's identity in a corpus.

    Stored with the redline version, so a new version analyses the corpus again instead of
    mixing results of two versions under one key."""
    ident = {k: doc.meta[k] for k in KEY_FIELDS if doc.meta.get(k) is not None}
    if doc.title is not None:
        ident["title"] = doc.title
    payload = json.dumps(
        {"text": doc.text, "meta": ident}, ensure_ascii=False, sort_keys=True, default=str
    )
    return text_sha256(payload)


def parse_date(value: object, year: object = None) -> tuple[str | None, str | None, int | None]:
    """``(day, month, year)`` from an ISO-like date, ``DD.MM.YYYY`` or a bare year.

    Trends group by month and year; a date we cannot read leaves them empty rather than
    guessing (the raw value stays in ``documents.date``)."""
    text = "" if value is None else str(value)
    m = _ISO.match(text)
    parts: tuple[str | None, ...] = m.groups() if m else (None, None, None)
    if not m and (d := _DMY.match(text)):
        parts = (d.group(3), d.group(2), d.group(1))
    y, mo, da = parts
    if y is None and year is not None and re.fullmatch(r"\d{4}", str(year).strip()):
        y = str(year).strip()
    if y is None:
        return None, None, None
    if mo is None or not 1 <= int(mo) <= 12:
        return None, None, int(y)
    month = f"{y}-{int(mo):02d}"
    day = f"{month}-{int(da):02d}" if da is not None and 1 <= int(da) <= 31 else None
    return day, month, int(y)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def document_row(analysis: Analysis, key: str) -> dict[str, Any]:
    """The ``documents`` row: identity, metadata, counts and the text itself."""
    doc = analysis.document
    meta = doc.meta
    day, month, year = parse_date(meta.get("date"), meta.get("year"))
    return {
        "doc_key": key,
        "redline_version": analysis.version,
        "text_sha256": text_sha256(doc.text),
        "external_id": _str(meta.get("id")) or doc.id,
        "source": doc.source,
        "title": doc.title,
        "language": doc.language,
        "date": _str(meta.get("date") if meta.get("date") is not None else meta.get("year")),
        "day": day,
        "month": month,
        "year": year,
        "speaker": _str(meta.get("speaker")),
        "country": _str(meta.get("country")),
        "url": _str(meta.get("url")),
        "length": len(doc.text),
        "words": len(doc.text.split()),
        "n_segments": len(analysis.segments),
        "n_entities": len(analysis.entities),
        "n_mentions": sum(len(e.mentions) for e in analysis.entities),
        "n_findings": len(analysis.findings),
        "n_techniques": len(analysis.techniques),
        "max_severity": max((f.severity for f in analysis.findings), default=0),
        "meta": _json(meta),
        "warnings": _json(doc.warnings),
        "text": doc.text,
    }


def _entity_rows(analysis: Analysis) -> tuple[list[dict], list[dict]]:
    ents, ments = [], []
    text = analysis.text
    for e in analysis.entities:
        ents.append({"entity_id": e.id, "name": e.name, "type": e.type, "kind": e.kind,
                     "country": e.country, "aliases": _json(list(e.aliases))})
        for pos, (start, end) in enumerate(e.mentions):
            ments.append({"entity_id": e.id, "position": pos, "start_char": start,
                          "end_char": end, "text": text[start:end]})
    return ents, ments


def _finding_rows(analysis: Analysis) -> tuple[list[dict], list[dict], list[dict]]:
    finds, targets, evid = [], [], []
    for f in analysis.findings:
        finds.append({
            "finding_id": f.id, "segment_id": f.segment, "speaker": f.speaker,
            "action": f.action, "modality": f.modality, "conditional": bool(f.conditional),
            "severity": f.severity, "confidence": round(f.confidence, 3), "cameo": f.cameo,
            "start_char": f.start, "end_char": f.end, "text": f.text,
            "actor_text": f.actor.text if f.actor else None,
            "actor_entity_id": f.actor.entity if f.actor else None, "detector": f.detector,
        })
        for pos, t in enumerate(f.targets):
            targets.append({"finding_id": f.id, "position": pos, "entity_id": t.entity,
                            "text": t.text, "start_char": t.start, "end_char": t.end})
        for pos, ev in enumerate(f.evidence):
            evid.append({"finding_id": f.id, "position": pos, "start_char": ev.start,
                         "end_char": ev.end, "text": ev.text, "why": ev.why})
    return finds, targets, evid


def analysis_rows(analysis: Analysis, key: str) -> Rows:
    """Every row of one document, by table name, without ``document_id`` (the writer adds it)."""
    ents, ments = _entity_rows(analysis)
    finds, targets, evid = _finding_rows(analysis)
    return {
        "documents": [document_row(analysis, key)],
        "segments": [{"segment_id": s.id, "kind": s.kind, "speaker": s.speaker,
                      "start_char": s.start, "end_char": s.end} for s in analysis.segments],
        "entities": ents,
        "mentions": ments,
        "findings": finds,
        "finding_targets": targets,
        "evidence": evid,
        "techniques": [{"technique_id": t.id, "technique": t.technique, "segment_id": t.segment,
                        "start_char": t.start, "end_char": t.end, "text": t.text,
                        "confidence": round(t.confidence, 3), "why": t.why,
                        "detector": t.detector} for t in analysis.techniques],
    }
