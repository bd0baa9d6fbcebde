"""Sentences as every parser gives them: offsets, text and lemmas, whatever the parse.

The learned scorer reads sentences of any language the same way; spaCy's chunks (English) and
the universal-dependency chunks (Russian, the simple tokenizer) both become `SentenceView`s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Word:
    start: int  # document offsets
    end: int
    lemma: str  # lower case


@dataclass(frozen=True, slots=True)
class SentenceView:
    start: int  # document offsets
    end: int
    words: tuple[Word, ...]


def sentence_views(chunks: Iterable[Any]) -> Iterator[SentenceView]:
    """Every sentence of the parsed chunks, in document order."""
    for chunk in chunks:
        if hasattr(chunk, "doc"):  # spaCy: chunk-relative offsets
            base = chunk.base
            for sent in chunk.doc.sents:
                words = tuple(Word(base + t.idx, base + t.idx + len(t), t.lemma_.lower())
                              for t in sent if not t.is_space)
                if words:  # from its first word to its last: no white space at either end
                    yield SentenceView(words[0].start, words[-1].end, words)
        else:  # universal dependencies: document offsets already
            for sent in chunk.sentences:
                words = tuple(Word(t.start, t.end, t.lemma) for t in sent.tokens)
                if words:
                    yield SentenceView(words[0].start, words[-1].end, words)
