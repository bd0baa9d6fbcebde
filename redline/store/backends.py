"""Where analyses run: in this process, in local worker processes, or on a Dask cluster.

All three offer the same two calls -- ``submit(fn, *args)`` returning a future and
``wait_any(futures)`` returning ``(done, not_done)`` -- because `concurrent.futures` and
`dask.distributed` already agree on them; the ingest loop is written once against that.
Scheduling is theirs: no home-made scheduler here.  Only the parent writes to the database.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol


class Backend(Protocol):
    slots: int  # how many analyses can run at once

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def wait_any(self, futures: Iterable[Any]) -> tuple[set[Any], set[Any]]: ...

    def close(self) -> None: ...


class InlineBackend:
    """Run each analysis at once in this process: no start-up cost, the default for one worker."""

    slots = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args))
        except Exception as exc:  # the loop reports it like a worker's failure
            fut.set_exception(exc)
        return fut

    def wait_any(self, futures: Iterable[Future]) -> tuple[set[Future], set[Future]]:
        done, not_done = wait(list(futures), return_when=FIRST_COMPLETED)
        return set(done), set(not_done)

    def close(self) -> None:
        pass


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit when the parent dies (kill -9 leaves no orphan analysing on), and
    leave Ctrl+C to the parent, which stops the pool cleanly instead of every worker printing
    a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="redline-parent-watch", daemon=True).start()


class ProcessBackend(InlineBackend):
    """A `ProcessPoolExecutor` of ``n`` spawned processes (spawn: no inherited threads or
    database connections); a pool broken by a dying worker is replaced for the next document."""

    def __init__(self, n: int) -> None:
        self.slots = n
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.slots, mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent, initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend:
    """A dask.distributed `Client`: ``"local"`` starts a `LocalCluster` of ``n`` single-threaded
    worker processes on 127.0.0.1; otherwise ``address`` is a scheduler (``tcp://host:8786``)."""

    def __init__(self, address: str, n: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ImportError(
                "--dask needs dask.distributed: pip install 'redline[corpus]'"
            ) from exc
        logging.getLogger("distributed").setLevel(logging.ERROR)
        self._cluster = None
        if address == "local":
            self._cluster = LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            self.client = Client(self._cluster)
        else:
            self.client = Client(address, timeout="10s")
        self.slots = max(sum(self.client.nthreads().values()), 1)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.client.submit(fn, *args, pure=False)

    def wait_any(self, futures: Iterable[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait as dask_wait

        done, not_done = dask_wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done), set(not_done)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_backend(workers: int, dask: str | None = None, *, force_processes: bool = False
                 ) -> Backend:
    """The backend the options ask for: Dask if ``dask`` is given, else processes for
    ``workers > 1`` (or ``force_processes``, for benchmarks), else this process."""
    if dask:
        return DaskBackend(dask, max(workers, 1) if dask == "local" else workers)
    if workers > 1 or force_processes:
        return ProcessBackend(workers)
    return InlineBackend()
