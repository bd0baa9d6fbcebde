"""Time and peak memory of one long document next to a bare spaCy parse of the same text.

Three kinds of text, each at 64 KB, 256 KB and 1 MB (issue 19: hostile and huge input):

* unpunctuated -- one line of words with no sentence end at all;
* quoted       -- one line of short «…» quotations, no sentence end;
* speech       -- the bundled English Carlson interview (ordinary paragraphs), repeated.

Each case runs in a fresh process so its peak memory (ru_maxrss) is its own: redline's whole
analysis of the text as one document, and spaCy's ``en_core_web_sm`` over the same pieces the
analysis parses (its paragraphs, cut at `redline.lang.english.MAX_CHUNK`), in the same
batches. Wall and CPU seconds are both reported: on a shared machine the CPU seconds are the
steadier figure. Growth is linear when the CPU seconds per MB stay flat from 64 KB to 1 MB; the
issue asks that the 1 MB analyses take at most 3x the bare parse.

Not part of the test suite: ``make bench`` runs it; ``--sizes 64`` for a quick look,
``--markdown`` prints the table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT / "tests" / "fixtures" / "parallel" / "carlson-2024.en.txt"
PHRASE = ("we must strike the enemy and our people will defend the homeland against those who "
         "threaten us the army stands ready and the government will act with force if they "
         "cross the line our soldiers will destroy every base they build near our border")
WORDS = PHRASE.split()
KINDS = ("unpunctuated", "quoted", "speech")


def make_text(kind: str, size: int) -> str:
    """``size`` characters of one kind of text, the same on every run."""
    if kind == "speech":
        base = SPEECH.read_text("utf-8")
        return (base * (size // len(base) + 1))[:size]
    if kind == "unpunctuated":
        piece = " ".join(WORDS)
        return ((piece + " ") * (size // len(piece) + 1))[:size]
    quotes = [f"«{WORDS[i % 40]} {WORDS[(i + 3) % 40]} {WORDS[(i + 7) % 40]}» "
              for i in range(len(WORDS))]
    body = "".join(quotes)
    return (body * (size // len(body) + 1))[:size]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_redline(kind: str, size: int, out: mp.Queue) -> None:
    """The whole analysis of the text as one English document."""
    from redline.engine import analyze

    text = make_text(kind, size)
    analyze("Warm up. We must strike.", lang="en")
    t0, c0 = time.perf_counter(), time.process_time()
    result = analyze(text, lang="en")
    out.put({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
             "peak_mb": _peak_mb(), "findings": len(result.findings),
             "cuts": sum("the parser read it in" in w for w in result.document.warnings)})


def run_spacy(kind: str, size: int, out: mp.Queue) -> None:
    """spaCy alone over the pieces redline parses, in the batches redline makes (spaCy's own
    default puts a whole 1 MB text in one batch: slower, and about 3 GB)."""
    from redline.lang.english import batches, chunk_spans, load_english

    text = make_text(kind, size)
    nlp = load_english()
    nlp("warm up")
    t0, c0 = time.perf_counter(), time.process_time()
    for batch in batches(list(chunk_spans(text, 0, len(text)))):
        for _ in nlp.pipe([text[s:e] for s, e in batch], batch_size=len(batch)):
            pass
    out.put({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
             "peak_mb": _peak_mb()})


def measure(target, kind: str, size: int) -> dict:
    """Run ``target`` in a fresh process and return what it reports."""
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(kind, size, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def _line(kind: str, kb: int, red: dict, bare: dict) -> str:
    """One case as a progress line on stderr."""
    return (f"{kind:13} {kb:5} KB  redline {red['seconds']:6.1f} s ({red['cpu']:6.1f} CPU s, "
            f"{red['cpu'] / kb * 1024:5.1f} CPU s/MB) {red['peak_mb']:5.0f} MB  spaCy "
            f"{bare['seconds']:6.1f} s ({bare['cpu']:6.1f} CPU s) {bare['peak_mb']:5.0f} MB  "
            f"ratio {red['cpu'] / bare['cpu']:4.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="64,256,1024", help="sizes in KB, comma-separated")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--markdown", action="store_true", help="print a table for RESULTS.md")
    args = ap.parse_args()
    rows = []
    for kind in args.kinds.split(","):
        for kb in (int(s) for s in args.sizes.split(",")):
            red = measure(run_redline, kind, kb * 1024)
            bare = measure(run_spacy, kind, kb * 1024)
            rows.append((kind, kb, red, bare))
            print(_line(kind, kb, red, bare), file=sys.stderr, flush=True)
    if args.markdown:
        print("| text | size | redline s (CPU s) | CPU s per MB | peak MB | spaCy s (CPU s) "
              "| spaCy peak MB | redline / spaCy, CPU |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for kind, kb, red, bare in rows:
            print(f"| {kind} | {kb} KB | {red['seconds']:.1f} ({red['cpu']:.1f}) | "
                  f"{red['cpu'] / kb * 1024:.1f} | {red['peak_mb']:.0f} | "
                  f"{bare['seconds']:.1f} ({bare['cpu']:.1f}) | {bare['peak_mb']:.0f} | "
                  f"{red['cpu'] / bare['cpu']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
