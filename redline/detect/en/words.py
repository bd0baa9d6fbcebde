"""The English pack's word lists and parser labels, read from its codebook by name.

The rules below refer to these sets; the words themselves are data (``codebook.toml``:
[words], [grammar], [anaphora]).
"""

from __future__ import annotations

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
