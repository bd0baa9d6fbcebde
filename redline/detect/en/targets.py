"""English targets: who or what an act is aimed at, and what silences a trigger.

Objects, passive subjects and "on/against/of" arguments, conjuncts and partitives, pointing words
resolved to an entity named before ("this regime"); a target must be able to suffer force.
Idioms ("strike a deal"), natural agents ("a storm hit") and named places silence a trigger.
"""

from __future__ import annotations

from redline.detect.core.codebook import Codebook, Trigger, en_masse_group
from redline.detect.core.entities import EntityIndex
from redline.detect.core.findings import Reading
from redline.detect.en.syntax import clause_verb, misread_verb, to_a_place, verb_chain
from redline.detect.en.words import (
    AIM_PREPS,
    ANAPHORA,
    OBJ,
    PARTITIVES,
    POINTING,
    SUBJ,
    TARGET_PREPS,
    Token,
)
from redline.document import Entity


def resolve(head: Token, start: int, floor: int, index: EntityIndex) -> Entity | None:
    """'them', 'this regime', 'its leadership' -> the nearest fitting entity before them."""
    lemma = head.lower_ if head.pos_ == "PRON" else head.lemma_.lower()
    types = ANAPHORA.get(lemma)
    if types is None:
        return None
    if head.pos_ != "PRON" and not any(c.lower_ in POINTING for c in head.children):
        return None
    return index.antecedent(start, floor, types)


def target_heads(trigger: Token, trig: Trigger, outcome: bool = False) -> list[Token]:
    """Heads of the target phrases of a trigger (``outcome``: an agentless end, "death")."""
    heads: list[Token] = []
    verb_like = trigger.pos_ in ("VERB", "AUX") or (trig.kind == "verb" and misread_verb(trigger))
    kids = list(trigger.children)
    if verb_like:
        heads += [c for c in kids if c.dep_ in OBJ]
        heads += [c for c in kids if c.dep_ == "nsubjpass"]
        if not heads and trigger.dep_ == "conj":
            heads += shared_patient(trigger)
        if trigger.dep_ == "relcl" and trigger.head.pos_ in ("NOUN", "PROPN") and not heads:
            heads.append(trigger.head)  # "the men they executed"; not "the man who shot him"
    for prep in kids:  # "strike on X"; "death to X", whose phrase ends in its preposition
        if prep.dep_ == "prep" and (prep.lower_ in TARGET_PREPS or prep.lower_ == trig.words[-1]):
            heads += [p for p in prep.children if p.dep_ == "pobj"]
    if not verb_like:
        heads += [c for c in kids if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"]
        if outcome:  # "your death", "death to traitors": the one whose end it is
            heads += [c for c in kids if c.dep_ == "poss" and c.pos_ != "PROPN"]
            heads += [p for prep in kids if prep.dep_ == "prep" and prep.lower_ == "to"
                      for p in prep.children if p.dep_ == "pobj"]
        # "the sanctions imposed against UNITA", "strikes launched on Kyiv": a participle aims it
        heads += [p for acl in kids if acl.dep_ == "acl" and acl.tag_ == "VBN"
                  for prep in acl.children if prep.dep_ == "prep" and prep.lower_ in AIM_PREPS
                  for p in prep.children if p.dep_ == "pobj"]
        verb = clause_verb(trigger)
        if verb.i != trigger.i:  # "use nuclear weapons against London"
            heads += [
                p
                for prep in verb.children
                if prep.dep_ == "prep" and prep.lower_ in AIM_PREPS
                for p in prep.children
                if p.dep_ == "pobj"
            ]
    heads += [c for h in heads for c in h.children if c.dep_ == "conj"]  # "X and all the traitors"
    heads += [p for h in heads if h.lower_ in PARTITIVES  # "every one of those bastards"
              for prep in h.children if prep.dep_ == "prep" and prep.lower_ == "of"
              for p in prep.children if p.dep_ == "pobj"]
    return [h for h in heads if h.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET")]


def shared_patient(verb: Token) -> list[Token]:
    """The subject a passive conjunct shares: 'he committed crimes and must be arrested and
    executed', 'is a traitor and should be shot'.  Up the chain of conjuncts, the first
    subject found suffers the act when the conjuncts are passive."""
    passive = verb.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in verb.children)
    cur = verb
    for _ in range(3):
        if cur.dep_ != "conj":
            return []
        cur = cur.head
        passive = passive or any(c.dep_ == "auxpass" for c in cur.children)
        if not passive:
            return []
        subj = [c for c in cur.children if c.dep_ in ("nsubjpass", "nsubj")]
        if subj:
            return subj[:1]
    return []


def phrase_span(head: Token) -> tuple[int, int]:
    toks = [t for t in head.subtree if t.dep_ not in ("relcl", "acl", "punct", "cc")]
    left = min(t.i for t in toks)
    right = max(t.i for t in toks)
    right = min(right, left + 11)
    doc = head.doc
    return doc[left].idx, doc[right].idx + len(doc[right])


def resultative(trigger: Token) -> Token | None:
    """The verb whose act ends in the trigger: "beaten to death", "starve them to death"
    (the verbs that kill no one, "bored to death", are idioms: [idioms] death.governed_by)."""
    prep = trigger.head
    if trigger.dep_ != "pobj" or prep.lower_ != "to" or prep.head.pos_ != "VERB":
        return None
    verb = prep.head  # someone else suffers it: not "froze to death", "drank himself to death"
    patient = any(c.dep_ == "nsubjpass" or (c.dep_ in OBJ and not c.lower_.endswith(
        ("self", "selves"))) for c in verb.children)
    return verb if patient else None


def can_suffer(head: Token, book: Codebook, linked: list[Entity]) -> bool:
    lemma = head.lemma_.lower()
    return (
        bool(linked)
        or lemma in book.target_nouns
        or head.lower_ in book.target_nouns  # "muslims", whose lemma the list may not hold
        or head.lower_ in book.target_pronouns
        or head.lower_ in book.cue("reflexives")  # "should kill themselves"
        or head.pos_ == "PROPN"
        or any(c.lemma_.lower() in book.target_nouns for c in head.children if c.dep_ == "compound")
    )


def is_person(head: Token, linked: list[Entity], book: Codebook) -> bool:
    """A person or people: a linked person or group, or a noun or pronoun of people."""
    return (any(e.type in ("PERSON", "GROUP") for e in linked)
            or head.lower_ in book.persons or head.lemma_.lower() in book.persons)


def takes_subject_as_patient(head: Token, trig: Trigger) -> bool:
    """Intransitive 'die'/'hang', or a passive with no subject of its own."""
    if any(c.dep_ in OBJ for c in head.children):
        return False
    passive = any(c.dep_ == "auxpass" for c in head.children) and not any(
        c.dep_ == "nsubjpass" for c in head.children
    )
    # "see them executed", "want him hanged": a bare participle under another verb is passive
    participle = head.tag_ == "VBN" and head.dep_ in ("ccomp", "xcomp", "oprd")
    return trig.patient_subject or passive or participle


def natural_agent(trigger: Token, book: Codebook) -> bool:
    """A storm, a virus or a tax policy 'hits' or 'kills' without being force."""
    chain = verb_chain(clause_verb(trigger), book)
    subj = [c for v in chain for c in v.children if c.dep_ == "nsubj"]
    subj += [
        p
        for v in chain
        for c in v.children
        if c.dep_ == "agent"
        for p in c.children
        if p.dep_ == "pobj"
    ]
    subj += [c for t in subj for c in t.children if c.dep_ == "compound"]  # "Storm Ciarán"
    return any(t.lemma_.lower() in book.not_agents for t in subj)


def idiom(trigger: Token, heads: list[Token], book: Codebook,
           not_objects: frozenset[int] | set[int] = frozenset()) -> bool:
    """An object or particle that makes the trigger a figure of speech ("strike a deal");
    ``not_objects`` are words of the trigger phrase itself or weapons, never dismissed."""
    lemma = trigger.lemma_.lower()
    bad = book.idioms.get(lemma, frozenset()) | book.idioms.get("any", frozenset())
    near = heads + [c for c in trigger.children
                    if c.dep_ in ("prt", "advmod", "amod", "compound")]  # "charm offensive"
    governors = book.idioms.get(f"{lemma}.governed_by", frozenset())
    gov = trigger.head.head if trigger.head.dep_ == "prep" else trigger.head
    if any(g.lemma_.lower() in governors or g.lower_ in governors for g in (trigger.head, gov)):
        return True  # "bite the bullet", "dodged a bullet", "defend to the death"
    near += [
        p
        for t in (trigger, *heads)
        for c in t.children
        if c.dep_ == "prep"
        for p in c.children
        if p.dep_ == "pobj"
    ]
    # "<lemma>.object" idioms hold only as the direct object or passive subject: "fire them"
    # is dismissal, "fire on them" is force
    objects = book.idioms.get(f"{lemma}.object", frozenset())
    preps = book.idioms.get(f"{lemma}.prep", frozenset())
    particles = [c for c in trigger.children  # "out" of "take out", however it is parsed
                 if c.dep_ in ("prt", "advmod") or c.i in not_objects]
    if any(c.dep_ == "prep" and c.lower_ in preps and not to_a_place(c)
           for t in (trigger, *particles) for c in t.children):
        return True  # "take him out of office", "took Prayer out of the school"

    arms = book.weapon_nouns | book.idioms.get(f"{lemma}.object.except", frozenset())

    def listed(h: Token) -> bool:
        words = {h.lower_, h.lemma_.lower()}
        return bool(words & objects) or ("*" in objects and not words & arms)

    return any((h.lemma_.lower() in bad or h.lower_ in bad) and h.i not in not_objects
               for h in near) or any(
        # a subject is among the heads only as the patient of a passive ("they need to be fired")
        listed(h) for h in heads
        if (h.dep_ in OBJ or h.dep_ in ("nsubjpass", "nsubj")) and h.i not in not_objects)


def aimed_en_masse(head: Token, targets: list[Token], trig: Trigger, book: Codebook) -> bool:
    """Aimed at a people ("the Polish population", "illegals") or, through the trigger's
    quantifiers, at everyone of a kind ("every illegal", "deport them all", "mass
    deportations")."""
    group = en_masse_group(book, trig)
    if any((h.lemma_.lower() in group or h.lower_ in group)
           and not any(c.dep_ == "nummod" for c in h.children)  # "three Poles"
           for h in targets):
        return True
    words = trig.en_masse_words
    near = [*targets, *(c for h in (head, *targets) for c in h.children)]
    return any(t.lower_ in words for t in near)


def bare_command(head: Token, trig: Trigger, reading: Reading, book: Codebook) -> bool:
    """'EXECUTE.', 'Convict and execute': a command to kill needs no named victim.  Words that
    are also exclamations ("Shoot!", "Die!") are not commands without one."""
    if not (trig.any_object and trig.kind == "verb" and reading.modality == "call"
            and head.lemma_.lower() not in book.cue("exclamations")):  # "Shoot!", "Keep shooting"
        return False
    # "Needs to hang", "should be executed for treason": an urged fate whose victim the parse
    # lost (no subject for the patient)
    passive = any(c.dep_ == "auxpass" for c in head.children)
    lost_victim = (trig.patient_subject or passive) and not any(
        c.dep_ in SUBJ for t in verb_chain(head, book) for c in t.children)
    return reading.imperative or lost_victim


def urged_killings(head: Token, trig: Trigger, reading: Reading, book: Codebook) -> bool:
    """'Can we please get to the executions already': killings in the plural, urged through a
    verb of wanting, or a killing someone deserves, need no named target.  'We will
    investigate the killings' reports them; a singular 'we need better execution' stays a
    figure of speech."""
    if not (trig.any_object and trig.kind == "noun" and reading.modality == "call"):
        return False
    gov = head.head.head if head.dep_ == "pobj" else head.head
    if head.dep_ in OBJ and head.head.lemma_.lower() in book.cue("fate_verbs"):
        return True  # "he deserves execution": the subject is the one it is wished on
    if any(c.lower_ in book.cue("killing_modifiers") for c in head.children):
        return True  # "public hanging needs to come back"
    return head.tag_ in ("NNS", "NNPS") and gov.lemma_.lower() in book.cue("wanting_verbs")
