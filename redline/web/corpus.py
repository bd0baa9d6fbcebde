"""The corpus browser's reads: a page of documents, one document's stored rows, trends by year.

Read-only: the engine comes from ``open_engine(..., read_only=True)`` (SQLite ``mode=ro``,
read-only PostgreSQL transactions) and every function here only SELECTs.  The list reads one
redline version (the one `redline.store.trends.corpus_version` picks), like ``redline trends``,
so a corpus analysed by two versions does not list each document twice; a document's page is
reached by its ``documents.id`` whatever its version.
"""

from __future__ import annotations

import contextlib
import json
import math
from dataclasses import asdict
from typing import Any

from sqlalchemy import Engine, String, case, cast, func, select

from redline.store import schema
from redline.store.trends import corpus_version, trends

PER_PAGE = 50
SORTS = ("severity", "date")

_LIST_COLUMNS = ("id", "external_id", "title", "source", "date", "speaker", "language", "words",
                 "n_findings", "max_severity")


def _when():
    """A sortable date: the day, else the month, else the year (ISO prefixes sort as text)."""
    d = schema.documents
    return func.coalesce(d.c.day, d.c.month, cast(d.c.year, String))


def list_documents(engine: Engine, *, sort: str = "severity", page: int = 1,
                   per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of documents: highest severity first (then newest), or newest first."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    d = schema.documents
    version = corpus_version(engine)
    when = _when()
    undated = case((when.is_(None), 1), else_=0)
    if sort == "severity":
        order = [d.c.max_severity.desc(), undated, when.desc(), d.c.id]
    else:
        order = [undated, when.desc(), d.c.max_severity.desc(), d.c.id]
    where = d.c.redline_version == version
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(d).where(where)).scalar_one()
        rows = conn.execute(
            select(*(d.c[c] for c in _LIST_COLUMNS)).where(where).order_by(*order)
            .limit(per_page).offset((page - 1) * per_page)
        ).mappings().all()
    return {
        "redline_version": version,
        "sort": sort,
        "page": page,
        "per_page": per_page,
        "total": int(total),
        "pages": max(1, math.ceil(total / per_page)),
        "documents": [dict(r) for r in rows],
    }


def year_trends(engine: Engine) -> list[dict[str, Any]]:
    """`redline trends --by year` as dicts (empty for an empty corpus)."""
    if corpus_version(engine) is None:
        return []
    return [asdict(r) for r in trends(engine, "year")]


def _rows(conn, table, doc_id: int, *order) -> list[dict[str, Any]]:
    query = select(table).where(table.c.document_id == doc_id).order_by(*order)
    return [{k: v for k, v in r.items() if k != "document_id"}
            for r in conn.execute(query).mappings()]


def document_detail(engine: Engine, doc_id: int) -> dict[str, Any] | None:
    """A stored document with its findings (targets, evidence) and techniques in text order,
    or None if there is no document with this id."""
    d, f, t = schema.documents, schema.findings, schema.techniques
    with engine.connect() as conn:
        row = conn.execute(select(d).where(d.c.id == doc_id)).mappings().first()
        if row is None:
            return None
        doc = dict(row)
        for key in ("meta", "warnings"):
            with contextlib.suppress(TypeError, ValueError):
                doc[key] = json.loads(doc[key])
        findings = _rows(conn, f, doc_id, f.c.start_char, f.c.end_char, f.c.finding_id)
        targets = _rows(conn, schema.finding_targets, doc_id, schema.finding_targets.c.position)
        evidence = _rows(conn, schema.evidence, doc_id, schema.evidence.c.position)
        techniques = _rows(conn, t, doc_id, t.c.start_char, t.c.end_char, t.c.technique_id)
    for finding in findings:
        fid = finding["finding_id"]
        finding["conditional"] = bool(finding["conditional"])
        finding["targets"] = [{k: v for k, v in x.items() if k != "finding_id"}
                              for x in targets if x["finding_id"] == fid]
        finding["evidence"] = [{k: v for k, v in x.items() if k != "finding_id"}
                               for x in evidence if x["finding_id"] == fid]
    return {"document": doc, "findings": findings, "techniques": techniques}
