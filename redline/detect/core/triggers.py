"""Finding a codebook phrase among a sentence's tokens, for any parser."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

MAX_GAP = 4  # tokens allowed between a phrasal verb and its particle ("wipe Kyiv off the map")


def phrase_at(toks: Sequence[Any], i: int, words: tuple[str, ...],
              matches: Callable[[Any, str], bool],
              is_verb: Callable[[Any], bool]) -> list[Any]:
    """Tokens of ``words`` starting at ``i``: contiguous, or a verb, its object (up to
    `MAX_GAP` tokens), then the rest ("wipe Kyiv off the map", "стереть Киев с лица земли")."""
    n = len(words)
    span = list(toks[i : i + n])
    if len(span) == n and all(matches(t, w) for t, w in zip(span, words, strict=True)):
        return span
    if n < 2 or not is_verb(toks[i]):
        return []
    for gap in range(1, MAX_GAP + 1):
        rest = list(toks[i + 1 + gap : i + n + gap])
        if len(rest) == n - 1 and all(matches(t, w) for t, w in zip(rest, words[1:], strict=True)):
            return [toks[i], *rest]
    return []
