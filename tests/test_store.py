"""The corpus database on SQLite and on a real PostgreSQL server: ingest, idempotence, resume
after kill -9, Telegram and subtitle inputs, trends and read-only queries.

Every test that takes ``db_url`` runs twice, once per database; the PostgreSQL run uses the
throwaway server of `store_support` (skipped, with the reason, only if PostgreSQL is not
installed).  Corpora are tiny so that the suite stays fast.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError
from store_support import (
    assert_complete,
    document_count,
    dump,
    fresh_pg_database,
    start_pg,
    write_corpus,
)

from redline.document import Document
from redline.store import schema
from redline.store.db import DatabaseError, open_engine
from redline.store.migrations import LATEST
from redline.store.progress import Reporter, RunStats
from redline.store.rows import document_key, parse_date
from redline.store.writer import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "fixtures" / "corpus"
FIXTURE_FILES = [CORPUS / "telegram" / "result.json", CORPUS / "interview.srt",
                 CORPUS / "briefing.vtt", CORPUS / "speeches.jsonl"]
FIXTURE_DOCS = 4 + 1 + 1 + 6


@pytest.fixture(scope="session")
def pg_server():
    yield from start_pg()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "corpus.db")
    else:
        yield from fresh_pg_database(request.getfixturevalue("pg_server"))


def _ingest(run_cli, db_url: str, *paths: Path | str, extra: tuple[str, ...] = ()):
    return run_cli("ingest", *paths, "--db", db_url, "--no-progress", *extra)


def _summary(result) -> str:
    return [ln for ln in result.stderr.splitlines() if "ingest finished" in ln][-1]


# --- ingest and idempotence ---------------------------------------------------------------------

def test_ingest_stores_every_format_once(run_cli, db_url):
    first = _ingest(run_cli, db_url, *FIXTURE_FILES)
    assert first.exit_code == 0, first.stderr
    assert f"{FIXTURE_DOCS} stored, 0 already stored, 0 errors" in _summary(first)
    assert assert_complete(db_url) == FIXTURE_DOCS
    before = dump(db_url)

    again = _ingest(run_cli, db_url, *FIXTURE_FILES)
    assert again.exit_code == 0, again.stderr
    assert f"0 stored, {FIXTURE_DOCS} already stored" in _summary(again)
    assert dump(db_url) == before  # nothing added, nothing changed


def test_stored_rows_match_the_analysis(run_cli, db_url):
    assert _ingest(run_cli, db_url, *FIXTURE_FILES).exit_code == 0
    engine = open_engine(db_url, read_only=True)
    d, f = schema.documents, schema.findings
    with engine.connect() as conn:
        docs = {r.external_id: r for r in conn.execute(select(d))}
        tg = docs["telegram:1001234567:6"]
        assert (tg.source, tg.speaker, tg.day, tg.month, tg.year) == (
            "Example Front Dispatch", "Example Front Dispatch", "2022-03-03", "2022-03", 2022)
        for row in conn.execute(select(f, d.c.text.label("doc_text"))
                                .join(d, d.c.id == f.c.document_id)):
            assert row.doc_text[row.start_char:row.end_char] == row.text
        vtt = next(r for r in docs.values() if r.source.endswith("briefing.vtt"))
        cues = json.loads(vtt.meta)["cues"]
        assert vtt.text[cues[0][0]:cues[0][1]] == "Welcome to the briefing."
        year_only = docs["s6"]
        assert (year_only.date, year_only.month, year_only.year) == ("2023", None, 2023)
        by_id = {r.id: r for r in docs.values()}
        for m in conn.execute(select(schema.mentions)):
            assert by_id[m.document_id].text[m.start_char:m.end_char] == m.text
    engine.dispose()


def test_a_second_write_of_a_document_is_a_no_op(db_url):
    """Two ingests racing on one database: the unique key lets only one write through."""
    from redline.engine import analyze_document
    from redline.store.rows import analysis_rows

    doc = Document(text="We must strike the bridges of Kyiv tomorrow.")
    rows = analysis_rows(analyze_document(doc, lang="en"), document_key(doc))
    store = Store(db_url)
    try:
        assert store.write(rows) is True
        assert store.write(rows) is False
        assert store.has(document_key(doc)) and store.count() == 1
    finally:
        store.close()
    assert assert_complete(db_url) == 1


def test_a_repeated_record_is_stored_once(run_cli, tmp_path):
    lines = tmp_path / "twice.jsonl"
    record = '{"text": "We must strike the bridges of Kyiv.", "speaker": "A"}\n'
    other = '{"text": "We must strike the bridges of Kyiv.", "speaker": "B"}\n'
    lines.write_text(record + record + other, "utf-8")
    result = _ingest(run_cli, str(tmp_path / "c.db"), lines)
    assert "2 stored, 1 already stored, 0 errors" in _summary(result)


def test_errors_are_reported_and_the_run_goes_on(run_cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("We must strike the bridges of Kyiv tomorrow.", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(300))
    (folder / "lines.jsonl").write_text('{"text": "Peace talks went well."}\n{broken\n', "utf-8")
    db = str(tmp_path / "c.db")
    result = _ingest(run_cli, db, folder)
    assert result.exit_code == 0
    assert "binary.txt" in result.stderr and "lines.jsonl:2" in result.stderr
    assert "2 stored, 0 already stored, 2 errors" in _summary(result)
    nothing = _ingest(run_cli, str(tmp_path / "d.db"), folder / "binary.txt")
    assert nothing.exit_code == 2


def test_a_failing_worker_is_reported_and_the_run_goes_on(run_cli, tmp_path, monkeypatch):
    from redline.store import runner

    real = runner.analyse_for_store

    def flaky(doc, key, lang):
        if "Olena" in str(doc.meta.get("speaker")):
            raise RuntimeError("worker lost")
        return real(doc, key, lang)

    monkeypatch.setattr(runner, "analyse_for_store", flaky)
    result = _ingest(run_cli, str(tmp_path / "c.db"), CORPUS / "speeches.jsonl")
    assert result.exit_code == 0
    assert result.stderr.count("worker failed (RuntimeError: worker lost)") == 2
    assert "4 stored, 0 already stored, 2 errors" in _summary(result)


def test_bad_database_is_one_clear_line(run_cli, tmp_path):
    result = _ingest(run_cli, "postgresql://nobody@/nowhere?host=/nonexistent",
                     CORPUS / "speeches.jsonl")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot open the database" in result.stderr
    missing = run_cli("trends", "--db", str(tmp_path / "none.db"), "--by", "year")
    assert missing.exit_code == 2 and "no such database" in missing.stderr


def test_document_key_ignores_the_path_but_not_the_metadata(tmp_path):
    a = Document(text="Same words.", source="./a.txt")
    b = Document(text="Same words.", source="/elsewhere/a.txt")
    assert document_key(a) == document_key(b)
    c = Document(text="Same words.")
    c.meta["speaker"] = "Someone"
    assert document_key(c) != document_key(a)


@pytest.mark.parametrize(("value", "year", "expected"), [
    ("2022-02-24T05:00:00", None, ("2022-02-24", "2022-02", 2022)),
    ("2022-02", None, (None, "2022-02", 2022)),
    ("24.02.2022", None, ("2022-02-24", "2022-02", 2022)),
    (None, 1999, (None, None, 1999)),
    ("2023", None, (None, None, 2023)),
    ("yesterday", None, (None, None, None)),
    ("2022-13-01", None, (None, None, 2022)),
])
def test_parse_date(value, year, expected):
    assert parse_date(value, year) == expected


# --- migrations ---------------------------------------------------------------------------------

def test_schema_is_versioned_and_migrating_twice_is_a_no_op(db_url, run_cli):
    Store(db_url).close()
    Store(db_url).close()
    engine = open_engine(db_url)
    with engine.begin() as conn:
        versions = conn.execute(select(schema.schema_version.c.version)).scalars().all()
        assert versions == list(range(1, LATEST + 1))
        conn.execute(insert(schema.schema_version).values(
            version=LATEST + 1, description="from the future", applied_at="2100-01-01"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer than this redline"):
        Store(db_url)
    result = _ingest(run_cli, db_url, CORPUS / "speeches.jsonl")
    assert result.exit_code == 2 and "upgrade redline" in result.stderr


# --- resume after kill -9 -----------------------------------------------------------------------

def _wait_for_documents(url: str, proc: subprocess.Popen, at_least: int) -> None:
    """Poll until ``at_least`` documents are visible, checking each time that none is partial."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the ingest ended before it could be killed"
        try:
            if assert_complete(url) >= at_least:
                return
        except (DatabaseError, SQLAlchemyError):
            pass  # the database or its tables do not exist yet
        time.sleep(0.01)
    pytest.fail("no documents were stored within 180 s")


def kill_mid_run_then_resume(run_cli, url: str, tmp_path: Path, workers: int) -> None:
    """Start an ingest, SIGKILL it once a few documents are stored, run it again, check."""
    n = 60
    corpus = write_corpus(tmp_path / "corpus.jsonl", n)
    args = [sys.executable, "-m", "redline.cli", "ingest", str(corpus), "--db", url,
            "--no-progress", "--workers", str(workers)]
    proc = subprocess.Popen(args, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        _wait_for_documents(url, proc, at_least=5)
        children = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    at_kill = assert_complete(url)
    assert 5 <= at_kill < n, f"{at_kill} of {n} stored when killed: the kill came too late"
    if workers > 1:
        _assert_exited(children)

    result = _ingest(run_cli, url, corpus)
    assert result.exit_code == 0, result.stderr
    assert f"{n - at_kill} stored, {at_kill} already stored, 0 errors" in _summary(result)
    assert assert_complete(url) == n
    assert document_count(url) == n


def _children(pid: int) -> list:
    import psutil

    return psutil.Process(pid).children(recursive=True)


def _assert_exited(children: list) -> None:
    """Worker processes of a killed ingest end by themselves (no orphans analysing on)."""
    import psutil

    deadline = time.monotonic() + 15
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [c for c in alive if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.1)
    assert not alive, f"orphaned workers still running: {[c.pid for c in alive]}"


def test_resume_after_kill_9(run_cli, db_url, tmp_path):
    kill_mid_run_then_resume(run_cli, db_url, tmp_path, workers=1)


def test_resume_after_kill_9_with_worker_processes(run_cli, tmp_path):
    kill_mid_run_then_resume(run_cli, str(tmp_path / "corpus.db"), tmp_path, workers=2)


# --- trends -------------------------------------------------------------------------------------

def _expected_trends(url: str, by: str, actions=(), min_severity=0) -> dict[str, tuple]:
    """The trend figures computed in Python from the stored rows, to check the SQL against."""
    engine = open_engine(url, read_only=True)
    with engine.connect() as conn:
        docs = conn.execute(select(schema.documents)).mappings().all()
        finds = conn.execute(select(schema.findings)).mappings().all()
    engine.dispose()
    out: dict[str, list] = {}
    for d in docs:
        group = "(unknown)" if d[by] is None else str(d[by])
        mine = [f for f in finds if f["document_id"] == d["id"]
                and (not actions or f["action"] in actions) and f["severity"] >= min_severity]
        threats = [f for f in mine if f["modality"] in ("call", "threat", "proposal")]
        row = out.setdefault(group, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += len(mine)
        row[2] += bool(threats)
        row[3] = max(row[3], *(f["severity"] for f in mine), 0)
        row[4] = max(row[4], *(f["severity"] for f in threats), 0)
    return {g: tuple(v) for g, v in out.items()}


@pytest.mark.parametrize(("by", "actions", "min_severity"), [
    ("speaker", (), 0), ("month", (), 0), ("year", ("destroy",), 0), ("source", (), 7),
    ("country", ("military_attack", "destroy"), 0),
])
def test_trends_table_and_csv(run_cli, db_url, tmp_path, by, actions, min_severity):
    assert _ingest(run_cli, db_url, *FIXTURE_FILES).exit_code == 0
    out_csv = tmp_path / "t.csv"
    args = ["trends", "--db", db_url, "--by", by, "--csv", out_csv,
            "--min-severity", str(min_severity)]
    for action in actions:
        args += ["--action", action]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split()[0] == by
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text("utf-8"))))
    got = {r[by]: (int(r["documents"]), int(r["findings"]), int(r["threat_documents"]),
                   int(r["max_severity"]), int(r["max_threat_severity"])) for r in rows}
    assert got == _expected_trends(db_url, by, actions, min_severity)
    for r in rows:
        assert float(r["threat_rate"]) == pytest.approx(
            int(r["threat_documents"]) / int(r["documents"]), abs=1e-4)
    if by == "month":
        months = [r["month"] for r in rows]
        assert months == [*sorted(months[:-1]), "(unknown)"]


def test_trends_known_figures(run_cli, tmp_path):
    """On the Telegram channel: two of four posts urge or threaten force (rate 0.5)."""
    db = str(tmp_path / "c.db")
    assert _ingest(run_cli, db, CORPUS / "telegram" / "result.json").exit_code == 0
    out_csv = tmp_path / "t.csv"
    assert run_cli("trends", "--db", db, "--by", "source", "--csv", out_csv).exit_code == 0
    [row] = list(csv.DictReader(io.StringIO(out_csv.read_text("utf-8"))))
    assert row["source"] == "Example Front Dispatch"
    assert (row["documents"], row["threat_documents"], row["threat_rate"]) == ("4", "2", "0.5")
    assert row["max_threat_severity"] == "8"


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_trends_chart(run_cli, tmp_path, suffix):
    db = str(tmp_path / "c.db")
    assert _ingest(run_cli, db, *FIXTURE_FILES).exit_code == 0
    for by in ("month", "speaker"):
        chart = tmp_path / f"{by}{suffix}"
        result = run_cli("trends", "--db", db, "--by", by, "--chart", chart)
        assert result.exit_code == 0, result.stderr
        data = chart.read_bytes()
        if suffix == ".svg":
            assert data.startswith(b"<?xml") and b"<svg" in data
            assert b"Threat rate and max severity by " + by.encode() in data
            run_cli("trends", "--db", db, "--by", by, "--chart", chart)
            assert chart.read_bytes() == data  # deterministic
        else:
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
    bad = run_cli("trends", "--db", db, "--by", "year", "--chart", tmp_path / "x.pdf")
    assert bad.exit_code == 2 and ".svg or .png" in bad.stderr


# --- query --------------------------------------------------------------------------------------

def test_query_prints_rows_and_never_writes(run_cli, db_url):
    assert _ingest(run_cli, db_url, CORPUS / "speeches.jsonl").exit_code == 0
    sql = ("SELECT speaker, count(*) AS n FROM documents WHERE source LIKE '%Example%' "
           "GROUP BY speaker ORDER BY speaker")
    table = run_cli("query", "--db", db_url, sql)
    assert table.exit_code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["speaker", "n"] and lines[-1] == "(3 rows)"
    tsv = run_cli("query", "--db", db_url, "--tsv", sql)
    assert tsv.stdout.splitlines() == ["speaker\tn", "Ivan Petrov\t2", "Maria Example\t2",
                                       "Olena Sample\t2"]
    for statement in ("DELETE FROM documents", "DROP TABLE findings"):
        denied = run_cli("query", "--db", db_url, statement)
        assert denied.exit_code == 2 and "query failed" in denied.stderr
        assert "read" in denied.stderr.lower()  # read-only database / transaction
    assert document_count(db_url) == 6
    bad = run_cli("query", "--db", db_url, "SELEC 1")
    assert bad.exit_code == 2 and bad.stderr.startswith("redline: query failed")


# --- progress -----------------------------------------------------------------------------------

def test_plain_progress_lines_and_summary(monkeypatch):
    monkeypatch.setattr("redline.store.progress.PLAIN_INTERVAL", 0.0)
    stream = io.StringIO()
    stats = RunStats(total=4)
    reporter = Reporter(stats, stream=stream, tty=False)
    stats.stored, stats.errors = 2, 1
    reporter.update()
    reporter.say("x.txt: problem")
    reporter.close()
    out = stream.getvalue().splitlines()
    assert out[0].startswith("redline: ingest: 3/4 documents (2 stored, 0 already stored, "
                             "1 errors)") and "ETA" in out[0]
    assert out[1] == "redline: x.txt: problem"
    assert "2 stored, 0 already stored, 1 errors" in stats.line()


def test_progress_bar_on_a_terminal():
    stream = io.StringIO()
    stats = RunStats(total=2)
    reporter = Reporter(stats, stream=stream, tty=True)
    stats.stored = 1
    reporter.update()
    reporter.say("a problem")
    stats.stored = 2
    reporter.update()
    reporter.close()
    text = stream.getvalue()
    assert "ingest" in text and "2/2" in text and "redline: a problem" in text
