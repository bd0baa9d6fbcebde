"""The English pack's word lists and parser labels, read from its codebook by name.

The rules below refer to these sets; the words themselves are data (``codebook.toml``:
[words], [grammar], [anaphora]).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from redline.detect.core.codebook import load_codebook

Token = Any  # spacy.tokens.Token
BOOK = load_codebook("en")
# spaCy's dependency labels, by what the rules call them
(SUBJ, OBJ, CLAUSE_LINKS, GOVERNED_DEPS, WISH_LINKS, MODIFIERS, NOMINAL_VERB_DEPS, RUN_ON,
 CLAUSE_CUTS) = (BOOK.labels(name) for name in (
    "subject", "object", "clause_links", "governed", "wish_links", "modifiers", "nominal_verbs",
    "run_on", "clause_cuts"))
# word lists
(TARGET_PREPS, AIM_PREPS, DEMAND_PREPS, LEAD_INS, POINTING, PARTITIVES) = (
    BOOK.word(name) for name in (
        "target_preps", "aim_preps", "demand_preps", "lead_ins", "pointing", "partitives"))
ANAPHORA = BOOK.anaphora


@dataclass(frozen=True, slots=True)
class SentenceWords:
    """What the sentence-wide rules ask of a sentence: read once per sentence, not once per
    word of force in it -- a long sentence holds many, and scanning it for each made the
    reading grow with the square of the sentence."""

    lowers: dict[str, tuple[int, ...]]  # lower-case form -> its token positions, in order
    first_lemma: dict[str, int]  # lower-case lemma -> the position of its first token
    lemmas: frozenset[str]
    opener: tuple[str, ...]  # the first two words that are not punctuation, lower case
    asked: bool  # the sentence ends with a question mark


@lru_cache(maxsize=64)
def sentence_words(sent: Any) -> SentenceWords:
    """The `SentenceWords` of a spaCy sentence (cached for the sentences being read)."""
    lowers: dict[str, list[int]] = {}
    first_lemma: dict[str, int] = {}
    opener: list[str] = []
    for t in sent:
        lowers.setdefault(t.lower_, []).append(t.i)
        first_lemma.setdefault(t.lemma_.lower(), t.i)
        if len(opener) < 2 and not t.is_punct:
            opener.append(t.lower_)
    return SentenceWords({w: tuple(i) for w, i in lowers.items()}, first_lemma,
                         frozenset(first_lemma), tuple(opener),
                         sent.text.rstrip().endswith("?"))
