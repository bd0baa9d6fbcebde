"""The Russian pipeline: natasha (segmentation, morphology, syntax, NER) over segment chunks.

Tokens keep document offsets (``chunk base + token.start``) and universal-dependency relations,
so detectors read Russian sentences the way the English detector reads spaCy's parse.  The
models ship inside the natasha/slovnet wheels: nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from redline.lang.english import chunk_spans, unwrapped
from redline.lang.tokens import UDChunk, UDSentence, UDToken


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


def parse_russian(text: str, spans: list[tuple[int, int]],
                  on_piece: Callable[[int, int], None] | None = None) -> list[UDChunk]:
    """Parse the paragraphs inside ``spans`` (usually the document's segments); ``on_piece``
    hears the pieces parsed so far and their total before each piece and at the end."""
    pieces = [piece for a, b in spans for piece in chunk_spans(text, a, b)]
    chunks = []
    for n, (s, e) in enumerate(pieces):
        if on_piece is not None:
            on_piece(n, len(pieces))
        chunks.append(_parse_piece(text, s, e))
    if on_piece is not None:
        on_piece(len(pieces), len(pieces))
    return chunks


def _parse_piece(text: str, start: int, end: int) -> UDChunk:
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
    return UDChunk(base=start, sentences=sentences, ner=ner)


@lru_cache(maxsize=65536)
def _lemma(vocab: Any, text: str, pos: str | None,
           tags: tuple[tuple[str, str], ...] | None) -> str:
    """A word's lemma, remembered: the same form with the same tags recurs all through a
    speech, and pymorphy's analysis of it was a fifth of a Russian analysis."""
    try:
        lemma = vocab.lemmatize(text, pos, None if tags is None else dict(tags))
    except ValueError:  # pymorphy2 calls unicodedata.name(), which fails on nameless letters
        lemma = text.lower()
    return (lemma or text).lower()


def _sentence(sent: Any, base: int, vocab: Any) -> UDSentence:
    ids = {tok.id: n for n, tok in enumerate(sent.tokens)}
    tokens = []
    for n, tok in enumerate(sent.tokens):
        feats = dict(tok.feats or {})
        tags = None if tok.feats is None else tuple(sorted(feats.items()))
        lemma = _lemma(vocab, tok.text, tok.pos, tags)
        tokens.append(UDToken(i=n, text=tok.text, start=base + tok.start, end=base + tok.stop,
                              pos=tok.pos or "", feats=feats, rel=tok.rel or "",
                              head=ids.get(tok.head_id, -1), lemma=lemma))
    for tok in tokens:
        if tok.head == tok.i:  # the parser hung a word on itself («Повесить их всех.»): a root
            tok.head, tok.rel = -1, "root"
        if tok.head >= 0:
            tokens[tok.head].children.append(tok.i)
    s, e = (tokens[0].start, tokens[-1].end) if tokens else (base, base)
    return UDSentence(tokens=tokens, start=s, end=e, text=sent.text)
