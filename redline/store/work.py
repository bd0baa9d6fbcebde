"""The work a worker does: analyse one document and turn it into rows for the writer.

Kept apart from the runner so that a worker process (local or Dask) imports only the analysis
and `redline.store.rows` -- not SQLAlchemy, the readers or the progress bar.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass

from redline.document import Document
from redline.errors import printable
from redline.store.rows import Rows, analysis_rows


@dataclass
class Outcome:
    """What a worker sends back: the rows to write, or the reason there are none."""

    key: str
    name: str
    rows: Rows | None
    error: str | None
    language: str
    pid: int
    peak_mb: float


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def analyse_for_store(doc: Document, key: str, lang: str) -> Outcome:
    """Analyse one document into rows (runs in a worker); never raises for a bad document."""
    from redline.engine import analyze_document

    name = printable(doc.source or doc.id)
    try:
        analysis = analyze_document(doc, lang=lang)
        rows, error = analysis_rows(analysis, key), None
    except Exception as exc:  # one bad document must not end the run
        rows = None
        error = f"analysis failed, skipped ({type(exc).__name__}: {exc}); please report this"
    return Outcome(key, name, rows, error, doc.language, os.getpid(), peak_mb())
