"""``redline query``: run one SQL statement read-only and print what it returns.

Read-only by construction where the database allows it: SQLite is opened with ``mode=ro``, and
PostgreSQL sessions start read-only transactions that are rolled back at the end.  That guards
against accidents, not against a user with the database's password (who can write anyway).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from redline.errors import RedlineError
from redline.store.db import open_engine

MAX_CELL = 80


class QueryError(RedlineError):
    """The database refused the statement; the message is the database's own first line."""


def run_query(target: str, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of ``sql`` against the database at ``target``.

    The statement goes to the driver as is, with no parameters, so ``%`` and ``:name`` in it
    mean what they mean in SQL; whatever it did is rolled back."""
    engine = open_engine(target, read_only=True)
    try:
        with engine.connect() as conn:
            cur = conn.connection.cursor()
            try:
                cur.execute(sql)
                if cur.description is None:
                    return [], []
                return [d[0] for d in cur.description], [tuple(r) for r in cur.fetchall()]
            except engine.dialect.dbapi.Error as exc:
                raise QueryError(str(exc).strip().splitlines()[0]) from exc
            finally:
                cur.close()
                conn.rollback()
    finally:
        engine.dispose()


def _cell(value: Any, width: int | None) -> str:
    text = "NULL" if value is None else str(value)
    text = text.replace("\t", "\\t").replace("\n", "\\n")
    if width and len(text) > width:
        return text[: width - 1] + "…"
    return text


def tsv_lines(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Iterator[str]:
    """A header line, then one tab-separated line per row (tabs and newlines escaped)."""
    yield "\t".join(columns)
    for row in rows:
        yield "\t".join("" if v is None else _cell(v, None) for v in row)


def table_lines(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Iterator[str]:
    """An aligned table; long cells are cut at `MAX_CELL` characters (use --tsv for all)."""
    cells = [[_cell(v, MAX_CELL) for v in row] for row in rows]
    widths = [max(len(c[i]) for c in [list(columns), *cells]) for i in range(len(columns))]
    yield "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()
    yield "  ".join("-" * w for w in widths)
    for row in cells:
        yield "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
    yield f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
