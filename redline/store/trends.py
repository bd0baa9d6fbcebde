"""Trends over a corpus: documents, findings, threat rate and severity by speaker, source,
country, month or year -- as a table, CSV and a chart.

The threat rate of a group is the share of its documents with at least one finding whose
modality is call, threat or proposal (the speaker's side urging or promising force); reports,
predictions, denials and questions do not count.  ``--action`` and ``--min-severity`` narrow
the findings counted.  The queries are SQLAlchemy Core, so they run the same on SQLite and
PostgreSQL; they read one redline version at a time (by default the current one if stored,
else the one ingested last), so a corpus analysed twice by two versions is not counted twice.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, case, func, select

from redline import __version__
from redline.store import schema
from redline.store.rows import THREAT_MODALITIES

GROUPS = ("speaker", "source", "country", "month", "year")
TIME_GROUPS = ("month", "year")
UNKNOWN = "(unknown)"


@dataclass
class TrendRow:
    """One group's figures."""

    group: str
    documents: int
    findings: int
    threat_documents: int
    threat_rate: float
    max_severity: int
    max_threat_severity: int


def corpus_version(engine: Engine, wanted: str | None = None) -> str | None:
    """The redline version to read: ``wanted``, else this one if stored, else the newest."""
    docs = schema.documents
    with engine.connect() as conn:
        if wanted:
            return wanted
        found = conn.execute(select(docs.c.id).where(docs.c.redline_version == __version__)
                             .limit(1)).first()
        if found:
            return __version__
        return conn.execute(select(docs.c.redline_version)
                            .order_by(docs.c.ingested_at.desc()).limit(1)).scalar()


def _per_document(actions: list[str], min_severity: int):
    """One row per document with matching findings: count, max severity, threat flags."""
    f = schema.findings
    threat = f.c.modality.in_(THREAT_MODALITIES)
    conds = []
    if actions:
        conds.append(f.c.action.in_(actions))
    if min_severity:
        conds.append(f.c.severity >= min_severity)
    return (
        select(
            f.c.document_id,
            func.count().label("n"),
            func.max(f.c.severity).label("sev"),
            func.max(case((threat, 1), else_=0)).label("threat"),
            func.max(case((threat, f.c.severity), else_=0)).label("tsev"),
        )
        .where(*conds)
        .group_by(f.c.document_id)
        .subquery()
    )


def trends(engine: Engine, by: str, *, actions: list[str] | None = None, min_severity: int = 0,
           version: str | None = None) -> list[TrendRow]:
    """The trend table grouped ``by`` one of `GROUPS`, in time order or by size."""
    if by not in GROUPS:
        raise ValueError(f"--by must be one of {', '.join(GROUPS)}")
    d = schema.documents
    per_doc = _per_document(actions or [], min_severity)
    key = d.c[by]
    query = (
        select(
            key.label("grp"),
            func.count(d.c.id),
            func.coalesce(func.sum(per_doc.c.n), 0),
            func.coalesce(func.sum(per_doc.c.threat), 0),
            func.coalesce(func.max(per_doc.c.sev), 0),
            func.coalesce(func.max(per_doc.c.tsev), 0),
        )
        .select_from(d.outerjoin(per_doc, per_doc.c.document_id == d.c.id))
        .where(d.c.redline_version == corpus_version(engine, version))
        .group_by(key)
    )
    with engine.connect() as conn:
        raw = conn.execute(query).all()
    rows = [
        TrendRow(UNKNOWN if g is None else str(g), int(n), int(nf), int(nt),
                 round(int(nt) / int(n), 4) if n else 0.0, int(sev), int(tsev))
        for g, n, nf, nt, sev, tsev in raw
    ]
    if by in TIME_GROUPS:
        return sorted(rows, key=lambda r: (r.group == UNKNOWN, r.group))
    return sorted(rows, key=lambda r: (r.group == UNKNOWN, -r.documents, r.group))


def _periods(first: str, last: str, by: str) -> list[str]:
    """Every month (``YYYY-MM``) or year from ``first`` to ``last``, inclusive."""
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    (y, m), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    out = []
    while (y, m) <= (y2, m2):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _fill_periods(rows: list[TrendRow], by: str) -> list[TrendRow | None]:
    """Rows on a continuous time axis: a period with no documents is a gap (None), so the
    chart's spacing is true to time instead of closing up the empty months."""
    if not rows:
        return []
    found = {r.group: r for r in rows}
    return [found.get(p) for p in _periods(rows[0].group, rows[-1].group, by)]


HEADERS = ("group", "documents", "findings", "threat docs", "threat rate", "max severity",
           "max threat severity")


def format_table(rows: list[TrendRow], by: str) -> str:
    """A plain aligned table for the terminal."""
    cells = [[r.group, str(r.documents), str(r.findings), str(r.threat_documents),
              f"{r.threat_rate:.1%}", str(r.max_severity), str(r.max_threat_severity)]
             for r in rows]
    header = [by, *HEADERS[1:]]
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(len(header))]
    lines = []
    for n, row in enumerate([header, *cells]):
        first = row[0].ljust(widths[0])
        lines.append("  ".join([first, *(c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                      strict=True))]))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_csv(rows: list[TrendRow], out: TextIO, by: str) -> None:
    """CSV with one header line; the first column is named after the grouping."""
    writer = csv.writer(out, lineterminator="\n")
    fields = list(asdict(rows[0]).keys()) if rows else list(TrendRow.__dataclass_fields__)
    writer.writerow([by, *fields[1:]])
    for r in rows:
        writer.writerow(list(asdict(r).values()))


def write_chart(rows: list[TrendRow], path: Path, by: str, *, subtitle: str = "",
                top: int = 25) -> None:
    """Threat rate (top) and max severity (bottom) per group, as SVG or PNG by suffix.

    Time groups are drawn in order as lines; other groupings as bars for the ``top`` largest
    groups.  SVG output is deterministic (fixed hash salt, no date) so charts can be diffed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "redline"
    if by in TIME_GROUPS:
        shown: list[TrendRow | None] = _fill_periods([r for r in rows if r.group != UNKNOWN],
                                                      by)
    else:
        shown = list(rows[:top])
    labels = [r.group if r else "" for r in shown]
    x = list(range(len(shown)))
    nan = float("nan")
    rate = [r.threat_rate * 100 if r else nan for r in shown]
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True,
                                   figsize=(min(max(6, 0.45 * len(x) + 3), 16), 6))
    if by in TIME_GROUPS:
        ax1.plot(x, rate, marker="o", color="#b2182b")
        ax2.plot(x, [r.max_severity if r else nan for r in shown], marker="s",
                 color="#555555", label="any finding")
        ax2.plot(x, [r.max_threat_severity if r else nan for r in shown], marker="o",
                 color="#b2182b", label="call / threat / proposal")
        ax2.legend(loc="upper left", fontsize="small")
    else:
        ax1.bar(x, rate, color="#b2182b")
        ax2.bar(x, [r.max_threat_severity if r else 0 for r in shown], color="#b2182b")
    ax1.set_ylabel("threat rate (% of documents)")
    ax1.set_ylim(0, max([v for v in rate if v == v] + [10]) * 1.1)
    ax2.set_ylabel("max severity (0–10)" if by in TIME_GROUPS else "max threat severity")
    ax2.set_ylim(0, 10.5)
    step = max(1, len(x) // 30)  # at most ~30 labels, whatever the span
    ax2.set_xticks(x[::step], labels[::step], rotation=60, ha="right", fontsize="small")
    ax1.set_title(f"Threat rate and max severity by {by}" + (f" ({subtitle})" if subtitle else ""))
    for ax in (ax1, ax2):
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    meta = {"Date": None} if path.suffix.lower() == ".svg" else {}
    fig.savefig(path, metadata=meta)
    plt.close(fig)
