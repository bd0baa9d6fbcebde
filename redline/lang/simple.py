"""A parser for a language with no model yet: words, punctuation and sentences, no syntax.

It gives the one token view (`redline.lang.tokens`) with each word's lower-case form as its
lemma and no dependency tree, which is all the generic lexical pack (`LexicalEvents`) reads. A
new language can start here and move to a real parser later without changing its codebook.
"""

from __future__ import annotations

import re

from redline.lang.tokens import UDChunk, UDSentence, UDToken

_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]", re.UNICODE)
_SENTENCE_END = frozenset(".!?…")


def simple_parse(text: str, spans: list[tuple[int, int]]) -> list[UDChunk]:
    """One chunk per span (usually the document's segments), cut into sentences of tokens."""
    return [UDChunk(base=start, sentences=_sentences(text, start, end), ner=[])
            for start, end in spans]


def _sentences(text: str, start: int, end: int) -> list[UDSentence]:
    out: list[UDSentence] = []
    tokens: list[UDToken] = []
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        tokens.append(UDToken(i=len(tokens), text=word, start=m.start(), end=m.end(),
                              pos="PUNCT" if not word[0].isalnum() else "X", feats={},
                              rel="dep", head=-1, lemma=word.lower()))
        if word in _SENTENCE_END:
            out.append(_sentence(text, tokens))
            tokens = []
    if tokens:
        out.append(_sentence(text, tokens))
    return out


def _sentence(text: str, tokens: list[UDToken]) -> UDSentence:
    return UDSentence(tokens=tokens, start=tokens[0].start, end=tokens[-1].end,
                      text=text[tokens[0].start:tokens[-1].end])
