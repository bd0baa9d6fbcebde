"""Commands, exclamations and wishes: when an English sentence urges an act without a modal.

Imperatives in edited prose and in comment threads ("Hang them", "Someone hang him", "(hang
those traitors)"), verbless demands ("Death to ...", "Gallows!!!") and wishes ("I hope they
hang her") are calls; titles, vocatives and wishes of someone else are not.
"""

from __future__ import annotations

from typing import Any

from redline.detect.core.codebook import Codebook, Trigger
from redline.detect.en.syntax import all_kids, is_cut, misread_verb, stance_holder, the_speakers
from redline.detect.en.words import (
    DEMAND_PREPS,
    LEAD_INS,
    NOMINAL_VERB_DEPS,
    RUN_ON,
    SUBJ,
    WISH_LINKS,
    Token,
)
from redline.vocabulary import vocabulary


def find_wish(verb: Token, book: Codebook, governs_noun: bool = False) -> Token | None:
    """The wish that governs the act: 'I hope they hang her', 'hopefully he gets the rope',
    'can't wait to see them hang', 'I want hangings' -- the speaker's, or someone else's ('they
    want to kill us'), which `_wished` reports as their intent (`stance_holder` tells).  A
    noun the verb governs counts only in the speaker's own wish."""
    adverb = wish_adverb(verb, book)
    if adverb is not None:
        return adverb
    if governs_noun and speakers_wish(verb, book):  # "I want hangings for treason"
        return verb
    cur = verb
    for _ in range(4):
        if cur.dep_ not in WISH_LINKS or cur.head.i == cur.i:
            return None
        if cur.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in book.cue("time_marks")
                                       for m in cur.children):
            return None  # "I hope he is prosecuted before he dies": a time, not the wish
        cur = cur.head
        adverb = wish_adverb(cur, book)
        if adverb is not None:  # "I'd rather see her hang"
            return adverb
        if cur.lemma_.lower() in book.cue("wish_governors"):
            return cur  # the speaker's, or someone else's (`stance_holder` tells)
        if cur.lemma_.lower() in book.cue("speech_verbs"):
            return None
    return None


def wish_adverb(verb: Token, book: Codebook) -> Token | None:
    """'hopefully', or 'rather' of the speaker ("I'd rather see her hang"), not of someone
    else ("Russia would rather strike Kyiv than negotiate")."""
    adverb = next((c for c in verb.children if c.lower_ in book.cue("wish_adverbs")), None)
    if adverb is None or adverb.lower_ == "hopefully":
        return adverb
    return adverb if the_speakers(all_kids(verb), book) else None


def speakers_wish(verb: Token, book: Codebook) -> bool:
    """A verb of wishing whose subject is the speaker's side or unnamed ("Love to see ...")."""
    return (verb.lemma_.lower() in book.cue("wish_governors")
            and not stance_holder(verb, book))


def is_verbless(sent: Any, acts: frozenset[int] = frozenset()) -> bool:
    """No verb outside noun phrases and outside the acts themselves ("firing squads for all").
    Participles and gerunds inside a noun phrase ("for everyone involved") do not count; a
    finite relative clause does ("strikes on Kyiv that killed five" is a headline, not a cry)."""
    return not any(
        t.pos_ in ("VERB", "AUX") and t.i not in acts
        and not (t.dep_ in NOMINAL_VERB_DEPS and t.tag_ in ("VBN", "VBG"))
        for t in sent
    )


def demanding_token(trigger: Token, sent: Any, trig: Trigger,
                    heading: bool = False) -> Token | None:
    """A verbless mention is a demand when it is exclaimed ('Gallows!!!'), aimed at someone
    ('Death to traitors', 'Drones on Tallinn', 'executions for everyone involved') or names an
    instrument of the act ('The rope.').  A bare title ('The evolution of white genocide',
    'Capital punishment in America') demands nothing."""
    bang = next((t for t in sent if t.text.startswith("!")), None)
    if bang is not None:
        return bang
    aimed = next(
        (c for c in trigger.children
         if c.dep_ == "prep" and c.lower_ in DEMAND_PREPS
         and any(p.dep_ == "pobj" for p in c.children)),
        None,
    )
    named_alone = (vocabulary().action(trig.action).whole_comment_demand and not heading
                   and whole_comment(trigger, sent))
    if aimed is not None or trig.instrument or named_alone:
        return trigger
    return None


def whole_comment(trigger: Token, sent: Any) -> bool:
    """A paragraph that is nothing but a killing's name ("Death penalty", "Woodchipper"): in a
    thread that is a demand.  A title names more ("Capital punishment in America"), and a
    historical event alone ("The Holocaust") is no killing method, so only kills qualify."""
    doc = sent.doc
    if sent.start != 0 or sent.end != len(doc) or len(sent) > 5:
        return False
    return all(t.i == trigger.i or (t.head.i == trigger.i and t.dep_ in ("compound", "amod", "det"))
               or t.is_punct or t.pos_ in ("SYM", "X", "SPACE") for t in sent)


def vocative_like(subject: Token) -> bool:
    """A "subject" the parse found before a comma that can be a vocative ("Traitors all, hang
    'em high"), not a phrase opened by an article ("The Russian invasion, including the
    occupation of Crimea, demonstrate ...": vocatives take none)."""
    return not any(t.dep_ == "det" and t.lower_ in ("the", "a", "an")
                   for t in subject.children)


def imperative(verb: Token, book: Codebook) -> bool:
    """A base-form verb with no subject or auxiliary, opening its clause (after lead-ins, a
    comma or a vocative: "Traitors all, hang 'em high"); or a jussive: a base form after
    "someone" ("Someone hang him", not "someone hangs him")."""
    base = verb.tag_ in ("VB", "VBP")
    if any(c.dep_ == "aux" for c in verb.children):
        return False
    if base and any(c.dep_ == "nsubj" and c.lower_ in book.cue("jussive_subjects")
                    for c in verb.children):
        return True
    before = [t for t in verb.sent if t.i < verb.i]
    if any(t.tag_ == "MD" and t.dep_ not in ("aux", "auxpass") for t in before):
        return False  # "A person ... may, subject to ..., use force": its modal, hung elsewhere
    cut = max((i for i, t in enumerate(before) if is_cut(t)), default=-1)
    cut_at = before[cut].i if cut >= 0 else verb.sent.start - 1
    # a "subject" before the cut is a vocative the parse took for one ("Tribunals... hang all")
    subject = any(c.dep_ in SUBJ and (c.i > cut_at or not vocative_like(c))
                  for c in verb.children)
    if (not base and not misread_verb(verb)) or subject:
        return False
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        if imperative(verb.head, book):
            return True
        # "... screwing her own brother., HANG THEM BOTH": a new sentence the parse joined
        strong = any(t.i > verb.head.i and t.is_punct and set(t.text) & set(".!?…")
                     for t in before)
        if not (strong and verb.tag_ == "VB"
                and not any(c.dep_ == "aux" for c in verb.head.children)):
            return False
    elif (verb.dep_ == "conj" and verb.tag_ == "VB" and verb.head.dep_ == "ROOT"
            and verb.head.i == verb.sent.start):
        return True  # "Impeach and then send him to Gitmo": the tagger made the first verb a noun
    # A run-on comment hangs its clauses on each other: "(hang those traitors)", "psychopaths
    # cannot coexist with us, kill them!", "hang this scum he is a predator".  A bare base form
    # that opens its clause commands wherever the parse attaches it.
    if verb.dep_ != "ROOT" and not (verb.tag_ == "VB" and verb.dep_ in RUN_ON):
        return False
    if verb.dep_ == "xcomp" and cut < 0:
        return False  # "make them hang" complements a verb; "(hang them)" opens a clause
    return all(
        t.lower_ in LEAD_INS or t.pos_ in ("INTJ", "CCONJ", "PUNCT", "SYM") or t.is_punct
        or (t.pos_ == "ADV" and t.dep_ == "advmod" and t.head.i == verb.i)  # "publicly execute"
        for t in before[cut + 1 :]
    )
