"""A learned word tagger for the techniques that cue lists cannot reach.

Loaded language and name calling are open vocabularies: a speech calls a war "bloody", an
opponent "the junta", in words no list foresaw. This tagger reads each word the parser has
already read (its form, lemma, part of speech and neighbours) and gives the probability that
it carries a technique; neighbouring words above the technique's threshold make one span.

The model is data (``data/tagger/``), written by ``scripts/train_tagger.py`` from the dev split
of the real-speech technique set and redline's written passages only (never SemEval data, whose
licence does not let us ship a model trained on it); the same inputs give the same file. As
with the sentence scorer, features are hashed here (CRC-32) and a technique is a dot product:
NumPy alone, deterministic. Every span says that a trained model read it, with its score and
the feature that weighed most, so a reader can check it.

What a word means comes from a table of word vectors (``data/tagger/vectors.*``, built by
``scripts/build_word_vectors.py``): multilingual-e5-small run once over a fixed vocabulary of
political speech in both languages, so that "bloodshed" or «злодеяние» lies near charged words
the tagger was trained on, without a transformer at run time (a lookup per word).
"""

from __future__ import annotations

import math
import re
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from redline.detect.core.scorer import read_shipped
from redline.document import Technique
from redline.registry import Context

FEATURE_VERSION = 2
DIM = 1 << 18  # hashed features; the word's vector follows them
CANDIDATE_POS = frozenset({"ADJ", "NOUN", "PROPN", "VERB", "ADV"})
MEANING = {
    "loaded_language": "loaded language (an emotionally charged word)",
    "name_calling": "name calling (a label for the target)",
    "flag_waving": "flag waving (an appeal to the group's pride)",
    "exaggeration_minimisation": "exaggeration or minimisation",
    "appeal_to_fear": "an appeal to fear",
    "casting_doubt": "casting doubt",
}
# Segments that carry no one's persuasion (a translator's note): no technique is read in them,
# by the cue rules (`redline.detect.techniques`) or the tagger.
SKIP_KINDS = ("note",)
# Words in square brackets are an editor's or translator's insertion in a transcript ("[Soviet
# cartoon animal]", "[applause]"), not the speaker's: no technique is read inside them either.
_BRACKETED = re.compile(r"\[[^\[\]\n]{1,200}\]")


@dataclass(frozen=True, slots=True)
class PhraseShape:
    """How far a run of tagged words widens into the phrase an annotator marks.

    Annotators mark the shortest phrase that carries a technique, which is often more than the
    words the tagger scores highest: "the Pretoria regime", not "Pretoria"; "malicious
    theories", not "malicious". Partial spans earn partial credit (SemEval's overlap rule), so
    the phrase's edges matter. A shape widens by parts of speech only, within the sentence:
    ``left`` takes the words of those parts of speech just before the run; ``adjective_head``
    takes an adjective's noun after it (ADJ* NOUN+); ``compound`` one more noun after a noun.
    Training chooses one shape per technique and language, as it chooses the threshold.
    """

    left: frozenset[str] = frozenset()
    adjective_head: bool = False
    compound: bool = False


NOMINAL = frozenset({"NOUN", "PROPN"})
# The shapes training may choose, narrowest first (a tie in training goes to the narrower).
PHRASE_SHAPES = {
    "word": PhraseShape(),
    "determiner": PhraseShape(left=frozenset({"DET"})),
    "adjective_head": PhraseShape(adjective_head=True),
    "noun_phrase": PhraseShape(left=frozenset({"DET", "ADJ"}) | NOMINAL, adjective_head=True),
    "noun_phrase_compound": PhraseShape(left=frozenset({"DET", "ADJ"}) | NOMINAL,
                                        adjective_head=True, compound=True),
}


@dataclass(frozen=True, slots=True)
class Word:
    """A parsed word in document offsets, as the tagger reads it."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str


def words_of_chunks(chunks: Iterable[Any]) -> Iterator[list[Word]]:
    """The words of every parsed sentence, from spaCy chunks (English) or UD chunks
    (Russian)."""
    for chunk in chunks:
        if hasattr(chunk, "doc"):
            for sent in chunk.doc.sents:
                yield [Word(chunk.base + t.idx, chunk.base + t.idx + len(t), t.text,
                            t.lemma_.lower(), t.pos_) for t in sent if not t.is_space]
        else:
            for sent in chunk.sentences:
                yield [Word(t.start, t.end, t.text, t.lemma, t.pos) for t in sent.tokens]


def context_words(ctx: Context) -> list[list[Word]]:
    """The parsed sentences' words of the document, read once per analysis (the repetition
    rules and the tagger both need them)."""
    if "words" not in ctx.scratch:
        ctx.scratch["words"] = list(words_of_chunks(ctx.chunks))
    return ctx.scratch["words"]


def word_features(words: Sequence[Word], i: int, lang: str) -> list[str]:
    """The named features of word ``i``: itself, its neighbours, its shape."""
    w = words[i]
    low = w.text.lower()
    prev = words[i - 1] if i else None
    nxt = words[i + 1] if i + 1 < len(words) else None
    names = [f"w|{low}", f"l|{w.lemma}", f"p|{w.pos}", f"lp|{w.lemma}|{w.pos}",
             f"s3|{low[-3:]}", f"s4|{low[-4:]}", f"b4|{low[:4]}", f"b5|{low[:5]}",
             f"cap|{w.text[:1].isupper() and i > 0}"]
    if prev is not None:
        names += [f"l-|{prev.lemma}", f"p-|{prev.pos}", f"ll-|{prev.lemma}|{w.lemma}"]
    if nxt is not None:
        names += [f"l+|{nxt.lemma}", f"p+|{nxt.pos}", f"ll+|{w.lemma}|{nxt.lemma}"]
    return [f"{lang}|{n}" for n in names]


def folded(key: str) -> str:
    """A table key as it is looked up: Russian «ё» written «е». The table's lemmas keep «ё»
    ("бомбёжка") where the parser's lemmas drop it ("бомбежка"); without folding such a
    word had no vector."""
    return key.replace("ё", "е")


class WordVectors:
    """The word-vector table: a unit vector per known word (English forms, Russian lemmas)."""

    def __init__(self, table: np.ndarray, words: Sequence[str]) -> None:
        norms = np.linalg.norm(table, axis=1, keepdims=True)
        self.table = table / np.where(norms == 0, 1.0, norms)
        self.index: dict[str, int] = {}
        for i, w in enumerate(words):  # two words that fold alike: the first (more frequent)
            self.index.setdefault(folded(w), i)
        self.dims = table.shape[1]
        self.zero = np.zeros(self.dims)

    def of(self, word: Word, lang: str) -> np.ndarray:
        """The word's vector (its form, then its lemma), or zeros for a word not in the table."""
        for key in (word.text.lower(), word.lemma):
            i = self.index.get(folded(f"{lang}|{key}"))
            if i is not None:
                return self.table[i]
        return self.zero


@lru_cache(maxsize=1)
def load_vectors() -> WordVectors | None:
    shipped = read_shipped("tagger", "vectors.npy.gz", "vectors.json")
    if shipped is None:
        return None
    quantised, meta = shipped
    return WordVectors(quantised.astype(np.float64) * np.array(meta["scale"]), meta["words"])


VECTOR_WEIGHT = 3.0  # the word vector against the ~15 hashed features of unit total length


def dense_features(words: Sequence[Word], i: int, lang: str,
                   vectors: WordVectors) -> np.ndarray:
    """The vectors of the word and of its neighbours: what they mean, in e5's space."""
    prev = vectors.of(words[i - 1], lang) if i else vectors.zero
    nxt = vectors.of(words[i + 1], lang) if i + 1 < len(words) else vectors.zero
    return VECTOR_WEIGHT * np.concatenate([vectors.of(words[i], lang), prev, nxt])


def hashed(names: Sequence[str], dim: int = DIM) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of a word's feature vector (binary, L2-normalised)."""
    idx = np.array(sorted({zlib.crc32(n.encode("utf-8")) & (dim - 1) for n in names}),
                   dtype=np.int64)
    return idx, np.full(len(idx), 1.0 / math.sqrt(len(idx)))


class TaggedSpan(NamedTuple):
    """One span the tagger marks: words ``first``..``last`` of a sentence, read from the word
    ``best`` (its score, and the feature that pushed it most, ``sign``); ``widened`` as in
    Phrase."""

    technique: str
    first: int
    last: int
    best: int
    widened: bool
    score: float
    sign: str


class Tagger:
    """The trained techniques: ``spans`` reads one sentence."""

    def __init__(self, weights: np.ndarray, meta: dict[str, Any],
                 vectors: WordVectors | None) -> None:
        self.weights = weights.astype(np.float64)  # (techniques, DIM + vector dims)
        self.vectors = vectors
        self.meta = meta
        self.techniques = tuple(meta["techniques"])
        self.bias = np.array(meta["bias"], dtype=np.float64)
        self.languages = frozenset(meta["languages"])
        self.thresholds = {lang: thresholds_of(meta, lang) for lang in self.languages}
        self.shapes = {lang: shapes_of(meta, lang) for lang in self.languages}

    def probabilities(self, words: Sequence[Word], lang: str) -> list[np.ndarray | None]:
        """For each word, the probability of each technique (None for words never tagged).
        One sentence is one gather of the hashed weights and one product with its vectors:
        the cost per word stays a few microseconds."""
        cand = [i for i, w in enumerate(words) if w.pos in CANDIDATE_POS]
        out: list[np.ndarray | None] = [None] * len(words)
        if not cand:
            return out
        rows, cols, vals = [], [], []
        for r, i in enumerate(cand):
            idx, val = hashed(word_features(words, i, lang))
            rows.append(np.full(len(idx), r))
            cols.append(idx)
            vals.append(val)
        gathered = self.weights[:, np.concatenate(cols)] * np.concatenate(vals)
        z = np.zeros((len(cand), len(self.techniques)))
        np.add.at(z, np.concatenate(rows), gathered.T)
        z += self.bias
        if self.vectors is not None:
            dense = np.vstack([dense_features(words, i, lang, self.vectors) for i in cand])
            z += dense @ self.weights[:, DIM:].T
        probs = 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))
        for r, i in enumerate(cand):
            out[i] = probs[r]
        return out

    def spans(self, words: Sequence[Word], lang: str) -> list[TaggedSpan]:
        """Every run of neighbouring words above a technique's threshold in the language,
        widened to the technique's phrase shape there; the score and the sign are those of the
        run's best-scored word."""
        probs = self.probabilities(words, lang)
        thresholds, shapes = self.thresholds[lang], self.shapes[lang]
        found = []
        for k, tech in enumerate(self.techniques):
            if thresholds[k] > 1.0:  # off in this language
                continue
            scores = [None if p is None else float(p[k]) for p in probs]
            for ph in tagged_phrases(words, scores, thresholds[k], shapes[k]):
                found.append(TaggedSpan(tech, ph.first, ph.last, ph.best, ph.widened,
                                        scores[ph.best] or 0.0,
                                        self.strongest(words, ph.best, lang, k)))
        return found

    def strongest(self, words: Sequence[Word], i: int, lang: str, k: int) -> str:
        """The feature of word ``i`` that pushed technique ``k`` most, in words."""
        names = word_features(words, i, lang)
        share = 1.0 / math.sqrt(len({zlib.crc32(n.encode("utf-8")) & (DIM - 1) for n in names}))
        weight = {n: share * self.weights[k, zlib.crc32(n.encode("utf-8")) & (DIM - 1)]
                  for n in names}
        if self.vectors is not None:
            own = VECTOR_WEIGHT * self.vectors.of(words[i], lang)
            meaning = float(self.weights[k, DIM:DIM + self.vectors.dims] @ own)
            if meaning > max(weight.values()):
                return f"what the word '{words[i].text}' means (its vector)"
        name = max(sorted(weight), key=lambda n: weight[n]).split("|", 1)[1]
        kind, _, value = name.partition("|")
        return {"w": f"the word '{value}'", "l": f"the lemma '{value}'",
                "lp": f"the lemma '{value.split('|')[0]}'",
                "ll-": f"the words '{value.replace('|', ' ')}'",
                "ll+": f"the words '{value.replace('|', ' ')}'",
                "l-": f"the word before, '{value}'", "l+": f"the word after, '{value}'",
                "p-": f"the part of speech before it ({value})",
                "p+": f"the part of speech after it ({value})",
                "p": f"its part of speech ({value})", "s3": f"its ending '-{value}'",
                "s4": f"its ending '-{value}'", "b4": f"its beginning '{value}-'",
                "b5": f"its beginning '{value}-'", "cap": "its capitalisation",
                }.get(kind, f"its form ({kind} {value})")


def runs_at_or_above(scores: Sequence[float | None], threshold: float
                     ) -> Iterator[tuple[int, int]]:
    """(first, last) index of every run of neighbouring scores at or above the threshold; a
    word with no score (None) breaks a run. The tagger's spans, and its training's choice of
    threshold, are made by this one rule."""
    i = 0
    while i < len(scores):
        if scores[i] is None or scores[i] < threshold:
            i += 1
            continue
        j = i
        while j + 1 < len(scores) and scores[j + 1] is not None and scores[j + 1] >= threshold:
            j += 1
        yield i, j
        i = j + 1


def widen(words: Sequence[Word], i: int, j: int, shape: PhraseShape) -> tuple[int, int]:
    """The run of words ``i``..``j`` widened to the phrase ``shape`` describes."""
    while i > 0 and words[i - 1].pos in shape.left:
        i -= 1
    if shape.adjective_head and words[j].pos == "ADJ":
        k = j + 1
        while k < len(words) and words[k].pos == "ADJ":
            k += 1
        if k < len(words) and words[k].pos in NOMINAL:
            while k + 1 < len(words) and words[k + 1].pos in NOMINAL:
                k += 1
            j = k
    if shape.compound and words[j].pos in NOMINAL and j + 1 < len(words) \
            and words[j + 1].pos in NOMINAL:
        j += 1
    return i, j


class Phrase(NamedTuple):
    """Words ``first``..``last`` of a sentence, read from the best-scored word ``best``;
    ``widened``: the phrase shape took in words the model did not score above the
    threshold."""

    first: int
    last: int
    best: int
    widened: bool


def tagged_phrases(words: Sequence[Word], scores: Sequence[float | None], threshold: float,
                   shape: PhraseShape) -> list[Phrase]:
    """Each run of words at or above the threshold, widened to ``shape``; widened runs that
    meet are one phrase. The tagger's spans, and its training's choice of threshold and
    shape, are made by this one rule."""
    def score(n: int) -> float:
        return scores[n] or 0.0

    out: list[Phrase] = []
    for i, j in runs_at_or_above(scores, threshold):
        best = max(range(i, j + 1), key=score)
        first, last = widen(words, i, j, shape)
        widened = (first, last) != (i, j)
        if out and first <= out[-1].last:
            before = out.pop()
            first, last = before.first, max(before.last, last)
            best = max(before.best, best, key=score)
            widened = True  # the words between the two runs were not scored above it
        out.append(Phrase(first, last, best, widened))
    return out


def shapes_of(meta: dict[str, Any], lang: str) -> list[PhraseShape]:
    """Each technique's phrase shape in a language (``{technique: {lang: name}}``); a model
    trained before shapes existed reads single words ("word")."""
    given = meta.get("phrases", {})
    return [PHRASE_SHAPES[given.get(tech, {}).get(lang, "word")] for tech in meta["techniques"]]


def thresholds_of(meta: dict[str, Any], lang: str) -> np.ndarray:
    """Each technique's threshold in a language (``{technique: {lang: t}}``; a technique a
    language does not list is off there, as 2.0); an older model's one threshold per technique
    (``{technique: t}``) holds for every language."""
    out = []
    for tech in meta["techniques"]:
        given = meta["thresholds"][tech]
        out.append(given.get(lang, 2.0) if isinstance(given, dict) else given)
    return np.array(out, dtype=np.float64)


@lru_cache(maxsize=1)
def load_tagger() -> Tagger | None:
    """The shipped model (``data/tagger/``), or None where none is shipped."""
    shipped = read_shipped("tagger", "weights.npy.gz", "model.json")
    if shipped is None:
        return None
    weights, meta = shipped
    vectors = load_vectors()
    width = DIM + (3 * vectors.dims if vectors is not None else 0)
    if meta.get("feature_version") != FEATURE_VERSION or weights.shape != (
            len(meta["techniques"]), width):
        raise ValueError("redline/data/tagger does not fit this redline: retrain it with "
                         "scripts/train_tagger.py")
    return Tagger(weights, meta, vectors)


def editorial_spans(text: str) -> list[tuple[int, int]]:
    """The square-bracketed insertions of a text, sorted (see _BRACKETED)."""
    return [m.span() for m in _BRACKETED.finditer(text)]


def context_insertions(ctx: Context) -> list[tuple[int, int]]:
    """The document's editorial insertions, found once per analysis (the cue rules and the
    tagger both skip them)."""
    if "insertions" not in ctx.scratch:
        ctx.scratch["insertions"] = editorial_spans(ctx.text)
    return ctx.scratch["insertions"]


def inside_any(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies within one of the sorted, non-overlapping ``spans``."""
    k = _holding(spans, start)
    return k is not None and end <= spans[k][1]


def tag_techniques(ctx: Context) -> None:
    """Add the tagger's spans where no cue of the same technique already marks the words."""
    tagger = load_tagger()
    if tagger is None or ctx.language not in tagger.languages:
        return
    taken: dict[str, list[tuple[int, int]]] = {}
    for t in ctx.analysis.techniques:
        taken.setdefault(t.technique, []).append((t.start, t.end))
    for spans in taken.values():
        spans.sort()
    segments = sorted((s.start, s.end) for s in ctx.analysis.segments
                      if s.kind not in SKIP_KINDS)
    inserted = context_insertions(ctx)
    for words in context_words(ctx):
        if not words or not _inside(words[0].start, segments):
            continue
        for span in tagger.spans(words, ctx.language):
            start, end = words[span.first].start, words[span.last].end
            if _overlaps(taken.get(span.technique, []), start, end) or inside_any(
                    inserted, start, end):
                continue
            ctx.add_technique(Technique(
                technique=span.technique, start=start, end=end, text=ctx.text[start:end],
                confidence=round(span.score, 3), detector="technique_tagger",
                why=_why(span, words)))


def _why(span: TaggedSpan, words: Sequence[Word]) -> str:
    """What a reader can check: the model's reading, its score and strongest sign, and, where
    the span is wider than the words scored, the phrase rule that widened it."""
    phrase = (f"; marked as the phrase around '{words[span.best].text}'" if span.widened
              else "")
    return (f"a trained model reads it as {MEANING.get(span.technique, span.technique)} "
            f"(score {span.score:.2f}; its strongest sign: {span.sign}{phrase}); trained on "
            "redline's real-speech technique set, not a cue list")


def _holding(spans: Sequence[tuple[int, int]], offset: int) -> int | None:
    """The index of the sorted, non-overlapping span that holds an offset, or None."""
    k = bisect_right(spans, (offset, float("inf"))) - 1
    return k if k >= 0 and spans[k][0] <= offset < spans[k][1] else None


def _inside(offset: int, segments: Sequence[tuple[int, int]]) -> bool:
    """Whether an offset lies in one of the sorted, non-overlapping segment spans."""
    return _holding(segments, offset) is not None


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans``, sorted and not overlapping one another
    (the cue spans of one technique): only the last span that starts before ``end`` can."""
    k = bisect_left(spans, (end, -1)) - 1
    return k >= 0 and start < spans[k][1]
