"""The Russian pack's word lists and parser labels, read from its codebook by name."""

from __future__ import annotations

from redline.detect.core.codebook import load_codebook

BOOK = load_codebook("ru")
(TARGET_CASES, DEMAND_PREPS, AIM_PREPS, OPPONENT_PREPS, NEGATORS, DENIALS, SUFFERING_VERBS,
 FORECAST_FORMS) = (BOOK.word(name) for name in (
    "target_cases", "demand_preps", "aim_preps", "opponent_preps", "negators", "denials",
    "suffering_verbs", "forecast_forms"))
# natasha's universal-dependency labels, by what the rules call them
(CHAIN_RELS, SALIENT, MODIFIERS, CLAUSE_CUTS) = (BOOK.labels(name) for name in (
    "chain", "salient", "modifiers", "clause_cuts"))
# Which antecedents a personal pronoun can take: его -> masculine or neuter singular, ...
PRONOUN_AGREEMENT = {word: (forms[0], tuple(forms[1:]))
                     for word, forms in BOOK.table("agreement").items()}
