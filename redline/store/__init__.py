"""Corpora: analyses stored in SQLite or PostgreSQL, batch ingest, trends and ad-hoc SQL.

Needs the ``corpus`` extra (SQLAlchemy, psycopg, dask.distributed, matplotlib).  The tables are
described in ``docs/schema.md``; `redline.store.migrations` explains how they are versioned.
Modules: ``db`` (opening a database), ``schema`` and ``migrations`` (the tables), ``rows``
(analysis -> rows), ``writer`` (the one writer), ``backends`` and ``runner`` (``redline
ingest``), ``trends``, ``query``, and ``commands`` (the command-line entry points).  Nothing is
imported here, so ``redline --help`` starts without loading SQLAlchemy.
"""
