"""Throughput, scaling and memory of `redline ingest` with 1 and 2 worker processes.

Streams the first N English UN General Debate speeches (from ``--since`` on) out of
``../shared/data/un_general_debates.jsonl.gz`` into a JSONL file with their metadata (year,
country, speaker), then ingests it into a fresh SQLite database once per worker count, each run
in a fresh process so that the parent's peak memory is its own.  Both runs use real worker
processes (even with 1 worker), so the parent only reads, schedules and writes.

Reports documents/s and words/s (end to end, and after the first document, i.e. without the
workers' start-up: loading spaCy), the scaling ratio 2 workers / 1 worker, and peak RSS of the
parent and of each worker (ru_maxrss reported by the workers; RUSAGE_CHILDREN as a check).
Because a shared machine's other load distorts the ratio, each run also reports the CPU seconds
its workers used and the load average around it; ``--repeat K`` alternates the runs K times
and keeps the fastest of each.  Not part of the test suite: run it with ``make bench``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "un_general_debates.jsonl.gz"


def write_corpus(src: Path, dest: Path, n: int, since: int) -> tuple[int, int]:
    """Stream the first ``n`` matching speeches into ``dest``; returns (documents, words)."""
    docs = words = 0
    with gzip.open(src, "rt", encoding="utf-8") as fh, dest.open("w", encoding="utf-8") as out:
        for line in fh:
            rec = json.loads(line)
            if rec.get("year", 0) < since or rec.get("lang", "en") != "en":
                continue
            keep = {k: rec.get(k) for k in ("year", "country", "speaker")}
            keep.update(text=rec["text"], source="UN General Debate", lang="en",
                        id=f"ungd-{rec.get('year')}-{rec.get('country')}")
            out.write(json.dumps(keep, ensure_ascii=False) + "\n")
            docs += 1
            words += len(rec["text"].split())
            if docs >= n:
                break
    return docs, words


def run_ingest(corpus: str, workers: int, out: mp.Queue) -> None:
    """In a fresh process: ingest ``corpus`` into a new database with ``workers`` processes."""
    from redline.store.backends import make_backend
    from redline.store.runner import ingest
    from redline.store.writer import Store

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "bench.db"))
        backend = make_backend(workers, force_processes=True)
        t0 = time.perf_counter()
        stats = ingest([corpus], store, backend, progress=False)
        seconds = time.perf_counter() - t0
        backend.close()
        store.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.put({
        "workers": workers, "seconds": seconds, "stored": stats.stored, "errors": stats.errors,
        "words": stats.words, "findings": stats.findings, "first_stored_s": stats.first_stored,
        "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": sorted(stats.worker_peak_mb.values()),
        "children_maxrss_mb": children.ru_maxrss / 1024,
        "worker_cpu_s": children.ru_utime + children.ru_stime,
        "load_avg": (load_before, os.getloadavg()[0]),
    })


def measure(corpus: Path, workers: int) -> dict:
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=run_ingest, args=(str(corpus), workers, q))
    proc.start()
    result = q.get()
    proc.join()
    secs, first = result["seconds"], result["first_stored_s"] or 0.0
    result["docs_per_s"] = result["stored"] / secs
    result["words_per_s"] = result["words"] / secs
    steady = max(secs - first, 1e-9)
    result["steady_docs_per_s"] = (result["stored"] - 1) / steady
    return result


def report(rows: list[dict], docs: int, words: int) -> dict:
    one, two = rows
    summary = {
        "documents": docs, "words": words, "runs": rows,
        "scaling_docs_per_s": round(two["docs_per_s"] / one["docs_per_s"], 3),
        "scaling_steady": round(two["steady_docs_per_s"] / one["steady_docs_per_s"], 3),
    }
    print(f"redline ingest: {docs} UN General Debate speeches, {words:,} words, SQLite")
    for r in rows:
        peaks = ", ".join(f"{p:,.0f}" for p in r["worker_peak_mb"])
        print(f"  {r['workers']} worker{'s' if r['workers'] > 1 else ' '}: "
              f"{r['seconds']:.1f} s, {r['docs_per_s']:.2f} docs/s, "
              f"{r['words_per_s']:,.0f} words/s; after start-up "
              f"{r['steady_docs_per_s']:.2f} docs/s (first document at "
              f"{r['first_stored_s']:.1f} s)")
        print(f"             peak RSS: parent {r['parent_peak_mb']:,.0f} MB, workers {peaks} MB;"
              f" worker CPU {r['worker_cpu_s']:.0f} s ({r['worker_cpu_s'] / r['seconds']:.2f}"
              f" cores busy); load average "
              f"{r['load_avg'][0]:.1f} -> {r['load_avg'][1]:.1f}")
    print(f"  scaling 2/1 workers: {summary['scaling_docs_per_s']:.2f} end to end, "
          f"{summary['scaling_steady']:.2f} after start-up")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--since", type=int, default=2000, help="first year of speeches to take")
    ap.add_argument("--repeat", type=int, default=1,
                    help="alternate the 1- and 2-worker runs K times, keep the fastest of each")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    if not args.data.exists():
        print(f"bench: {args.data} not found (pass --data PATH)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        docs, words = write_corpus(args.data, corpus, args.docs, args.since)
        runs = [measure(corpus, w) for _ in range(args.repeat) for w in (1, 2)]
    rows = [min((r for r in runs if r["workers"] == w), key=lambda r: r["seconds"])
            for w in (1, 2)]
    summary = report(rows, docs, words)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
