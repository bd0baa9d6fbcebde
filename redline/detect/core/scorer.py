"""The learned sentence scorer: does a sentence hold an act of force, and whose stance is it?

A linear model over hashed features of the sentence: its words and word pairs, the character
n-grams of its words (so one model reads English and Russian, inflected forms included), and
what the codebook rules found in it (their modalities, actions and whose stance). It has one
binary head per question (`HEADS`); `redline/detect/core/join.py` joins its answers to the
rules' findings. The weights are data (``data/scorer/``), written by
``scripts/train_scorer.py`` from the dev split of the real-speech corpus, the written sets and
the labelled dev halves of ``../shared/data``; the same inputs give the same file.

Scoring needs no learning library: features are hashed here (CRC-32, stable everywhere) and a
head is a dot product, so the runtime is NumPy alone and deterministic.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

FEATURE_VERSION = 2
DIM = 1 << 17
HEADS = ("act", "own", "prediction", "report", "negq")
HEAD_MEANING = {
    "act": "an act of force",
    "own": "the speaker's own call, threat or proposal",
    "prediction": "a prediction of force",
    "report": "a report of force",
    "negq": "force denied or asked about",
}
OWN_STANCES = ("call", "threat", "proposal")  # modalities that are a stance of one's own


def stance_head(modality: str, own: bool) -> str:
    """The stance head that speaks for a finding's modality: the speaker's own call, threat or
    proposal; someone else's is a report; a denial or a question; a prediction; a report."""
    if modality in OWN_STANCES:
        return "own" if own else "report"
    if modality in ("negated", "question"):
        return "negq"
    return modality  # prediction, report


_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_MAX_CHARS = 2000  # longer sentences are read by their first 2,000 characters


@dataclass(frozen=True, slots=True)
class RuleSign:
    """What a codebook rule found in the sentence, as the scorer reads it."""

    action: str
    modality: str
    own: bool


def feature_names(text: str, signs: Sequence[RuleSign], lang: str,
                  probes: Sequence[tuple[str, bool]] = ()) -> Counter[str]:
    """The named features of a sentence (before hashing): its words, their character
    n-grams, the rules' findings and the stances the rules read at its words of force."""
    low = _DIGIT.sub("0", text[:_MAX_CHARS].lower())
    words = _WORD.findall(low)
    names: Counter[str] = Counter()
    names[f"lang|{lang}"] += 1
    for i, word in enumerate(words):
        names[f"w|{word}"] += 1
        if i:
            names[f"b|{words[i - 1]} {word}"] += 1
        padded = f" {word} "
        for n in (3, 4, 5):
            for j in range(len(padded) - n + 1):
                names[f"c|{padded[j:j + n]}"] += 1
    if not signs:
        names["r|none"] += 1
    for s in signs:
        stance = "own" if s.own else "reported"
        names[f"r|m|{s.modality}"] += 1
        names[f"r|a|{s.action}"] += 1
        names[f"r|s|{stance}"] += 1
        names[f"r|ms|{s.modality}|{stance}"] += 1
    for modality, own in probes:
        names[f"p|{modality}|{'own' if own else 'reported'}"] += 1
    if not probes:
        names["p|none"] += 1
    return names


def hashed(names: Counter[str], dim: int = DIM) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of the feature vector: log counts in hashed buckets, L2-normalised."""
    buckets: dict[int, float] = {}
    for name, count in names.items():
        i = zlib.crc32(name.encode("utf-8")) & (dim - 1)
        buckets[i] = buckets.get(i, 0.0) + 1.0 + math.log(count)
    idx = np.fromiter(sorted(buckets), dtype=np.int64, count=len(buckets))
    val = np.array([buckets[i] for i in idx.tolist()], dtype=np.float64)
    norm = float(np.sqrt((val * val).sum()))
    return idx, (val / norm if norm else val)


class Scorer:
    """The trained heads; `probabilities` answers every head for one sentence."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, meta: dict[str, Any]) -> None:
        self.weights = weights.astype(np.float64)  # (heads, DIM)
        self.bias = bias.astype(np.float64)
        self.meta = meta
        self.heads = tuple(meta["heads"])
        self.languages = frozenset(meta["languages"])

    def probabilities(self, text: str, signs: Sequence[RuleSign], lang: str,
                      probes: Sequence[tuple[str, bool]] = ()) -> dict[str, float]:
        """p(act) and, for each stance head, p(act and that stance): the stance heads are
        trained on sentences that hold an act, so their answer is conditional on one."""
        idx, val = hashed(feature_names(text, signs, lang, probes), self.weights.shape[1])
        z = self.weights[:, idx] @ val + self.bias
        given = {h: 1.0 / (1.0 + math.exp(-min(max(v, -60.0), 60.0)))
                 for h, v in zip(self.heads, z, strict=True)}
        act = given["act"]
        return {h: round(p if h == "act" else p * act, 4) for h, p in given.items()}


def read_shipped(folder: str, array_name: str, meta_name: str
                 ) -> tuple[np.ndarray, dict[str, Any]] | None:
    """A shipped model's array (a gzipped .npy) and its JSON metadata from
    ``redline/data/<folder>/``, or None where they are not shipped."""
    where = resources.files("redline").joinpath(f"data/{folder}")
    array_file, meta_file = where.joinpath(array_name), where.joinpath(meta_name)
    if not (array_file.is_file() and meta_file.is_file()):
        return None
    array = np.load(io.BytesIO(gzip.decompress(array_file.read_bytes())), allow_pickle=False)
    return array, json.loads(meta_file.read_text("utf-8"))


@lru_cache(maxsize=1)
def load_scorer() -> Scorer | None:
    """The shipped model (``data/scorer/``: gzipped float16 weights and JSON metadata), or None
    where none is shipped."""
    shipped = read_shipped("scorer", "weights.npy.gz", "model.json")
    if shipped is None:
        return None
    weights, meta = shipped
    check_model(weights, meta)
    return Scorer(weights, np.array(meta["bias"]), meta)


def check_model(weights: np.ndarray, meta: dict[str, Any]) -> None:
    """Refuse a model written for other features: it would score every sentence wrong without
    a sign (retrain it with ``scripts/train_scorer.py``)."""
    problems = []
    if meta.get("feature_version") != FEATURE_VERSION:
        problems.append(f"feature version {meta.get('feature_version')}, not {FEATURE_VERSION}")
    if tuple(meta.get("heads", ())) != HEADS:
        problems.append(f"heads {meta.get('heads')}, not {list(HEADS)}")
    dim = meta.get("dim", 0)
    if dim != DIM or weights.shape != (len(HEADS), DIM) or len(meta.get("bias", ())) != len(HEADS):
        problems.append(f"{weights.shape} weights of dimension {dim}, not {(len(HEADS), DIM)}")
    if problems:
        raise ValueError("redline/data/scorer does not fit this redline: " + "; ".join(problems))


def signs_of(findings: Iterable[Any]) -> list[RuleSign]:
    """Rule signs from findings at the scoring stage: a holder named by a detector makes the
    stance someone else's (quotations are attributed later, in the finish stage)."""
    return [RuleSign(f.action, f.modality, f.speaker is None) for f in findings]
