"""Versioned migrations: an ordered list of functions and a ``schema_version`` table.

Why not Alembic: the corpus has a handful of tables and one writer; a list of plain functions,
each run in its own transaction and recorded in ``schema_version``, is easy to read and to
audit, and it runs the same way on SQLite and PostgreSQL.

To change the schema: append ``(N, "what changes", function)`` to `MIGRATIONS`, where the
function issues the DDL (``ALTER TABLE ...``) through the connection, and update the table in
`redline.store.schema` to match.  Migration 1 creates the tables as they were at version 1;
if a later migration alters one of them, freeze that table's version-1 definition inside
``_v1`` first, so that a new database still goes 1 → 2 → … and ends up identical.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select

from redline.store import schema

Migration = tuple[int, str, Callable[[Connection], None]]


class SchemaTooNew(RuntimeError):
    """The database was written by a newer redline than this one."""


def _v1(conn: Connection) -> None:
    """Create the version-1 tables: documents and their segments, entities, findings..."""
    tables = [t for t in schema.metadata.sorted_tables if t.name != "schema_version"]
    schema.metadata.create_all(conn, tables=tables)


MIGRATIONS: list[Migration] = [
    (1, "documents, segments, entities, mentions, findings, targets, evidence, techniques", _v1),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    versions = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(engine: Engine) -> int:
    """Bring the database up to `LATEST`; each step is one transaction.  Returns the version."""
    with engine.begin() as conn:
        schema.schema_version.create(conn, checkfirst=True)
    for version, description, step in MIGRATIONS:
        with engine.begin() as conn:
            found = current_version(conn)
            if found > LATEST:
                raise SchemaTooNew(
                    f"the database has schema version {found}, newer than this redline "
                    f"understands ({LATEST}); upgrade redline"
                )
            if found >= version:
                continue
            step(conn)
            conn.execute(
                schema.schema_version.insert().values(
                    version=version, description=description,
                    applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
    return LATEST
