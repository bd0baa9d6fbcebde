"""Parallel ingest stores exactly what a single process stores: local worker processes and a
Dask cluster (a `LocalCluster` of two single-threaded worker processes, reached by its
``tcp://`` address as a remote cluster would be, and ``--dask local``).

Dumps compare every table with surrogate ids replaced by document keys and ingest times left
out, so the order in which workers finish does not matter.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_support import assert_complete, dump, write_corpus

from redline.store.backends import DaskBackend, InlineBackend, ProcessBackend
from redline.store.runner import ingest
from redline.store.writer import Store

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("parallel")
    jsonl = write_corpus(root / "corpus.jsonl", 16)
    return [str(jsonl), str(CORPUS / "telegram" / "result.json"), str(CORPUS / "briefing.vtt")]


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory) -> dict:
    """The reference: everything analysed in this process."""
    db = str(tmp_path_factory.mktemp("single") / "single.db")
    store = Store(db)
    stats = ingest(corpus, store, InlineBackend(), progress=False)
    store.close()
    assert stats.stored == 16 + 4 + 1 and stats.errors == 0
    return dump(db)


def _ingest_with(backend, corpus: list[str], db: str):
    store = Store(db)
    try:
        return ingest(corpus, store, backend, progress=False)
    finally:
        backend.close()
        store.close()


def test_worker_processes_store_the_same(corpus, single, tmp_path):
    db = str(tmp_path / "processes.db")
    stats = _ingest_with(ProcessBackend(2), corpus, db)
    assert stats.stored == 21 and len(stats.worker_peak_mb) == 2
    assert assert_complete(db) == 21
    assert dump(db) == single


def test_dask_local_cluster_stores_the_same(corpus, single, tmp_path, run_cli):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        db = str(tmp_path / "dask.db")
        result = run_cli("ingest", *corpus, "--db", db, "--no-progress",
                         "--dask", cluster.scheduler_address)
        assert result.exit_code == 0, result.stderr
        assert "21 stored, 0 already stored, 0 errors" in result.stderr
        assert "(largest worker)" in result.stderr
        assert dump(db) == single
        again = run_cli("ingest", *corpus, "--db", db, "--no-progress",
                        "--dask", cluster.scheduler_address)
        assert "0 stored, 21 already stored" in again.stderr


def test_dask_local_option_starts_its_own_cluster(corpus, single, tmp_path):
    pytest.importorskip("distributed")
    db = str(tmp_path / "dask-local.db")
    backend = DaskBackend("local", 2)
    assert backend.slots == 2
    stats = _ingest_with(backend, corpus, db)
    assert stats.stored == 21 and stats.errors == 0
    assert dump(db) == single


def test_a_dead_worker_is_replaced():
    """A worker that dies (segfault, OOM kill) fails its documents, not the run."""
    from concurrent.futures.process import BrokenProcessPool

    backend = ProcessBackend(1)
    try:
        with pytest.raises(BrokenProcessPool):
            backend.submit(os._exit, 3).result(timeout=60)
        assert backend.submit(pow, 2, 5).result(timeout=60) == 32
    finally:
        backend.close()


def test_bad_dask_address_is_one_clear_line(run_cli, tmp_path):
    result = run_cli("ingest", str(CORPUS / "speeches.jsonl"), "--db", str(tmp_path / "c.db"),
                     "--dask", "no-such-scheduler")
    assert result.exit_code == 2
    assert result.stderr.startswith("redline: cannot start the workers")
    assert result.stderr.count("\n") == 1
