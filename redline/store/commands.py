"""The corpus commands -- ``redline ingest``, ``redline trends``, ``redline query`` --
registered on the main command group by `redline.cli`.

Heavy imports (SQLAlchemy, Dask, matplotlib) happen inside the commands, so the rest of the
command line starts as fast as before, and a missing ``corpus`` extra is one clear line.
Exit status as for ``analyze``: 0 on success, 2 for bad usage, an unusable database, or when
nothing at all could be ingested; 130 when interrupted (the run can be resumed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from redline.ingest.readers import DEFAULT_MAX_BYTES
from redline.languages import Language
from redline.vocabulary import ACTIONS

DB_HELP = ("Corpus database: a SQLite file ({sqlite}) or a "
           "postgresql://user:password@host:port/dbname URL. Also $REDLINE_DB.")
GROUPS = ("speaker", "source", "country", "month", "year")


def _say(message: str) -> None:
    click.echo(f"redline: {message}", err=True)


def _fail(message: str) -> NoReturn:
    _say(message)
    sys.exit(2)


def _need_corpus_extra() -> None:
    try:
        import sqlalchemy  # noqa: F401
    except ImportError:
        _fail("corpus commands need the 'corpus' extra: pip install 'redline[corpus]'")


def _db_option(sqlite: str):
    """The --db option; ``sqlite`` says what happens to a SQLite file that does not exist
    (ingest creates it, the readers refuse it)."""
    return click.option("--db", "db", default="corpus.db", show_default=True,
                        envvar="REDLINE_DB", help=DB_HELP.format(sqlite=sqlite))


@click.command(short_help="Analyse documents and store them in a corpus database.")
@click.argument("paths", nargs=-1, required=True)
@_db_option("created if missing")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Analyse in N local processes (default 1: in this process). With --dask "
                   "local: the number of Dask workers (default: one per CPU).")
@click.option("--dask", "dask", default=None, metavar="local|tcp://HOST:PORT",
              help="Run the analyses on Dask: 'local' starts a local cluster, or give a "
                   "scheduler address. The database is still written by this process only.")
@click.option("--lang", type=Language(), default="auto",
              show_default=True, help="Language of the documents; auto identifies each one.")
@click.option("--max-size", "max_mb", type=click.FloatRange(min=0.001),
              default=DEFAULT_MAX_BYTES / 1048576, show_default=True,
              help="Largest input file to read, in MB.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="A progress bar on a terminal, a line every 10 s otherwise.")
def ingest(paths: tuple[str, ...], db: str, workers: int | None, dask: str | None, lang: str,
           max_mb: float, progress: bool) -> None:
    """Analyse PATH... and store the analyses in a corpus database.

    Reads what `redline analyze` reads plus Telegram Desktop exports (result.json) and .srt/.vtt
    subtitles. Idempotent and resumable: documents already stored (same text and metadata, same
    redline version) are skipped, and a killed run is finished by running it again.
    """
    _need_corpus_extra()
    from redline.store.backends import make_backend
    from redline.store.db import DatabaseError
    from redline.store.runner import ingest as run_ingest
    from redline.store.writer import Store

    try:
        store = Store(db)
    except DatabaseError as exc:
        _fail(str(exc))
    n = workers or ((os.cpu_count() or 2) if dask == "local" else 1)
    try:
        backend = make_backend(n, dask)
    except (ImportError, OSError, TimeoutError, ValueError) as exc:
        store.close()
        _fail(f"cannot start the workers ({exc})")
    try:
        stats = run_ingest(paths, store, backend, lang=lang, max_bytes=int(max_mb * 1048576),
                           progress=progress)
    except KeyboardInterrupt:
        _say("interrupted: every stored document is complete; run the same command again "
             "to finish")
        sys.exit(130)
    finally:
        backend.close()
        store.close()
    _say(stats.line())
    if stats.stored + stats.skipped == 0:
        sys.exit(2)


@click.command()
@_db_option("made by `redline ingest`; it must exist")
@click.option("--by", "by", type=click.Choice(GROUPS), required=True,
              help="Group documents by their speaker, source, country, month or year.")
@click.option("--action", "actions", type=click.Choice(ACTIONS), multiple=True,
              help="Count only findings of this action (repeat for several).")
@click.option("--min-severity", type=click.IntRange(0, 10), default=0, show_default=True,
              help="Count only findings of at least this severity.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the table as CSV to FILE.")
@click.option("--chart", "chart_path", type=click.Path(dir_okay=False), default=None,
              help="Also draw threat rate and max severity to FILE.svg or FILE.png.")
@click.option("--redline-version", "version", default=None,
              help="Read analyses of this redline version (default: this one if stored, "
                   "else the newest).")
def trends(db: str, by: str, actions: tuple[str, ...], min_severity: int, csv_path: str | None,
           chart_path: str | None, version: str | None) -> None:
    """Documents, findings, threat rate and max severity per speaker, source, country,
    month or year. Threat rate: the share of documents with a call, threat or proposal."""
    _need_corpus_extra()
    if chart_path and Path(chart_path).suffix.lower() not in (".svg", ".png"):
        _fail(f"{chart_path}: the chart must be a .svg or .png file")
    from sqlalchemy.exc import SQLAlchemyError

    from redline.store import trends as tr
    from redline.store.db import DatabaseError, open_engine

    try:
        engine = open_engine(db, read_only=True)
        rows = tr.trends(engine, by, actions=list(actions), min_severity=min_severity,
                         version=version)
    except DatabaseError as exc:
        _fail(str(exc))
    except SQLAlchemyError as exc:
        _fail(f"{db}: cannot read the corpus ({getattr(exc, 'orig', None) or exc})")
    if not rows:
        _say(f"{db}: no documents to show")
        return
    click.echo(tr.format_table(rows, by))
    _write_trend_files(rows, by, csv_path, chart_path, actions, min_severity)


def _write_trend_files(rows, by: str, csv_path: str | None, chart_path: str | None,
                       actions: tuple[str, ...], min_severity: int) -> None:
    from redline.store import trends as tr

    filters = ", ".join([*actions, *([f"severity ≥ {min_severity}"] if min_severity else [])])
    try:
        if csv_path:
            with open(csv_path, "w", encoding="utf-8", newline="") as fh:
                tr.write_csv(rows, fh, by)
        if chart_path:
            tr.write_chart(rows, Path(chart_path), by, subtitle=filters)
    except OSError as exc:
        _fail(f"{exc.filename}: cannot write ({exc.strerror or exc})")
    except ImportError:
        _fail("charts need matplotlib: pip install 'redline[corpus]'")


@click.command()
@click.argument("sql")
@_db_option("made by `redline ingest`; it must exist")
@click.option("--tsv", is_flag=True, help="Tab-separated output with a header line "
              "(tabs and newlines in values escaped), for other tools.")
def query(sql: str, db: str, tsv: bool) -> None:
    """Run one read-only SQL statement on the corpus and print the rows.

    Tables and columns: docs/schema.md. Example:
    redline query "SELECT speaker, count(*) FROM documents GROUP BY speaker"
    """
    _need_corpus_extra()
    from sqlalchemy.exc import SQLAlchemyError

    from redline.store.db import DatabaseError
    from redline.store.query import QueryError, run_query, table_lines, tsv_lines

    try:
        columns, rows = run_query(db, sql)
    except DatabaseError as exc:
        _fail(str(exc))
    except QueryError as exc:
        _fail(f"query failed: {exc}")
    except SQLAlchemyError as exc:
        problem = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        _fail(f"query failed: {problem}")
    if not columns:
        _say("the statement returned no rows")
        return
    for line in (tsv_lines if tsv else table_lines)(columns, rows):
        click.echo(line)


CORPUS_COMMANDS = (ingest, trends, query)
