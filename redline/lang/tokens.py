"""One token view for parsers that give universal dependencies (natasha, or a simple tokenizer).

A token keeps document offsets, its UD relation and head, its lemma and morphology; a sentence
lists its tokens and answers the tree questions rules ask (children, head, ancestors). The
Russian pipeline produces these, and so can any new language's parser: the event core and the
generic lexical pack read nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class UDToken:
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
class UDSentence:
    tokens: list[UDToken]
    start: int
    end: int
    text: str

    def kids(self, tok: UDToken) -> list[UDToken]:
        return [self.tokens[c] for c in tok.children]

    def head_of(self, tok: UDToken) -> UDToken | None:
        return self.tokens[tok.head] if tok.head >= 0 else None

    def ancestors(self, tok: UDToken, limit: int = 8) -> list[UDToken]:
        out, cur = [], tok
        while cur.head >= 0 and len(out) < limit:
            cur = self.tokens[cur.head]
            out.append(cur)
        return out


@dataclass(slots=True)
class UDChunk:
    base: int
    sentences: list[UDSentence]
    ner: list[tuple[int, int, str, str]]  # start, end (document offsets), type, normal form
