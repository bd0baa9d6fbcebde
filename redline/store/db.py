"""Open a corpus database from what the user typed: a file path (SQLite) or a URL.

``corpus.db`` and ``sqlite:///corpus.db`` are SQLite; ``postgresql://user@host/db`` (or
``postgres://``) is PostgreSQL through psycopg 3.  SQLite runs in WAL mode so that ``trends``,
``query`` or Datasette can read while an ingest writes, and every transaction survives a killed
process (SQLite rolls back a half-written one when the file is next opened).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from redline.errors import RedlineError


class DatabaseError(RedlineError):
    """The database cannot be opened or used; the message is meant for the user."""


def normalise_url(target: str) -> str:
    """A SQLAlchemy URL for ``target``: a plain path becomes SQLite, postgres gets psycopg 3."""
    if "://" not in target:
        return f"sqlite:///{Path(target).expanduser().resolve()}"
    scheme, rest = target.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return target


def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory database."""
    database = make_url(normalise_url(url)).database
    return Path(database) if database and database != ":memory:" else None


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def open_engine(target: str, *, read_only: bool = False, create: bool = True) -> Engine:
    """An engine for ``target``.  ``read_only`` opens SQLite with ``mode=ro`` and makes every
    PostgreSQL transaction read-only; ``create=False`` refuses a SQLite file that is missing."""
    url = normalise_url(target)
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url, read_only=read_only, create=create)
        connect_args = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"{target}: cannot open this database ({exc})") from exc


def _sqlite_engine(url: str, *, read_only: bool, create: bool) -> Engine:
    path = sqlite_path(url)
    if path is not None and not path.exists() and (read_only or not create):
        raise DatabaseError(f"{path}: no such database (create it with `redline ingest`)")
    if read_only and path is not None:
        uri = f"file:{path}?mode=ro"
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )
    else:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    if not read_only:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine
