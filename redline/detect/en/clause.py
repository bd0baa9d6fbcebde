"""The clause around an English trigger, read once for the modality rules.

`make_clause` finds the verb whose clause holds the trigger, the chain of verbs that govern it
("need to strike"), a reporting verb above ("Medvedev said ..."), auxiliaries, negations in
scope, the condition and the actor; the rules of `redline.detect.en.modality` read the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redline.detect.core.codebook import Codebook, Trigger
from redline.detect.core.findings import Reading
from redline.detect.core.rules import decide
from redline.detect.en.syntax import (
    all_kids,
    clause_governor,
    clause_verb,
    condition_mark,
    negation_scope,
    own_state,
    stance_holder,
    subject_head,
    subject_of,
    verb_chain,
    words_of,
)
from redline.detect.en.targets import shared_patient
from redline.detect.en.words import Token


@dataclass(slots=True)
class Clause:
    """The parse around one trigger that the modality rules read; ``r`` collects the answer."""

    trigger: Token
    sent: Any
    book: Codebook
    trig: Trigger
    acts: frozenset[int]
    heading: bool
    verb: Token
    chain: list[Token]
    lemmas: list[str]
    reporter: Token | None
    aux: list[Token]
    negs: list[Token]
    r: Reading

    def decide(self, modality: str, cue: Token, why: str) -> bool:
        return decide(self.r, modality, cue, why)

    def stance(self, modality: str, gov: Token, own: str, held: str) -> bool:
        """Decide on the stance ``gov`` expresses: the speaker's (``own``), or, for a verb of
        stance whose subject is someone else, theirs (``held``, naming them as {holder})."""
        holder = (stance_holder(gov, self.book)
                  if gov.lemma_.lower() in self.book.cue("stance_verbs") else [])
        if holder:
            self.r.holder = holder
            return self.decide(modality, gov, held.format(holder=words_of(holder)))
        return self.decide(modality, gov, own)


def make_clause(trigger: Token, sent: Any, book: Codebook, trig: Trigger,
            acts: frozenset[int], heading: bool) -> Clause:
    """Read once what every rule needs: the clause's verb, the chain of verbs governing it,
    auxiliaries, negations, the actor and a reporting verb above."""
    r = Reading()
    verb = clause_verb(trigger)
    chain = verb_chain(verb, book)
    reporter = clause_governor(chain, book.cue("speech_verbs"))
    active_conjunct = verb.dep_ == "conj" and not shared_patient(verb)
    r.actor = subject_of(chain) or (
        subject_of(verb_chain(verb.head, book)) if active_conjunct else [])
    r.first_person = bool(r.actor) and (r.actor[0].lower_ in book.cue("first_person")
                                        or own_state(subject_head(r.actor), book))
    if reporter is not None:  # "Medvedev said Russia would strike": whatever it says is his
        r.holder = stance_holder(reporter, book)
    heads = chain + ([verb.head] if verb.dep_ == "conj" else [])  # "arrested and executed"
    aux = [c for t in heads for c in all_kids(t) if c.dep_ in ("aux", "auxpass")]
    scope = negation_scope(chain)
    negs = [c for t in scope for c in all_kids(t) if c.dep_ == "neg" or c.lower_ in ("never",)]
    negs += [c for t in scope if t.pos_ == "NOUN" and t.lemma_.lower() in book.cue("held_nouns")
             and not any(k.lower_ == "but" for k in t.children)  # "no option but to strike"
             for c in t.children if c.dep_ == "det" and c.lower_ == "no"]  # "no right to"
    negs += [t for t in r.actor[:1] if t.lower_ in book.cue("negating_subjects")]  # "nobody"
    r.condition = condition_mark(chain, book)
    r.conditional = r.condition is not None
    return Clause(trigger, sent, book, trig, acts, heading, verb, chain,
                  [t.lemma_.lower() for t in chain], reporter, aux, negs, r)
