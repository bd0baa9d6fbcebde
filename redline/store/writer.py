"""The one writer: checks which documents are stored and writes each new one in one transaction.

A document's rows (the document, its segments, entities, mentions, findings, targets, evidence
and techniques) go in together or not at all, so a reader never sees half a document and a run
killed at any moment leaves only whole documents behind.  The unique key
``(doc_key, redline_version)`` makes a second write of the same document a no-op, even when two
ingests race on one database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from redline import __version__
from redline.store import schema
from redline.store.db import DatabaseError, open_engine
from redline.store.migrations import SchemaTooNew, migrate
from redline.store.rows import Rows

_TABLES = {t.name: t for t in schema.CHILD_TABLES}


class Store:
    """A migrated corpus database with the one-transaction-per-document write path."""

    def __init__(self, target: str, *, version: str = __version__) -> None:
        self.target = target
        self.version = version
        self.engine: Engine = open_engine(target)
        try:
            migrate(self.engine)
        except SchemaTooNew as exc:
            raise DatabaseError(f"{target}: {exc}") from exc
        except OperationalError as exc:
            problem = " ".join(str(exc.orig).split())  # drivers' messages span lines
            raise DatabaseError(f"{target}: cannot open the database ({problem})") from exc

    def has(self, key: str) -> bool:
        """Whether the document with this key is already stored for this redline version."""
        docs = schema.documents
        query = select(docs.c.id).where(
            docs.c.doc_key == key, docs.c.redline_version == self.version
        )
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def write(self, rows: Rows) -> bool:
        """Insert one document's rows in one transaction; False if it was already there."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        doc = dict(rows["documents"][0], ingested_at=now)
        try:
            with self.engine.begin() as conn:
                doc_id = conn.execute(insert(schema.documents).values(doc)).inserted_primary_key[0]
                for name, table in _TABLES.items():
                    if rows.get(name):
                        conn.execute(insert(table), [dict(r, document_id=doc_id)
                                                     for r in rows[name]])
        except IntegrityError:
            if self.has(doc["doc_key"]):
                return False
            raise
        return True

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()

    def close(self) -> None:
        self.engine.dispose()
