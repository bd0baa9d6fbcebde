"""The corpus tables, in SQLAlchemy Core: one definition for SQLite and PostgreSQL.

Plain tables and columns, so that a user can query them with SQL or open them in Datasette
(``docs/schema.md`` describes every column).  Only ``documents`` has a surrogate key; every other
table is keyed by ``document_id`` plus the label the analysis gave the object (``s1``, ``e1``,
``f1``, ``t1``) and a position, so one document's rows are written together and read back
without joins on autoincrement ids.  Offsets are named ``start_char``/``end_char`` because
``end`` is a reserved word in PostgreSQL.

Change a table only through a new migration in `redline.store.migrations`.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _doc_fk() -> Column:
    return Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )


def _in_order(parent_key: str) -> list[Column]:
    """The key of a row that belongs to a parent row, at its place among the parent's rows."""
    return [Column(parent_key, String(16), primary_key=True),
            Column("position", Integer, primary_key=True)]


def _belongs_to(parent: str, key: str) -> ForeignKeyConstraint:
    """Deleting the parent row deletes its rows (a document is rewritten whole)."""
    return ForeignKeyConstraint(["document_id", key], [f"{parent}.document_id", f"{parent}.{key}"],
                                ondelete="CASCADE")


def _span() -> list[Column]:
    return [
        Column("start_char", Integer, nullable=False),
        Column("end_char", Integer, nullable=False),
        Column("text", Text, nullable=False),
    ]


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_key", String(64), nullable=False),
    Column("redline_version", String(32), nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("external_id", Text),
    Column("source", Text),
    Column("title", Text),
    Column("language", String(16)),
    Column("date", Text),
    Column("day", String(10)),
    Column("month", String(7)),
    Column("year", Integer),
    Column("speaker", Text),
    Column("country", Text),
    Column("url", Text),
    Column("length", Integer, nullable=False),
    Column("words", Integer, nullable=False),
    Column("n_segments", Integer, nullable=False),
    Column("n_entities", Integer, nullable=False),
    Column("n_mentions", Integer, nullable=False),
    Column("n_findings", Integer, nullable=False),
    Column("n_techniques", Integer, nullable=False),
    Column("max_severity", Integer, nullable=False),
    Column("meta", Text, nullable=False),
    Column("warnings", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    UniqueConstraint("doc_key", "redline_version", name="uq_documents_key_version"),
)

segments = Table(
    "segments",
    metadata,
    _doc_fk(),
    Column("segment_id", String(16), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("speaker", Text),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
)

entities = Table(
    "entities",
    metadata,
    _doc_fk(),
    Column("entity_id", String(16), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("kind", Text),
    Column("country", String(8)),
    Column("aliases", Text, nullable=False),
)

mentions = Table(
    "mentions",
    metadata,
    _doc_fk(),
    *_in_order("entity_id"),
    *_span(),
    _belongs_to("entities", "entity_id"),
)

findings = Table(
    "findings",
    metadata,
    _doc_fk(),
    Column("finding_id", String(16), primary_key=True),
    Column("segment_id", String(16)),
    Column("speaker", Text),
    Column("action", String(32), nullable=False),
    Column("modality", String(16), nullable=False),
    Column("conditional", Boolean, nullable=False),
    Column("severity", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("cameo", String(8)),
    *_span(),
    Column("actor_text", Text),
    Column("actor_entity_id", String(16)),
    Column("detector", Text, nullable=False),
)

finding_targets = Table(
    "finding_targets",
    metadata,
    _doc_fk(),
    *_in_order("finding_id"),
    Column("entity_id", String(16)),
    Column("text", Text, nullable=False),
    Column("start_char", Integer),
    Column("end_char", Integer),
    _belongs_to("findings", "finding_id"),
)

evidence = Table(
    "evidence",
    metadata,
    _doc_fk(),
    *_in_order("finding_id"),
    *_span(),
    Column("why", Text, nullable=False),
    _belongs_to("findings", "finding_id"),
)

techniques = Table(
    "techniques",
    metadata,
    _doc_fk(),
    Column("technique_id", String(16), primary_key=True),
    Column("technique", String(48), nullable=False),
    Column("segment_id", String(16)),
    *_span(),
    Column("confidence", Float, nullable=False),
    Column("why", Text, nullable=False),
    Column("detector", Text, nullable=False),
)

Index("ix_documents_version", documents.c.redline_version)
Index("ix_documents_month", documents.c.month)
Index("ix_documents_year", documents.c.year)
Index("ix_documents_speaker", documents.c.speaker)
Index("ix_documents_country", documents.c.country)
Index("ix_findings_action", findings.c.action, findings.c.modality)

# Child tables in the order their rows are inserted (parents first).
CHILD_TABLES = (segments, entities, mentions, findings, finding_targets, evidence, techniques)
DATA_TABLES = (documents, *CHILD_TABLES)
