"""Throughput and peak memory of `redline analyze` next to a bare spaCy parse of the same text.

Reads English UN General Debate speeches from ``../shared/data`` (or ``--data PATH``), takes the
first N with ``--docs``, and measures, each in a fresh process so peak memory is its own:

* spaCy  -- ``en_core_web_sm`` (full pipeline) over the same paragraphs redline parses;
* redline -- the whole analysis (structure, parse, entities, detectors) per document.

Prints words/s, peak RSS and the redline/spaCy throughput ratio; ``--json`` writes them too.
Not part of the test suite: run it with ``make bench``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "un_general_debates.jsonl.gz"


def load_texts(path: Path, n: int, since: int) -> list[str]:
    """The first ``n`` speeches from year ``since`` on, streamed (the corpus is 66 MB)."""
    texts: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("year", 0) >= since and rec.get("lang", "en") == "en":
                texts.append(rec["text"])
                if len(texts) >= n:
                    break
    return texts


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_spacy(texts: list[str], out: mp.Queue) -> None:
    from redline.lang.english import chunk_spans, load_english

    nlp = load_english()
    pieces = [t[s:e] for t in texts for s, e in chunk_spans(t, 0, len(t))]
    nlp("warm up")
    t0 = time.perf_counter()
    for _ in nlp.pipe(pieces, batch_size=64):
        pass
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb()})


def run_redline(texts: list[str], out: mp.Queue, without: tuple[str, ...] = ()) -> None:
    """The whole analysis; ``without`` names components to leave out (to price one)."""
    from redline.components import default_registry
    from redline.engine import analyze
    from redline.lang.english import load_english

    registry = default_registry()
    for name in without:
        registry.unregister(name)
    load_english()
    analyze("Warm up: Kyiv.", lang="en", registry=registry)
    t0 = time.perf_counter()
    findings = techniques = 0
    for text in texts:
        a = analyze(text, lang="en", registry=registry)
        findings += len(a.findings)
        techniques += len(a.techniques)
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(), "findings": findings,
             "techniques": techniques})


def run_redline_without_techniques(texts: list[str], out: mp.Queue) -> None:
    run_redline(texts, out, without=("techniques",))


def measure(target, texts: list[str]) -> dict:
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(texts, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--since", type=int, default=2000, help="first year of speeches to take")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    if not args.data.exists():
        print(f"bench: {args.data} not found (pass --data PATH)", file=sys.stderr)
        return 2
    texts = load_texts(args.data, args.docs, args.since)
    words = sum(len(t.split()) for t in texts)
    spacy_r = measure(run_spacy, texts)
    red_r = measure(run_redline, texts)
    bare_r = measure(run_redline_without_techniques, texts)
    rows = {
        "documents": len(texts),
        "words": words,
        "spacy_words_per_s": round(words / spacy_r["seconds"]),
        "spacy_peak_mb": round(spacy_r["peak_mb"]),
        "redline_words_per_s": round(words / red_r["seconds"]),
        "redline_peak_mb": round(red_r["peak_mb"]),
        "redline_findings": red_r["findings"],
        "redline_techniques": red_r["techniques"],
        "without_techniques_words_per_s": round(words / bare_r["seconds"]),
        "techniques_cost": round(red_r["seconds"] / bare_r["seconds"] - 1, 3),
    }
    rows["ratio_redline_to_spacy"] = round(
        rows["redline_words_per_s"] / rows["spacy_words_per_s"], 3
    )
    print(f"English, {len(texts)} UN General Debate speeches, {words:,} words")
    for label, key in (("bare spaCy parse", "spacy"), ("redline analyze", "redline")):
        speed, peak = rows[f"{key}_words_per_s"], rows[f"{key}_peak_mb"]
        print(f"  {label:17}: {speed:>8,} words/s   peak {peak:,} MB")
    print(f"  ratio redline/spaCy: {rows['ratio_redline_to_spacy']:.2f}")
    print(f"  without techniques : {rows['without_techniques_words_per_s']:>8,} words/s; "
          f"techniques add {rows['techniques_cost']:.1%} to the analysis time")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
