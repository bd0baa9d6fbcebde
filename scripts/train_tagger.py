"""Train the word tagger of techniques (redline/detect/tagger.py).

    python scripts/train_tagger.py                  # writes redline/data/tagger/
    python scripts/train_tagger.py --out /tmp/tagger --report

Training data: the dev split of the real-speech technique sets (tests/data/techniques_real_*,
read with their speeches from ../shared/data) and redline's written passages
(tests/data/techniques_{en,ru}.jsonl). Never the test split, never SemEval data. Settings are
chosen by 5-fold cross-validation grouped by speech, on the real dev sentences: C per technique
by the out-of-fold average precision of its words; then, per technique and language, the
threshold and the phrase shape (how far a run of words widens into the phrase annotators mark,
redline.detect.tagger.PHRASE_SHAPES), scored as the evaluation scores it: spans (runs of words
above the threshold, widened) beside the cue rules' spans, by SemEval's partial-overlap rule.
The setting with the best span F1 at a span precision of MIN_PRECISION or more is shipped. The
choice itself is measured by nested cross-validation (the setting chosen on four folds, scored
on the fifth), which is the honest figure of what the shipped setting does on unseen speeches;
a technique stays off in a language where no setting reaches that precision, or where, so
measured, it adds nothing to the cues.
The same inputs give the same bytes (liblinear with a fixed seed, sorted keys, gzip without a
time stamp).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

from redline.detect.tagger import (
    CANDIDATE_POS,
    DIM,
    FEATURE_VERSION,
    MEANING,
    PHRASE_SHAPES,
    Word,
    dense_features,
    hashed,
    load_vectors,
    tagged_phrases,
    word_features,
    words_of_chunks,
)
from redline.eval.events import load_jsonl
from redline.eval.scorer_data import file_hash
from redline.eval.sources import REPO_ROOT
from redline.eval.techniques import (
    DATA,
    REAL_TECHNIQUES,
    _credit,
    _prf,
    cue_rule_spans,
    real_passages,
    real_set_path,
)

TECHNIQUES = tuple(MEANING)
LANGUAGES = ("en", "ru")
GRID_C = (4.0, 8.0, 16.0)  # 2.0 never won on the dev split
FOLDS = 5
MIN_PRECISION = 0.6
OUT = REPO_ROOT / "redline" / "data" / "tagger"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Examples:
    """One row per candidate word: its features, its gold techniques, its group and origin,
    and where it stands (passage, sentence, word) so that spans can be rebuilt from rows."""

    features: list[list[str]] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    gold: list[list[bool]] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    real: list[bool] = field(default_factory=list)
    where: list[tuple[int, int, int]] = field(default_factory=list)


def parse(text: str, lang: str) -> list[list[Word]]:
    if lang == "en":
        from redline.lang.english import parse_english
        chunks = parse_english(text, [(0, len(text))])
    else:
        from redline.lang.russian import parse_russian
        chunks = parse_russian(text, [(0, len(text))])
    return list(words_of_chunks(chunks))


@dataclass
class Parsed:
    """A passage as the parser read it, with what the examples need; ``cues`` are the cue
    rules' spans inside the window (real passages only), which the tagger's spans join."""

    lang: str
    sentences: list[list[Word]]
    window: tuple[int, int]
    spans: list[tuple[str, int, int]]
    group: str
    real: bool
    cues: list[tuple[str, int, int]] = field(default_factory=list)


def cue_spans(text: str, lang: str, window: tuple[int, int]) -> list[tuple[str, int, int]]:
    """What redline marks in the window without the tagger: the spans the tagger's join."""
    lo, hi = window
    return sorted((tech, s, e) for tech, s, e in cue_rule_spans(text, lang)
                  if lo <= s and e <= hi and tech in REAL_TECHNIQUES)


def parsed_passages(cache: Path | None) -> list[Parsed]:
    """Every training passage, parsed (``cache``: a pickle outside the repository that keeps
    the parses between runs while settings are compared)."""
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    out = []
    for lang in LANGUAGES:
        passages = real_passages(lang, "dev")
        say(f"{lang}: parsing {len(passages)} real dev sentences in context")
        for p in passages:
            window = tuple(p["window"])
            out.append(Parsed(lang, parse(p["text"], lang), window,
                              [(s["technique"], s["start"], s["end"]) for s in p["spans"]],
                              p["source"], True, cue_spans(p["text"], lang, window)))
        written = load_jsonl(DATA / f"techniques_{lang}.jsonl")
        say(f"{lang}: parsing {len(written)} written passages")
        for rec in written:
            out.append(Parsed(lang, parse(rec["text"], lang), (0, len(rec["text"])),
                              [(s["technique"], s["start"], s["end"]) for s in rec["spans"]],
                              f"written-{rec['id']}", False))
    if cache is not None:
        cache.write_bytes(pickle.dumps(out))
    return out


def add_passage(ex: Examples, p: Parsed, at: int) -> None:
    lo, hi = p.window
    lang, spans = p.lang, p.spans
    table = load_vectors()
    for n, words in enumerate(p.sentences):
        for i, w in enumerate(words):
            if w.pos not in CANDIDATE_POS or not (lo <= w.start and w.end <= hi):
                continue
            ex.features.append(word_features(words, i, lang))
            if table is not None:
                ex.vectors.append(dense_features(words, i, lang, table))
            ex.gold.append([any(k == t and s < w.end and w.start < e for k, s, e in spans)
                            for t in TECHNIQUES])
            ex.group.append(p.group)
            ex.real.append(p.real)
            ex.where.append((at, n, i))


def load_examples(passages: list[Parsed]) -> Examples:
    ex = Examples()
    for at, p in enumerate(passages):
        add_passage(ex, p, at)
    return ex


def matrix(ex: Examples) -> sparse.csr_matrix:
    """Hashed features, then the word's vector when the table is shipped."""
    rows, cols, vals = [], [], []
    for r, names in enumerate(ex.features):
        idx, val = hashed(names)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(val.tolist())
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(len(ex.features), DIM))
    if not ex.vectors:
        return x
    return sparse.hstack([x, sparse.csr_matrix(np.vstack(ex.vectors))], format="csr")


def fold_of(group: str) -> int:
    return int(hashlib.sha256(f"tagger-cv|{group}".encode()).hexdigest()[:8], 16) % FOLDS


def fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    if y.min() == y.max():
        return np.zeros(x.shape[1]), (10.0 if y[0] else -10.0)
    # unweighted: on the dev split it ranked as well as class-balanced weights (AUC 0.886
    # against 0.885 for loaded language) and gave more recall at the precision floor
    model = LogisticRegression(solver="liblinear", C=c, max_iter=2000, random_state=0)
    model.fit(x, y)
    return model.coef_[0], float(model.intercept_[0])


def out_of_fold(x: sparse.csr_matrix, y: np.ndarray, folds: np.ndarray, c: float) -> np.ndarray:
    probs = np.zeros(len(y))
    for f in range(FOLDS):
        train, held = folds != f, folds == f
        w, b = fit(x[train], y[train], c)
        probs[held] = 1.0 / (1.0 + np.exp(-(x[held] @ w + b)))
    return probs


_SHARED: dict[str, Any] = {}  # the matrix and labels, inherited by forked workers


def _oof_task(task: tuple[int, float]) -> tuple[int, float, np.ndarray]:
    k, c = task
    x, gold, folds = _SHARED["x"], _SHARED["gold"], _SHARED["folds"]
    return k, c, out_of_fold(x, gold[:, k].astype(int), folds, c)


def choose_c(x, ex: Examples, jobs: int) -> tuple[dict[str, float], np.ndarray]:
    """C per technique by the out-of-fold average precision of the real dev words; with it,
    each word's out-of-fold probabilities (rows: words, columns: TECHNIQUES). The fits run in
    ``jobs`` forked processes (each fit is deterministic, so the result does not depend on
    how many)."""
    real = np.array(ex.real)
    gold = np.array(ex.gold)
    _SHARED.update(x=x, gold=gold, folds=np.array([fold_of(g) for g in ex.group]))
    tasks = [(k, c) for k in range(len(TECHNIQUES)) for c in GRID_C]
    if jobs > 1:
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            results = list(pool.map(_oof_task, tasks))
    else:
        results = [_oof_task(t) for t in tasks]
    chosen, probs, best_ap = {}, np.zeros(gold.shape), {}
    for k, c, oof in results:  # in task order: the smaller C wins a tie
        tech = TECHNIQUES[k]
        ap = average_precision_score(gold[real, k], oof[real]) if gold[real, k].any() else 0.0
        say(f"  {tech:28} C={c:<5} out-of-fold average precision {ap:.3f}")
        if ap > best_ap.get(tech, -1.0):
            best_ap[tech], chosen[tech], probs[:, k] = ap, c, oof
    return chosen, probs


# --- thresholds, scored as spans -------------------------------------------------------------

OFF = 2.0  # a threshold no probability reaches: the technique is off, the cues alone read
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.20, 0.99, 0.02))
# The settings training chooses among, per technique and language: a phrase shape and a
# threshold (narrowest shape first, each shape's thresholds rising), then OFF.
GRID = (*[(shape, t) for shape in PHRASE_SHAPES for t in THRESHOLDS], ("word", OFF))


def tagger_runs(p: Parsed, probs: dict[tuple[int, int], float], threshold: float,
                shape: str = "word") -> list[tuple[int, int]]:
    """The tagger's spans in a passage, by Tagger.spans's own rule: runs of neighbouring words
    at or above the threshold, widened to the phrase shape (``probs``: the passage's candidate
    words' probabilities by (sentence, word))."""
    out = []
    for n, words in enumerate(p.sentences):
        scores = [probs.get((n, i)) for i in range(len(words))]
        out += [(words[ph.first].start, words[ph.last].end)
                for ph in tagged_phrases(words, scores, threshold, PHRASE_SHAPES[shape])]
    return out


def span_credit(p: Parsed, tech: str, runs: list[tuple[int, int]]) -> np.ndarray:
    """(precision credit, spans predicted, recall credit, gold spans) of one technique in one
    passage: the cues' spans with the runs that no cue of the technique overlaps."""
    cues = [(s, e) for k, s, e in p.cues if k == tech]
    pred = cues + [(s, e) for s, e in runs if not any(s < ce and cs < e for cs, ce in cues)]
    gold = [(s, e) for k, s, e in p.spans if k == tech]
    return np.array([_credit(pred, gold), len(pred), _credit(gold, pred), len(gold)])


def credits(passages: list[Parsed], ex: Examples, probs: np.ndarray, lang: str
            ) -> tuple[list[int], np.ndarray]:
    """The real passages of a language, and for each technique and setting of GRID each
    passage's span credit: shape (techniques, settings, passages, 4)."""
    chosen = [at for at, p in enumerate(passages) if p.real and p.lang == lang]
    by_passage: dict[int, dict[tuple[int, int], int]] = {at: {} for at in chosen}
    for r, (at, n, i) in enumerate(ex.where):
        if at in by_passage:
            by_passage[at][(n, i)] = r
    out = np.zeros((len(TECHNIQUES), len(GRID), len(chosen), 4))
    for k, tech in enumerate(TECHNIQUES):
        for m, at in enumerate(chosen):
            p, rows = passages[at], by_passage[at]
            word_probs = {key: probs[r, k] for key, r in rows.items()}
            for t, (shape, threshold) in enumerate(GRID):
                out[k, t, m] = span_credit(p, tech, tagger_runs(p, word_probs, threshold, shape))
    return chosen, out


def prf(total: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 (with the span counts) of summed credits, as the evaluation
    reports them."""
    return _prf(*(float(v) for v in total))


def pick_setting(table: np.ndarray) -> int:
    """Of one technique's summed credits per setting of GRID (settings, 4): the best span F1
    at a span precision of MIN_PRECISION or more (the cues alone, OFF, among them); OFF where
    no setting reaches that precision. Ties go to the narrower shape, then to the higher
    threshold (fewer spans)."""
    scores = [prf(row) for row in table]
    fine = [t for t, s in enumerate(scores) if s["precision"] >= MIN_PRECISION]
    if not fine:
        return len(GRID) - 1
    rank = list(PHRASE_SHAPES)
    return max(fine, key=lambda t: (scores[t]["f1"], -rank.index(GRID[t][0]), GRID[t][1]))


def choose_settings(passages: list[Parsed], ex: Examples, probs: np.ndarray
                    ) -> tuple[dict[str, dict[str, tuple[str, float]]], dict[str, dict]]:
    """Per language and technique, the shipped setting, a phrase shape and a threshold (chosen
    on all real dev passages), and the figures: cues alone, the chosen setting in-sample, and
    nested (chosen on four folds, scored on the fifth)."""
    settings: dict[str, dict[str, tuple[str, float]]] = {}
    report: dict[str, dict] = {}
    for lang in LANGUAGES:
        chosen, table = credits(passages, ex, probs, lang)
        folds = np.array([fold_of(passages[at].group) for at in chosen])
        nested = np.zeros((len(TECHNIQUES), 4))
        picked = np.zeros((len(TECHNIQUES), 4))
        for k, tech in enumerate(TECHNIQUES):
            for f in range(FOLDS):
                inner = pick_setting(table[k][:, folds != f].sum(axis=1))
                nested[k] += table[k, inner][folds == f].sum(axis=0)
            t = pick_setting(table[k].sum(axis=1))
            if prf(nested[k])["f1"] <= prf(table[k, -1].sum(axis=0))["f1"]:
                t = len(GRID) - 1  # out of sample the tagger adds nothing to the cues: off
            settings.setdefault(tech, {})[lang] = GRID[t]
            picked[k] = table[k, t].sum(axis=0)
        cues = table[:, -1].sum(axis=1)
        report[lang] = {
            "passages": len(chosen),
            "cues_alone": {"micro": prf(cues.sum(axis=0)),
                           **{t: prf(cues[k]) for k, t in enumerate(TECHNIQUES)}},
            "chosen_in_sample": {"micro": prf(picked.sum(axis=0)),
                                 **{t: prf(picked[k]) for k, t in enumerate(TECHNIQUES)}},
            "nested_cv": {"micro": prf(nested.sum(axis=0)),
                          **{t: prf(nested[k]) for k, t in enumerate(TECHNIQUES)}},
        }
        for name in ("cues_alone", "chosen_in_sample", "nested_cv"):
            m = report[lang][name]["micro"]
            say(f"{lang} {name:17} micro P {m['precision']:.3f} R {m['recall']:.3f} "
                f"F1 {m['f1']:.3f}")
        for tech in TECHNIQUES:
            n, c = report[lang]["nested_cv"][tech], report[lang]["cues_alone"][tech]
            shape, threshold = settings[tech][lang]
            say(f"  {lang} {tech:28} {shape:>20} {threshold:<4}  nested P "
                f"{n['precision']:.3f} R {n['recall']:.3f} F1 {n['f1']:.3f}  (cues alone F1 "
                f"{c['f1']:.3f})")
    return settings, report


def inputs_hash() -> dict[str, str]:
    files = [real_set_path(lang) for lang in LANGUAGES] + [
        DATA / f"techniques_{lang}.jsonl" for lang in LANGUAGES]
    return {str(p.relative_to(REPO_ROOT)): file_hash(p) for p in files}


def write_model(out: Path, weights: np.ndarray, meta: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.save(buffer, weights.astype(np.float16), allow_pickle=False)
    (out / "weights.npy.gz").write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    (out / "model.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the parses in this pickle (outside the repository)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the fits")
    args = parser.parse_args()
    passages = parsed_passages(args.cache)
    ex = load_examples(passages)
    say(f"{len(ex.features):,} candidate words ({sum(ex.real):,} in real speech)")
    x = matrix(ex)
    c_of, probs = choose_c(x, ex, args.jobs)
    settings, report = choose_settings(passages, ex, probs)
    on = {t: {lang: s for lang, s in settings[t].items() if s[1] < OFF} for t in TECHNIQUES}
    shipped = [t for t in TECHNIQUES if on[t]]
    gold = np.array(ex.gold)
    weights, bias = [], []
    for tech in shipped:
        w, b = fit(x, gold[:, TECHNIQUES.index(tech)].astype(int), c_of[tech])
        weights.append(w)
        bias.append(round(b, 6))
    meta = {
        "feature_version": FEATURE_VERSION, "dim": DIM, "languages": list(LANGUAGES),
        "techniques": shipped, "bias": bias,
        "thresholds": {t: {lang: s[1] for lang, s in on[t].items()} for t in shipped},
        "phrases": {t: {lang: s[0] for lang, s in on[t].items()} for t in shipped},
        "C": {t: c_of[t] for t in shipped},
        "cross_validation": report,
        "min_precision": MIN_PRECISION, "inputs_sha256": inputs_hash(),
        "trained_on": "dev split of tests/data/techniques_real_{en,ru}.jsonl and "
                      "tests/data/techniques_{en,ru}.jsonl; 5-fold CV grouped by speech; "
                      "phrase shapes and thresholds per language by span F1 beside the cues",
        "words": {"all": len(ex.features), "real": int(sum(ex.real))},
    }
    if load_vectors() is not None:
        meta["vectors_sha256"] = file_hash(OUT / "vectors.npy.gz")
    write_model(args.out, np.array(weights) if weights else np.zeros((0, x.shape[1])), meta)
    say(f"shipped {shipped}; written to {args.out}")


if __name__ == "__main__":
    main()
