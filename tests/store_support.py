"""Helpers for the corpus tests: a throwaway PostgreSQL server, corpora, dumps and checks.

The PostgreSQL server is real: ``initdb`` and ``pg_ctl`` from the Debian package that
``make pg`` installs (apt-get, as root), started in a private temporary folder, listening only
on a unix socket there (no TCP port to collide with), and stopped when the session ends.  Set
``REDLINE_TEST_PG`` to a ``postgresql://`` URL to test against a server of your own instead.
The tests skip, saying why, only when PostgreSQL is not installed at all.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from redline.store import schema
from redline.store.db import normalise_url, open_engine

NO_PG = ("PostgreSQL is not installed: run `make pg` (as root it installs it with apt-get) or "
         "set REDLINE_TEST_PG=postgresql://user@host/db")


def pg_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them off PATH), newest version."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


class PgServer:
    """A PostgreSQL cluster in a temporary folder, reachable on a unix socket only."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="redline-pg-"))
        self.data = self.root / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self.url = f"postgresql://postgres@/postgres?host={self.root}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL)

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
        options = (f"-k {self.root} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                  "-t", "60", "-l", str(self.root / "server.log"), "start")

    def log_tail(self) -> str:
        log = self.root / "server.log"
        return log.read_text("utf-8", "replace")[-2000:] if log.exists() else "(no log)"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_pg() -> Iterator[str]:
    """Yield the URL of a running server (ours, or $REDLINE_TEST_PG); skip if there is none."""
    if os.environ.get("REDLINE_TEST_PG"):
        yield os.environ["REDLINE_TEST_PG"]
        return
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip(NO_PG)
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without `runuser`: cannot start PostgreSQL as 'postgres'")
    server = PgServer(bindir)
    try:
        server.start()
    except (subprocess.SubprocessError, OSError, KeyError, LookupError) as exc:
        server.stop()
        pytest.fail(f"PostgreSQL is installed ({bindir}) but did not start: {exc}\n"
                    f"{getattr(exc, 'stderr', b'') or ''}\n{server.log_tail()}")
    try:
        yield server.url
    finally:
        server.stop()


def fresh_pg_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped afterwards."""
    name = f"redline_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, query = server_url.partition("?")
    url = base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- corpora ----------------------------------------------------------------------------------

SENTENCES = (
    "We must strike the bridges of {city} tomorrow.",
    "If they attack, we will wipe {city} off the map.",
    "The ministry reported that missiles hit a power station in {city}.",
    "We have no plans to invade anyone, said the envoy in {city}.",
    "The talks in {city} went well and trade will grow.",
)
CITIES = ("Kyiv", "Kharkiv", "Odesa", "Moscow", "Warsaw", "Riga")
SPEAKERS = ("Ivan Petrov", "Maria Example", "Olena Sample")


def write_corpus(path: Path, n: int) -> Path:
    """``n`` short JSONL documents with date, speaker, source and country (all different)."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            body = " ".join(s.format(city=CITIES[(i + k) % len(CITIES)])
                            for k, s in enumerate(SENTENCES[i % 3: i % 3 + 2]))
            record = {"id": f"doc{i}", "text": f"Statement {i}. {body}",
                      "date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
                      "speaker": SPEAKERS[i % 3], "source": f"Outlet {i % 4}",
                      "country": ("RUS", "UKR")[i % 2], "lang": "en"}
            fh.write(json.dumps(record) + "\n")
    return path


# --- reading a corpus back ----------------------------------------------------------------------

def document_count(url: str) -> int:
    engine = open_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.documents)).scalar_one()
    finally:
        engine.dispose()


CHILD_COUNTS = {"segments": "n_segments", "entities": "n_entities", "mentions": "n_mentions",
                "findings": "n_findings", "techniques": "n_techniques"}


def assert_complete(url: str) -> int:
    """Every visible document has all its rows (none half-written); returns the count."""
    engine = open_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            docs = conn.execute(select(schema.documents)).mappings().all()
            for table, column in CHILD_COUNTS.items():
                t = schema.metadata.tables[table]
                counts = dict(conn.execute(select(t.c.document_id, func.count())
                                           .group_by(t.c.document_id)).all())
                for d in docs:
                    assert counts.get(d["id"], 0) == d[column], (
                        f"document {d['id']} has {counts.get(d['id'], 0)} {table}, "
                        f"expected {d[column]}")
            keys = [(d["doc_key"], d["redline_version"]) for d in docs]
            assert len(keys) == len(set(keys)), "a document is stored twice"
            return len(docs)
    finally:
        engine.dispose()


def dump(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, with surrogate ids replaced by document keys and times left out,
    sorted: two databases with the same content give equal dumps."""
    engine = open_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            keys = dict(conn.execute(select(schema.documents.c.id,
                                            schema.documents.c.doc_key)).all())
            out = {}
            for table in schema.DATA_TABLES:
                rows = []
                for row in conn.execute(select(table)).mappings():
                    row = dict(row)
                    if table is schema.documents:
                        row.pop("id")
                        row.pop("ingested_at")
                    else:
                        row["document_id"] = keys[row["document_id"]]
                    rows.append(tuple(sorted(row.items())))
                out[table.name] = sorted(rows, key=repr)
            return out
    finally:
        engine.dispose()
