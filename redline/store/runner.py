"""``redline ingest``: stream documents through the analysis and into the corpus database.

Documents are read lazily, the ones already stored (same key, same redline version) are skipped
before any analysis, and at most ``2 × slots`` analyses are in flight, so memory stays bounded
however large the corpus.  Workers return finished rows; the parent alone writes, one
transaction per document.  Killing the run at any moment loses at most the documents in
flight; running the same command again stores exactly those.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from redline.document import Document
from redline.errors import InputError, printable
from redline.ingest.readers import DEFAULT_MAX_BYTES, count_inputs, iter_documents
from redline.languages import language_codes
from redline.store.backends import Backend
from redline.store.progress import Reporter, RunStats
from redline.store.rows import document_key
from redline.store.work import Outcome, analyse_for_store, peak_mb
from redline.store.writer import Store


class Ingest:
    """One ingest run: the loop that feeds the backend and hands results to the writer."""

    def __init__(self, store: Store, backend: Backend, reporter: Reporter, *,
                 lang: str = "auto") -> None:
        self.store, self.backend, self.reporter = store, backend, reporter
        self.stats = reporter.stats
        self.lang = lang
        self.pending: dict[Any, tuple[str, str]] = {}  # future -> (key, name)

    def run(self, items: Iterator[Document | InputError]) -> RunStats:
        """Feed every item, keep at most ``2 × slots`` in flight, write results as they come."""
        limit = 2 * max(self.backend.slots, 1)
        for item in items:
            if isinstance(item, InputError):
                self._problem(str(item))
                continue
            key = document_key(item)
            if any(key == k for k, _ in self.pending.values()) or self.store.has(key):
                self.stats.skipped += 1
                self.reporter.update()
                continue
            while len(self.pending) >= limit:
                self._drain()
            fut = self.backend.submit(analyse_for_store, item, key, self.lang)
            self.pending[fut] = (key, printable(item.source or item.id))
        while self.pending:
            self._drain()
        return self.stats

    def _drain(self) -> None:
        done, _ = self.backend.wait_any(list(self.pending))
        for fut in done:
            _, name = self.pending.pop(fut)
            try:
                outcome: Outcome = fut.result()
            except Exception as exc:  # a worker died or the cluster failed this task
                self._problem(f"{name}: worker failed ({type(exc).__name__}: {exc}); run the "
                              "same command again to retry it")
                continue
            self._record(outcome)

    def _record(self, out: Outcome) -> None:
        if out.pid != os.getpid():
            self.stats.worker_peak_mb[out.pid] = out.peak_mb
        if out.rows is None:
            self._problem(f"{out.name}: {out.error}")
            return
        if out.language not in language_codes():
            self.reporter.say(f"{out.name}: language {out.language!r} is not supported yet "
                              f"({', '.join(language_codes())}); only its structure was "
                              "analysed")
        if self.store.write(out.rows):
            doc = out.rows["documents"][0]
            self.stats.stored += 1
            if self.stats.first_stored is None:
                self.stats.first_stored = self.stats.elapsed()
            self.stats.findings += doc["n_findings"]
            self.stats.words += doc["words"]
        else:
            self.stats.skipped += 1
        self.reporter.update()

    def _problem(self, message: str) -> None:
        self.stats.errors += 1
        self.reporter.say(message)
        self.reporter.update()


def ingest(paths: Iterable[str], store: Store, backend: Backend, *, lang: str = "auto",
           max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = True) -> RunStats:
    """Ingest ``paths`` into ``store`` on ``backend``; returns the run's counts."""
    paths = list(paths)
    stats = RunStats(total=count_inputs(paths))
    reporter = Reporter(stats, enabled=progress)
    items = iter_documents(paths, max_bytes=max_bytes)
    try:
        Ingest(store, backend, reporter, lang=lang).run(items)
    finally:
        reporter.close()
        stats.seconds = stats.elapsed()
        stats.parent_peak_mb = peak_mb()
    return stats

