"""The Russian pipeline: natasha (segmentation, morphology, syntax, NER) over segment chunks.

Tokens keep document offsets (``chunk base + token.start``) and universal-dependency relations,
so detectors read Russian sentences the way the English detector reads spaCy's parse.  The
models ship inside the natasha/slovnet wheels: nothing is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from redline.lang.english import chunk_spans, unwrapped


@dataclass(slots=True)
class RuToken:
    """One token in document offsets, with its UD relation and morphology."""

    i: int  # index in the sentence
    text: str
    start: int
    end: int
    pos: str
    feats: dict[str, str]
    rel: str
    head: int  # index of the head in the sentence, -1 for the root
    lemma: str
    children: list[int] = field(default_factory=list)


@dataclass(slots=True)
class RuSentence:
    tokens: list[RuToken]
    start: int
    end: int
    text: str

    def kids(self, tok: RuToken) -> list[RuToken]:
        return [self.tokens[c] for c in tok.children]

    def head_of(self, tok: RuToken) -> RuToken | None:
        return self.tokens[tok.head] if tok.head >= 0 else None

    def ancestors(self, tok: RuToken, limit: int = 8) -> list[RuToken]:
        out, cur = [], tok
        while cur.head >= 0 and len(out) < limit:
            cur = self.tokens[cur.head]
            out.append(cur)
        return out


@dataclass(slots=True)
class RuChunk:
    base: int
    sentences: list[RuSentence]
    ner: list[tuple[int, int, str, str]]  # start, end (document offsets), type, normal form


@lru_cache(maxsize=1)
def load_russian() -> dict[str, Any]:
    """natasha's models, once per process (about 3 s and 300 MB)."""
    from natasha import (
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        NewsSyntaxParser,
        Segmenter,
    )

    emb = NewsEmbedding()
    return {"segmenter": Segmenter(), "morph": NewsMorphTagger(emb),
            "syntax": NewsSyntaxParser(emb), "ner": NewsNERTagger(emb), "vocab": MorphVocab()}


def parse_russian(text: str, spans: list[tuple[int, int]]) -> list[RuChunk]:
    """Parse the paragraphs inside ``spans`` (usually the document's segments)."""
    return [_parse_piece(text, s, e) for a, b in spans for s, e in chunk_spans(text, a, b)]


def _parse_piece(text: str, start: int, end: int) -> RuChunk:
    from natasha import Doc

    m = load_russian()
    doc = Doc(unwrapped(text[start:end]))
    doc.segment(m["segmenter"])
    doc.tag_morph(m["morph"])
    doc.parse_syntax(m["syntax"])
    doc.tag_ner(m["ner"])
    sentences = [_sentence(sent, start, m["vocab"]) for sent in doc.sents]
    ner = []
    for span in doc.spans:
        try:
            span.normalize(m["vocab"])
        except ValueError:  # as in _sentence: letters pymorphy2 cannot name
            span.normal = span.text
        ner.append((start + span.start, start + span.stop, span.type, span.normal or span.text))
    return RuChunk(base=start, sentences=sentences, ner=ner)


def _sentence(sent: Any, base: int, vocab: Any) -> RuSentence:
    ids = {tok.id: n for n, tok in enumerate(sent.tokens)}
    tokens = []
    for n, tok in enumerate(sent.tokens):
        try:
            tok.lemmatize(vocab)
        except ValueError:  # pymorphy2 calls unicodedata.name(), which fails on nameless letters
            tok.lemma = tok.text.lower()
        tokens.append(RuToken(i=n, text=tok.text, start=base + tok.start, end=base + tok.stop,
                              pos=tok.pos or "", feats=dict(tok.feats or {}), rel=tok.rel or "",
                              head=ids.get(tok.head_id, -1), lemma=(tok.lemma or tok.text).lower()))
    for tok in tokens:
        if tok.head >= 0:
            tokens[tok.head].children.append(tok.i)
    s, e = (tokens[0].start, tokens[-1].end) if tokens else (base, base)
    return RuSentence(tokens=tokens, start=s, end=e, text=sent.text)
