"""Train the learned scorer (``redline/data/scorer/``) and measure it by cross-validation.

    python scripts/train_scorer.py --work ../scorer-work            # CV figures and the model
    python scripts/train_scorer.py --work ../scorer-work --cv-only  # CV figures only

Training data (`redline.eval.scorer_data`): the dev split of the real-speech corpus, the
written sentence sets and the labelled dev halves of ``../shared/data``. The corpus's test split
is never read here. Model choice (regularisation, the weight of the corpus against the
comment sets) and the thresholds are chosen by 5-fold cross-validation on the corpus's dev
split, grouped by speech; the confidence maps are fitted on the out-of-fold predictions.

Deterministic: liblinear with a fixed random state, examples in a fixed order; the same inputs
give the same bytes (their SHA-256 are recorded in ``model.json``, with those of the codebooks
and confidence maps whose readings are features: change the rules, retrain). The work folder
caches the rules' readings of every example (``examples.pkl``; delete it after a change to the
rules); it holds text from ``../shared`` and stays outside the repository.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from redline.detect.core.confidence import ASSERTED
from redline.detect.core.join import ALONE, calibrated, scorer_head
from redline.detect.core.scorer import (
    DIM,
    FEATURE_VERSION,
    HEADS,
    feature_names,
    hashed,
    stance_head,
)
from redline.eval.calibration import fit_isotonic
from redline.eval.metrics import Confusion
from redline.eval.scorer_data import (
    THREAT_SETS,
    Example,
    all_examples,
    file_hash,
    training_inputs,
)
from redline.eval.sources import REPO_ROOT
from redline.eval.speech import calibration_error

FOLDS = 5
GRID_C = (0.5, 2.0, 8.0)
GRID_CORPUS_WEIGHT = (1.0, 4.0)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- features and fitting --------------------------------------------------------------------

def matrix(examples: Sequence[Example]) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    for r, ex in enumerate(examples):
        idx, val = hashed(feature_names(ex.text, ex.signs, ex.lang, ex.probes))
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(val.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(examples), DIM))


def example_weight(ex: Example, corpus_weight: float) -> float:
    """Every annotated sentence (the corpus's, the written sets') counts ``corpus_weight``
    times a post of the comment sets. (Counting the posts far less for the act head, as
    speech is not their register, bought 0.01 of F1 on the corpus's dev split and cost the
    comment sets up to 0.04.)"""
    return 1.0 if ex.source in THREAT_SETS else corpus_weight


def fit(x: sparse.csr_matrix, examples: Sequence[Example], rows: Sequence[int], c: float,
        corpus_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per head over the rows that have its gold."""
    weights = np.zeros((len(HEADS), DIM))
    bias = np.zeros(len(HEADS))
    for h, head in enumerate(HEADS):
        # the stance heads read sentences that hold an act (the comment sets have no act
        # label: their posts all count for whose threat it is)
        use = [r for r in rows if head in examples[r].labels
               and (head == "act" or examples[r].labels.get("act", True))]
        y = np.array([examples[r].labels[head] for r in use], dtype=int)
        if y.min() == y.max():
            bias[h] = 10.0 if y[0] else -10.0
            continue
        sw = np.array([example_weight(examples[r], corpus_weight) for r in use])
        model = LogisticRegression(solver="liblinear", C=c, max_iter=1000, random_state=0)
        model.fit(x[use], y, sample_weight=sw)
        weights[h], bias[h] = model.coef_[0], model.intercept_[0]
    return weights, bias


def predict(weights: np.ndarray, bias: np.ndarray, x: sparse.csr_matrix) -> np.ndarray:
    """Joint probabilities, as the runtime gives them: p(act), and p(act and stance) for the
    stance heads, which are trained on sentences that hold an act."""
    z = np.asarray(x @ weights.T) + bias
    p = 1.0 / (1.0 + np.exp(-z))
    act = p[:, [HEADS.index("act")]]
    return np.where(np.array([h == "act" for h in HEADS]), p, p * act)


# --- cross-validation on the corpus's dev split ------------------------------------------------

def fold_of(key: str) -> int:
    return int(hashlib.sha256(f"scorer-cv|{key}".encode()).hexdigest()[:8], 16) % FOLDS


def out_of_fold(x: sparse.csr_matrix, examples: Sequence[Example], dev: Sequence[int],
                train: Sequence[int], c: float, corpus_weight: float) -> np.ndarray:
    """Probabilities for every dev sentence from a model that did not see its speech."""
    probs = np.zeros((len(examples), len(HEADS)))
    dev_set = set(dev)
    others = [r for r in train if r not in dev_set]
    for k in range(FOLDS):
        held = [r for r in dev if fold_of(examples[r].key) == k]
        rows = others + [r for r in dev if fold_of(examples[r].key) != k]
        w, b = fit(x, examples, rows, c, corpus_weight)
        probs[held] = predict(w, b, x[held])
    return probs


def best_threshold(scores: np.ndarray, gold: np.ndarray, floor: float = 0.85) -> float:
    """The threshold with the best F1 among those with precision >= ``floor``; the best F1
    overall when none reaches it."""
    best, best_any = (-1.0, 0.5), (-1.0, 0.5)
    for t in sorted(set(np.round(scores, 3).tolist())):
        pred = scores >= t
        tp = float((pred & gold).sum())
        if not pred.any() or not tp:
            continue
        p, r = tp / pred.sum(), tp / gold.sum()
        f = 2 * p * r / (p + r)
        best_any = max(best_any, (f, t))
        if p >= floor:
            best = max(best, (f, t))
    return best[1] if best[0] >= 0 else best_any[1]


# --- the joined system, simulated on cached readings --------------------------------------------

GRID_ASSERTED = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def gold_classes(ex: Example, span: tuple[int, int]) -> set[str]:
    """The stance classes of the gold findings whose cue meets the span."""
    s, e = span
    base = ex.meta["start"]
    return {stance_head(g["modality"], g["stance"] == "own") for g in ex.meta["gold"]
            if g["cue"][0] - base < e and s < g["cue"][1] - base}


def rule_findings(examples, rows, probs):
    """Per rule finding: (row, stance class, join features, right)."""
    out = []
    for r in rows:
        ex = examples[r]
        p = dict(zip(HEADS, probs[r], strict=True))
        for sign, (s, e, conf) in zip(ex.signs, ex.rules, strict=True):
            cls = stance_head(sign.modality, sign.own)
            out.append((r, cls, [conf, p["act"]], cls in gold_classes(ex, (s, e))))
    return out


def fit_join(feats: np.ndarray, right: np.ndarray) -> dict[str, float]:
    """The logistic map from (rule confidence, p(act)) to the share of findings right
    (runtime: `redline.detect.core.join._join`)."""
    model = LogisticRegression(solver="liblinear", C=1.0, random_state=0)
    model.fit(feats, right.astype(int))
    rule, act = model.coef_[0]
    return {"intercept": round(float(model.intercept_[0]), 4), "rule": round(float(rule), 4),
            "act": round(float(act), 4)}


def joined(feats: np.ndarray, coef: dict[str, float]) -> np.ndarray:
    z = coef["intercept"] + coef["rule"] * feats[:, 0] + coef["act"] * feats[:, 1]
    return 1.0 / (1.0 + np.exp(-z))


def ece(conf: np.ndarray, right: np.ndarray) -> float:
    """Expected calibration error, as `redline eval --task speech` reports it."""
    return calibration_error(list(zip(conf.tolist(), right.tolist(), strict=True)))


def open_to_scorer(ex: Example) -> bool:
    """Whether the scorer may make a finding of its own here: no rule fired, none vetoed."""
    return not ex.signs and not ex.blocked


def scorer_calibration(examples: Sequence[Example], rows: Sequence[int], probs: np.ndarray
                       ) -> dict[str, list[list[float]]]:
    """Per head, the step map from its probability to the share of sentences it names right,
    over the sentences open to the scorer's own findings."""
    out = {}
    for h, head in enumerate(HEADS):
        pairs = [(float(probs[r, h]), bool(examples[r].labels.get(head)))
                 for r in rows if open_to_scorer(examples[r])]
        out[head] = fit_isotonic(pairs) if pairs else []
    return out


def scorer_finding(ex: Example, p: dict[str, float], thresholds: dict[str, float],
                   calibration: dict) -> str | None:
    """The head of the scorer's own finding in an example, as `join._scorer_finding` decides:
    open to the scorer, past the head's threshold, calibrated at least `ALONE`."""
    head = scorer_head(p, thresholds) if open_to_scorer(ex) else None
    if head is None or calibrated(p[head], calibration[head]) < ALONE:
        return None
    return head


def system_figures(examples, rows, probs, found, conf, thresholds, calibration,
                   asserted, served) -> dict:
    """Sentence-level P/R of the joined system: in the ``served`` languages rule findings at
    least ``asserted`` sure after the join and scorer findings where no rule fired; elsewhere
    rule findings at the plain threshold; the headline and any act."""
    kept: dict[int, list[str]] = {}
    for (r, cls, feats, _), c in zip(found, conf, strict=True):
        mine = examples[r].lang in served
        if (c if mine else feats[0]) >= (asserted if mine else ASSERTED):
            kept.setdefault(r, []).append(cls)
    counts = {task: Confusion() for task in ("own", "act")}
    for r in rows:
        ex = examples[r]
        p = dict(zip(HEADS, probs[r], strict=True))
        head = scorer_finding(ex, p, thresholds, calibration) if ex.lang in served else None
        classes = kept.get(r, [])
        pred = {"own": "own" in classes or head == "own", "act": bool(classes) or bool(head)}
        for task, confusion in counts.items():
            confusion.add(bool(ex.labels[task]), pred[task])
    return {task: {**_figures(c), "gold": c.tp + c.fn} for task, c in counts.items()}


def tune_join(examples, dev, probs, thresholds, calibration) -> dict:
    """The join fitted on the rule findings of the dev split (out of fold); the languages it
    serves (`joined_languages`), the join refitted on theirs; and the asserting threshold with
    the best F1 for any act. (Fitting it on the comment sets' findings as well was tried: the
    ECE on speech rose from 0.05 to 0.15 and no comment set gained.)"""
    found = rule_findings(examples, dev, probs)

    def fitted(langs):
        use = [f for f in found if examples[f[0]].lang in langs]
        return fit_join(np.array([f for *_, f, _ in use]),
                        np.array([ok for *_, ok in use], dtype=bool))

    feats = np.array([f for *_, f, _ in found])
    every = sorted({examples[r].lang for r, *_ in found})
    by_language = join_by_language(examples, found, joined(feats, fitted(every)))
    served = joined_languages(by_language)
    coef = fitted(served or every)
    conf = joined(feats, coef)
    best = None
    for asserted in GRID_ASSERTED:
        figs = system_figures(examples, dev, probs, found, conf, thresholds, calibration,
                              asserted, served)
        key = (figs["act"]["f1"], figs["own"]["f1"])
        if best is None or key > best[0]:
            best = (key, {"asserted": asserted, "system": figs})
    return {**best[1], "join": coef, "languages": served,
            "by language": join_by_language(examples, found, conf)}


def join_by_language(examples, found, conf) -> dict[str, dict]:
    """Per language, how well the rules' confidence and the joined one rank and calibrate
    the rule findings of the dev split (out of fold)."""
    out = {}
    for lang in sorted({examples[r].lang for r, *_ in found}):
        mask = np.array([examples[r].lang == lang for r, *_ in found])
        right = np.array([ok for *_, ok in found], dtype=bool)[mask]
        before = np.array([f[0] for *_, f, _ in found])[mask]
        out[lang] = {"rule findings": int(mask.sum()), "right": int(right.sum()),
                     "auc before": round(float(roc_auc_score(right, before)), 3),
                     "auc after": round(float(roc_auc_score(right, conf[mask])), 3),
                     "ece before": round(ece(before, right), 3),
                     "ece after": round(ece(conf[mask], right), 3)}
    return out


def joined_languages(by_language: dict[str, dict]) -> list[str]:
    """The languages the scorer serves: those whose rule findings it ranks better than the
    rules' own confidence does, out of fold (elsewhere the rules stand alone)."""
    return [lang for lang, figs in sorted(by_language.items())
            if figs["auc after"] > figs["auc before"]]


# --- the labelled comment sets, cross-validated -----------------------------------------------

def _violent() -> frozenset[str]:
    from redline.vocabulary import vocabulary

    return frozenset(vocabulary().actions_where("violence"))


def post_out_of_fold(x, examples, train, choice, probs: np.ndarray) -> list[int]:
    """Fill ``probs`` for every post of the comment sets from a model that did not see its
    fold of its set; the posts' rows."""
    posts = []
    for name in sorted({ex.source for ex in examples} - {"corpus", "written"}):
        rows = [r for r, ex in enumerate(examples) if ex.source == name]
        for k in range(FOLDS):
            held = [r for r in rows if fold_of(examples[r].key) == k]
            fit_rows = [r for r in train if not (examples[r].source == name
                                                 and fold_of(examples[r].key) == k)]
            w, b = fit(x, examples, fit_rows, choice["C"], choice["corpus_weight"])
            probs[held] = predict(w, b, x[held])
        posts += rows
    return posts


def threat_cv(examples, posts, probs, thresholds, calibration, tuned) -> dict:
    """Per labelled dev half: F1 of redline (rules + scorer) on each post, the scorer trained
    without the post's fold, next to the rules alone (a finding asserted at the plain
    threshold) and the TF-IDF logistic regression of `redline eval --task threat` (5-fold on
    the same half). A post is a threat when a rule finding of violence by the author is
    asserted after the join, or when the scorer makes an own-stance finding of its own."""
    from redline.eval.threat import tfidf_peer

    violent, out = _violent(), {}
    for name in sorted({examples[r].source for r in posts}):
        rows = [r for r in posts if examples[r].source == name]
        golds = [bool(examples[r].labels["own"]) for r in rows]
        preds, alone = [], []
        for r in rows:
            ex, p = examples[r], dict(zip(HEADS, probs[r], strict=True))
            threat = rules = False
            served = ex.lang in tuned["languages"]
            for sign, (_, _, conf) in zip(ex.signs, ex.rules, strict=True):
                cls = stance_head(sign.modality, sign.own)
                mine = cls == "own" and sign.action in violent
                c = joined(np.array([[conf, p["act"]]]), tuned["join"])[0]
                threat |= mine and (c >= tuned["asserted"] if served else conf >= ASSERTED)
                rules |= mine and conf >= ASSERTED
            own = served and scorer_finding(ex, p, thresholds, calibration) == "own"
            preds.append(threat or own)
            alone.append(rules)
        peer = tfidf_peer()([examples[r].text for r in rows], golds)
        out[name] = {"posts": len(rows), "positives": sum(golds),
                     "redline": _prf(golds, preds), "rules alone": _prf(golds, alone),
                     "tfidf-lr-cv": _prf(golds, peer)}
        say(f"{name}: {json.dumps(out[name])}")
    return out


def _prf(golds: list[bool], preds: list[bool]) -> dict[str, float]:
    confusion = Confusion()
    for gold, pred in zip(golds, preds, strict=True):
        confusion.add(gold, pred)
    return _figures(confusion)


def _figures(confusion: Confusion) -> dict[str, float]:
    return dict(zip(("precision", "recall", "f1"),
                    (round(x, 3) for x in confusion.prf()), strict=True))


# --- main ---------------------------------------------------------------------------------------

def load_examples(work: Path, jobs: int) -> list[Example]:
    cache = work / "examples.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    examples = list(all_examples(jobs=jobs, progress=lambda m: say(f"reading {m}")))
    cache.write_bytes(pickle.dumps(examples))
    return examples


def cross_validate(x, examples, dev, train) -> tuple[dict, np.ndarray]:
    best = None
    for c in GRID_C:
        for cw in GRID_CORPUS_WEIGHT:
            probs = out_of_fold(x, examples, dev, train, c, cw)
            gold_own = np.array([examples[r].labels["own"] for r in dev])
            gold_act = np.array([examples[r].labels["act"] for r in dev])
            auc_own = roc_auc_score(gold_own, probs[dev, HEADS.index("own")])
            auc_act = roc_auc_score(gold_act, probs[dev, HEADS.index("act")])
            say(f"C={c} corpus weight={cw}: AUC own {auc_own:.3f}, act {auc_act:.3f}")
            score = auc_own + auc_act
            if best is None or score > best[0]:
                best = (score, {"C": c, "corpus_weight": cw}, probs)
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "redline" / "data" / "scorer")
    parser.add_argument("--cv-only", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    work = args.work.resolve()
    if REPO_ROOT in work.parents:
        parser.error("the work folder holds text from ../shared: keep it outside the repository")
    work.mkdir(parents=True, exist_ok=True)
    examples = load_examples(work, args.jobs)
    x = matrix(examples)
    dev = [r for r, ex in enumerate(examples) if ex.source == "corpus" and ex.split == "dev"]
    train = [r for r, ex in enumerate(examples) if ex.split != "test"]  # never the test split
    say(f"{len(examples)} examples; {len(train)} for training, {len(dev)} corpus dev sentences")
    choice, oof = cross_validate(x, examples, dev, train)
    thresholds = {
        "own": best_threshold(oof[dev, HEADS.index("own")],
                              np.array([examples[r].labels["own"] for r in dev])),
        "act": best_threshold(np.array([oof[r, HEADS.index("act")] for r in dev
                                        if open_to_scorer(examples[r])]),
                              np.array([examples[r].labels["act"] for r in dev
                                        if open_to_scorer(examples[r])]), floor=0.7),
    }
    calibration = scorer_calibration(examples, dev, oof)
    posts = post_out_of_fold(x, examples, train, choice, oof)
    tuned = tune_join(examples, dev, oof, thresholds, calibration)
    cv = {"choice": choice, "thresholds": thresholds, **tuned,
          "comment sets": threat_cv(examples, posts, oof, thresholds, calibration, tuned)}
    say(json.dumps(cv, indent=1))
    if args.cv_only:
        return
    weights, bias = fit(x, examples, train, choice["C"], choice["corpus_weight"])
    meta = {
        "feature_version": FEATURE_VERSION, "dim": DIM, "heads": list(HEADS),
        "languages": tuned["languages"], "thresholds": thresholds, "join": tuned["join"],
        "asserted": tuned["asserted"],
        "calibration": calibration,
        "training": {**choice, "examples": len(train), "solver": "liblinear",
                     "sklearn": __import__("sklearn").__version__},
        "trained_on": {name: file_hash(path) for name, path in sorted(training_inputs().items())},
        "cross_validation": {k: v for k, v in cv.items()
                             if k not in ("join", "thresholds", "asserted", "languages")},
    }
    write_model(args.out, weights, bias, meta)
    say(f"model written to {args.out}")


def write_model(out: Path, weights: np.ndarray, bias: np.ndarray, meta: dict) -> None:
    """float16 weights as a gzipped .npy (no time stamp) and JSON metadata with sorted keys:
    the same bytes each run."""
    out.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.save(buffer, weights.astype(np.float16), allow_pickle=False)
    (out / "weights.npy.gz").write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    meta = {**meta, "bias": [round(float(b), 6) for b in bias]}
    (out / "model.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", "utf-8")


if __name__ == "__main__":
    main()
