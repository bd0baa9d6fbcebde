"""English modality: a table of named rules, tried in order; the first that decides wins.

Each rule reads the `Clause` around a trigger and either decides the speaker's stance to the
act (`Clause.decide`, with the token that decided it and a plain reason) or passes. When none
decides, the act is stated as fact: a report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from redline.detect.core.codebook import Codebook, Trigger
from redline.detect.core.findings import Reading
from redline.detect.core.rules import apply_rules
from redline.detect.en.clause import Clause, make_clause
from redline.detect.en.commands import demanding_token, find_wish, imperative, is_verbless
from redline.detect.en.syntax import (
    all_kids,
    asks_why_not,
    charged_with,
    clause_governor,
    governed,
    governors,
    obligation,
    plans_denied,
    stance_holder,
    subject_of,
    urges,
    words_of,
    xcomp_top,
)
from redline.detect.en.words import OBJ, SUBJ, Token, sentence_words


def read_modality(trigger: Token, sent: Any, book: Codebook, trig: Trigger,
                   acts: frozenset[int] = frozenset(), heading: bool = False) -> Reading:
    """The speaker's stance to the act: the first of `MODALITY_RULES` that decides, else a
    plain statement (report)."""
    c = make_clause(trigger, sent, book, trig, acts, heading)
    return apply_rules(c, MODALITY_RULES, c.verb)


def _forecast_words(c: Clause) -> bool:
    """"I do not see how a war can be avoided", "an inevitable strike"."""
    first = sentence_words(c.sent).first_lemma
    at = min((first[w] for w in c.book.word("forecast_words") if w in first), default=None)
    avoid = None if at is None else c.sent.doc[at]
    return avoid is not None and c.decide("prediction", avoid,
                                          f"'{avoid.text}': the act is forecast")


def _bracketed_gloss(c: Clause) -> bool:
    """"leading to tissue ischemia (death due to lack of O2)" glosses a word; a place or an
    instrument in brackets still sends someone there ("a ticket to an island (GITMO)")."""
    t = c.trigger
    if (t.dep_ == "appos" and t.i > 0 and t.nbor(-1).text in ("(", "[")
            and not (c.trig.place or c.trig.instrument)):
        return c.decide("report", t.nbor(-1), f"'{t.text}' in brackets glosses a word")
    return False


def _without(c: Clause) -> bool:
    t = c.trigger
    return (t.dep_ == "pobj" and t.head.lower_ == "without"
            and c.decide("negated", t.head, "'without' excludes the act"))


def _crime_charged(c: Clause) -> bool:
    """"he needs to be tried for mass murder": the killing is the accusation."""
    accused = charged_with(c.trigger, c.book)
    return accused is not None and c.decide(
        "report", accused, f"'{accused.text}': the act is the crime charged")


def _named_in_another_noun(c: Clause) -> bool:
    """"Read the history of the Holocaust": the command is to read, the genocide is named.
    Instruments and places are the act wherever the clause puts someone ("in front of a
    firing squad", "in a cell at Gitmo")."""
    named = c.trigger.i != c.verb.i and c.verb.pos_ in ("VERB", "AUX") and not (
        c.trig.place or c.trig.instrument)
    return named and not governed(c.trigger, c.verb, c.book) and c.decide(
        "report", c.verb, f"'{c.verb.text}' governs another noun: the act is only named")


def _modifying_another_noun(c: Clause) -> bool:
    """"I will host the Forum on Holocaust Remembrance": an act that modifies another noun is
    named with it; the clause's stance is toward the other noun."""
    t = c.trigger
    return (t.dep_ == "compound" and c.trig.kind == "noun" and t.head.pos_ in ("NOUN", "PROPN")
            and not (c.trig.place or c.trig.instrument)
            and c.decide("report", t.head, f"'{t.text}' modifies '{t.head.text}': the act is "
                                           "only named"))


def _owned_by_another(c: Clause) -> bool:
    """"facilitate Russia's invasion", "consider null and void Israel's annexation", "under
    its occupation": an act another party owns, named inside the clause, is theirs -- done or
    under way -- and not what the clause's modal urges. Not "their attack will come" (the act
    is the clause's subject), not "our response", not "his execution" (whose owner suffers
    it: the codebook's `possessor_patients`), not a phrase ("off with their heads"), not a
    place or an instrument ("take her to her new home, Gitmo")."""
    t = c.trigger
    owner = foreign_owner(t, c.book)
    if (owner is None or c.trig.kind != "noun" or c.trig.place or c.trig.instrument
            or t.i == c.verb.i or t.dep_ in SUBJ
            or t.lemma_.lower() in c.book.cue("possessor_patients")):
        return False
    return c.decide("report", owner, f"'{owner.text}': the act is theirs, named")


def foreign_owner(noun: Token, book: Codebook) -> Token | None:
    """The possessor of a noun when it is not the speaker's side ("Russia's invasion", "his
    blockade"; not "our response")."""
    owner = next((k for k in noun.children if k.dep_ == "poss"), None)
    return owner if owner is not None and owner.lower_ not in book.cue("first_person") else None


def _set_aside_by_than(c: Clause) -> bool:
    """"I would rather negotiate than strike Iran", "... a blockade rather than invade"."""
    verb = c.verb
    than = next((t for t in verb.children if t.lower_ == "than" and t.dep_ == "mark"), None)
    if than is None and verb.dep_ == "conj":
        than = next((t for t in verb.head.children if t.lower_ == "than" and t.dep_ == "cc"
                     and t.i < verb.i), None)
    if than is not None or (verb.head.lower_ == "than" and verb.head.i != verb.i):
        return c.decide("negated", than or verb.head, "'than': the alternative set aside")
    return False


def _rejected(c: Clause) -> bool:
    """"abolish the death penalty", "prevent a war": the act is kept from happening (negated);
    "stop the killing", "the blockade should be ended", "put an end to the military actions":
    the act is under way and what is urged ends it (report, docs/annotation.md) -- unless the
    ending is done ("the EU lifted the sanctions"). Not "at the end of a rope"."""
    t = c.trigger
    if (t.dep_ == "nsubj" and t.head.lemma_.lower() in c.book.cue("ending_governors")
            and not any(k.dep_ in OBJ for k in t.head.children)):  # not "a bullet will stop that"
        # "the killing must stop", "the civil war ended in 1865": it was under way either way
        return c.decide("report", t.head, f"'{t.head.text}': the act is under way or over")
    above = governors(t) + ([t.head] if t.dep_ == "nsubjpass" else [])
    found = next(((g, cue) for g in above if g.i != t.i
                  and not (g.dep_ == "pobj" and g.head.lower_ == "at")
                  and (cue := rejecting_word(g, c.book)) is not None), None)
    if found is None:
        return False
    governor, cue = found
    if cue.lemma_.lower() in c.book.cue("ending_governors") and not done(governor):
        return c.decide("report", cue, f"'{cue.text}': the act is under way, what is urged "
                                       "ends it")
    return c.decide("negated", cue, f"'{cue.text}' rejects the act")


def rejecting_word(gov: Token, book: Codebook) -> Token | None:
    """The word by which ``gov`` rejects or ends what it governs: itself ("stop"), or the
    noun it takes ("put an end to", "bring a halt to")."""
    rejecting = book.cue("rejecting_governors") | book.cue("ending_governors")
    if gov.lemma_.lower() in rejecting:
        return gov
    return next((k for k in gov.children if k.dep_ in OBJ
                 and k.lemma_.lower() in book.cue("ending_governors")), None)


def done(verb: Token) -> bool:
    """A past or perfect verb, not denied and not a modal's: "the EU lifted the sanctions",
    "has ended" (not "has not been lifted", not "we could have stopped these hostilities")."""
    kids = all_kids(verb)
    perfect = any(k.dep_ == "aux" and k.lemma_.lower() == "have" for k in kids)
    denied = any(k.dep_ == "neg" for k in kids)
    modal = any(k.tag_ == "MD" for k in kids)
    return (verb.tag_ == "VBD" or perfect) and not denied and not modal


def _answered(c: Clause) -> bool:
    """"the slaughter must be avenged", "investigate the attack", "we condemn the invasion":
    the act is done or under way, and what is said answers it."""
    t = c.trigger
    above = governors(t) + ([t.head] if t.dep_ == "nsubjpass" else [])
    answering = next((g for g in above
                      if g.lemma_.lower() in c.book.cue("answering_governors")), None)
    return (answering is not None and answering.i != t.i and c.decide(
        "report", answering, f"'{answering.text}' answers an act done or under way"))


def _why_not(c: Clause) -> bool:
    """"why can't we shoot them", with or without a question mark."""
    return bool(c.negs) and asks_why_not(c.chain) and c.decide(
        "proposal", c.negs[0], "'why not …': suggests it")


def _negation(c: Clause) -> bool:
    """"we will not strike", "nobody is going to bomb Taipei" -- but "don't hesitate to", and
    "we cannot fail to respond" / "cannot but respond" urge it."""
    again = _denial_denied(c) if c.negs else None
    if again is not None:
        return c.decide("call", c.negs[0], f"'{c.negs[0].text} … {again.text}': a denial "
                                           "denied, the act is a must")
    if c.negs and not c.book.cue("negation_neutral").intersection(c.lemmas):
        c.r.negation = c.negs[0]
        return c.decide("negated", c.negs[0], "negation of the act")
    return False


def _denial_denied(c: Clause) -> Token | None:
    """"We cannot fail to respond", "we cannot but respond", "can't help but strike": "can"
    denied, with a word that denies again (`denied_denials`), makes the act a must. That word:
    a verb of the chain with no object of its own (not "could not help the rebels attack"), or
    a word before the verb it hangs on (not the "but" of "we cannot strike, but we will …")."""
    if not any(a.lower_ in ("can", "ca", "could") for a in c.aux):
        return None
    again = c.book.cue("denied_denials")
    verbs = (t for t in c.chain if not any(k.dep_ in OBJ for k in t.children))
    before = (k for t in c.chain for k in t.children
              if k.dep_ in ("advmod", "cc") and k.i < t.i)
    return next((t for t in [*verbs, *before] if t.lemma_.lower() in again), None)


def _no_plans(c: Clause) -> bool:
    plans = plans_denied(c.trigger, c.book)
    return plans is not None and c.decide(
        "negated", plans, "'no plans / no intention' denies the act")


def _whether(c: Clause) -> bool:
    """"whether they live or die", "whether to strike": asked, not urged."""
    whether = next((t for v in c.chain for t in v.children if t.dep_ == "mark" and (
        t.lower_ == "whether" or (t.lower_ == "if" and v.dep_ == "ccomp"))), None)
    return whether is not None and c.decide(  # "let's see if they want to go to war"
        "question", whether, f"'{whether.text}': the act is weighed as a question")


def _how_about(c: Clause) -> bool:
    """"How about hanging him"."""
    opener = sentence_words(c.sent).opener
    return (opener == ("how", "about") and c.verb.i > c.sent.start + 1
            and c.decide("proposal", c.sent[0], "'how about …': suggests it"))


def _question(c: Clause) -> bool:
    opener = " ".join(t.lower_ for t in c.sent[:2])
    if opener in c.book.cue("question_openers"):  # "How many young people have to die ..."
        return c.decide("question", c.sent[0], f"'{opener}': asked, without its mark")
    words = sentence_words(c.sent)
    if not words.asked:
        return False
    if "why" in words.lowers and "not" in words.lowers:
        return c.decide("proposal", c.sent[-1], "'why not …?' suggests it")
    return c.decide("question", c.sent[-1], "asked as a question")


def _call_aux(c: Clause) -> bool:
    """"must", "should"; on a verb of stance in a subordinate clause the call is its subject's
    ("it is insolence that a general should be calling for the occupation of France" is the
    general's call, reported)."""
    a = next((a for a in c.aux if a.lower_ in c.book.cue("call_aux")), None)
    if a is None:
        return False
    # after "that" ("it is insolence that a general should be calling for") the modal is the
    # holder's; as a command ("the people should demand him hanged") the speaker's
    if (a.head.i != c.trigger.i and a.head.lemma_.lower() in c.book.cue("stance_verbs")
            and any(k.lower_ == "that" and k.i < a.i for k in a.head.children)):
        return c.stance("call", a.head, f"'{a.text} {a.head.text}' urges the act",
                        f"'{a.head.text}': {{holder}} urges the act, the text reports it")
    return c.decide("call", a, f"'{a.text}' urges the act")


def _call_governor(c: Clause) -> bool:
    """"need to", "time to", "deserves"; "the sheikh calls for genocide" is his call."""
    book = c.book
    first = 0 if c.trigger.i != c.verb.i else 1  # "needs a trip to Gitmo": the verb governs
    for t, lem in zip(c.chain[first:], c.lemmas[first:], strict=True):
        lem = t.lower_ if t.lower_ in book.cue("call_governors") else lem  # "got", not "get"
        if t.dep_ in ("pcomp", "pobj") and lem in book.cue("named_governors"):
            continue  # "the trend of supporting one person by military force": named
        if lem in book.cue("call_governors") and urges(t, c.chain, lem):
            return c.stance("call", t, f"'{t.text}' urges the act",
                            f"'{t.text}': {{holder}} urges the act, the text reports it")
    return False


def _obliged(c: Clause) -> bool:
    """"it is necessary to strike", "it is our duty to destroy them", "it has become
    imperative for the people to intensify their armed struggle" (not "how many hours are
    necessary to drop bombs", whose subject is the means)."""
    duty = next((t for t in c.chain[1:] if t.dep_ in ("acomp", "attr")
                 and (o := obligation(t.head, c.book)) is not None and o.i == t.i), None)
    return duty is not None and c.decide("call", duty, f"'{duty.text}' urges the act")


def _wished(c: Clause) -> bool:
    """"I hope they hang her" calls; "they want to kill us" reports someone else's intent."""
    if c.reporter is not None:
        return False
    wish = find_wish(c.verb, c.book, c.trigger.i != c.verb.i)
    if wish is None:
        return False
    holder = stance_holder(wish, c.book)
    if holder:
        c.r.intended, c.r.holder = True, holder
        return c.decide("report", wish, f"'{wish.text}': the wish of {words_of(holder)}, "
                                        "reported")
    if wish.tag_ == "VBD":  # "everybody wanted to resolve it by military means"
        c.r.intended = True
        return c.decide("report", wish, f"'{wish.text}': a wish in the past, reported")
    return c.decide("call", wish, f"'{wish.text}': the speaker wishes for the act")


def _exclaimed(c: Clause) -> bool:
    """"Death to …", "Gallows for all of them!"; a noun alone ("Shoot!") demands nothing."""
    t = c.trigger
    if t.pos_ in ("NOUN", "PROPN") and c.trig.kind != "verb" and is_verbless(c.sent, c.acts):
        demand = demanding_token(t, c.sent, c.trig, c.heading)
        return demand is not None and c.decide("call", demand,
                                               "a verbless exclamation demands it")
    return False


def _in_subject(token: Token, verb: Token) -> bool:
    """The token is inside a subject of the verb."""
    return any(token.i in (t.i for t in k.subtree) for k in verb.children if k.dep_ in SUBJ)


def _commanded(c: Clause) -> bool:
    """An imperative or "please"; after a report ("He says he is leaving... take him out!")
    the command is the speaker's, unless it is quoted."""
    at = sentence_words(c.sent).lowers.get("please")
    please = c.sent.doc[at[0]] if at else None
    commander = xcomp_top(c.verb)  # "Start shooting", "Go kill them", "Try to hang them"
    if please is None and not imperative(commander, c.book):
        return False
    if please is None and _in_subject(c.trigger, commander) and not any(
            k.dep_ in OBJ and k.pos_ == "PRON" for k in commander.children):
        return False  # "Periodic killings of villagers, ..., maintain terror": the act is the
        # subject the parse took for a vocative, not what a command asks for (but "Public
        # executions, bring them back!" points back to it)
    c.r.imperative = please is None
    if c.reporter is not None and not any(  # quoted before or after the reporting verb
            t.is_quote for t in c.sent.doc[min(c.reporter.i, commander.i) :
                                           max(c.reporter.i, commander.i)]):
        c.r.holder = []
    return c.decide("call", please or commander, "imperative: a direct call to act")


def _proposal_governor(c: Clause) -> bool:
    """"one option is to strike"; "the only way is to strike" urges it; "Hitler's plan to kill"
    is his option, reported; a named act the clause's own verb plans ("is preparing a major
    offensive") is planned, not done."""
    first = 0 if c.chain and c.chain[0].i != c.trigger.i else 1
    for t, lem in zip(c.chain[first:], c.lemmas[first:], strict=True):
        if any(k.dep_ == "prep" and k.lower_ in c.book.cue("judging_preps") for k in t.children):
            continue  # "they considered the invasion as a liberation": a judgement, no plan
        if lem in c.book.cue("own_plans") and c.r.first_person:
            return c.decide("threat", t, f"'{t.text}': the speaker's side plans it")
        if lem in c.book.cue("governing_nouns") and (only := next(
                (k for k in t.children if k.lower_ in c.book.cue("only_modifiers")), None)):
            return c.stance("call", only, f"'{only.text} {t.text}': the one way, urged",
                            f"'{only.text} {t.text}': urged by {{holder}}, the text reports it")
        if lem in c.book.cue("proposal_governors"):
            return c.stance("proposal", t, f"'{t.text}' puts it forward as an option or a plan",
                            f"'{t.text}': an option of {{holder}}, the text reports it")
    return False


def _possibility(c: Clause) -> bool:
    """could/might/may: offered -- or, under a verb of belief or with a passive ("you may be
    struck"), a possibility weighed."""
    a = next((a for a in c.aux if a.lower_ in c.book.cue("proposal_aux")), None)
    if a is None:
        return False
    believer = clause_governor(c.chain, c.book.cue("belief_verbs"), ("ccomp", "acl"))
    if believer is not None and not c.r.first_person:
        return c.decide("prediction", a, f"'{a.text}' under '{believer.text}': a possibility "
                                         "weighed")
    if any(k.dep_ == "auxpass" for k in all_kids(c.verb)) and not c.r.first_person:
        return c.decide("prediction", a, f"'{a.text}' with a passive: a possibility, not an "
                                         "offer")
    return c.decide("proposal", a, f"'{a.text}' offers it as a possibility")


def _prediction_word(c: Clause) -> bool:
    """"likely", "soon", "sure" -- not "to a certain extent", not of an act already past."""
    lowers = sentence_words(c.sent).lowers
    at = sorted(i for w in c.book.cue("prediction_words") for i in lowers.get(w, ()))
    pred = next((t for t in (c.sent.doc[i] for i in at) if t.dep_ != "amod"), None)
    return (pred is not None and not c.r.first_person and c.verb.tag_ not in ("VBD", "VBN")
            and c.decide("prediction", pred, f"'{pred.text}' forecasts it"))


def _future(c: Clause) -> bool:
    """will/would/going to/ready to: the speaker's side threatens, a third side is forecast,
    a reported speaker's side threatens; "was going to" is a past intention."""
    book, r = c.book, c.r
    future = next((a for a in c.aux
                   if a.lower_ in book.cue("threat_aux") or a.lower_ == "would"), None)
    governor = next((t for t, lem in zip(c.chain[1:], c.lemmas[1:], strict=True)
                     if lem in book.cue("threat_governors")
                     or t.lower_ in book.cue("threat_governors")), None)
    if future is None and governor is None and r.first_person:
        # "we can wipe them out": the speaker's side says it can do it (DESIGN: threat)
        future = next((a for a in c.aux if a.lower_ in book.cue("capability_aux")), None)
    if future is None and governor is None:
        return False
    if governor is not None and future is None and any(
            a.lower_ in ("was", "were") for a in governor.children if a.dep_ == "aux"):
        r.intended = True  # "the United States was going to strike"
        return c.decide("report", governor, f"'{governor.text}': an intention in the past")
    if (governor is not None and future is None and done(governor)
            and governor.lemma_.lower() in book.cue("decision_governors")):
        r.intended = True  # "we have decided to cut off all dealings with the regime"
        return c.decide("report", governor, f"'{governor.text}': a decision taken, reported")
    cue = future or governor
    if c.reporter is not None and future is not None:
        name = words_of(subject_of([c.reporter])) or "someone"
        return c.decide("threat", cue, f"reported speech: '{cue.text}' in what {name} "
                                       f"{c.reporter.text} announces their side's act")
    if (governor is not None and governor.lemma_.lower() in book.cue("stance_verbs")
            and (holder := stance_holder(governor, book))):
        r.holder = holder  # "a man arrested for threatening to kill"
        return c.decide("threat", cue, f"'{cue.text}': {words_of(holder)} threatens it, the "
                                       "text reports it")
    if r.first_person or (governor is not None
                          and governor.lower_ not in book.cue("forecasting_governors")):
        return c.decide("threat", cue, f"'{cue.text}' with the speaker's side as agent")
    return c.decide("prediction", cue, f"'{cue.text}' forecasts it")


def _past_or_ongoing(c: Clause) -> bool:
    aux = {a.lower_ for a in c.aux}  # "did" too: "we did not fail to strike them"
    if c.verb.tag_ in ("VBD", "VBN") or aux & {"have", "has", "did"} or (
            c.verb.tag_ == "VBG" and c.aux):
        return c.decide("report", c.verb, "past or ongoing: reported as happening")
    return False


def _standing_answer(c: Clause) -> bool:
    """An answer stated in the present, with no one else to give it ("all options are on the
    table"): the speaker's standing threat, as the annotation guide reads it. A verb's subject
    gives its answer ("Iran responds to every attack" threatens nothing of the speaker's)."""
    other_agent = c.trig.kind == "verb" and c.r.actor and not c.r.first_person
    return (c.trig.answer and not other_agent and c.reporter is None
            and c.verb.tag_ in ("VBP", "VBZ")
            and c.decide("threat", c.verb, "an answer stated as standing ready, with no one "
                                           "else to give it: the speaker's veiled threat"))


def _own_present(c: Clause) -> bool:
    """"We strike at dawn": the speaker's side as agent, in the present tense."""
    verb, t = c.verb, c.trigger
    stative = verb.lemma_.lower() in c.book.cue("stative_verbs")
    # "we accept his blockade": a noun another side owns is theirs, not the speaker's act
    foreign = foreign_owner(t, c.book) is not None
    own_act = t.i == verb.i or (t.dep_ in OBJ and t.head.i == verb.i and not foreign)
    return (c.r.first_person and verb.tag_ in ("VB", "VBP") and not stative and own_act
            and c.decide("threat", verb, "the speaker's side as agent, present tense"))


MODALITY_RULES: tuple[Callable[[Clause], bool], ...] = (
    _forecast_words, _bracketed_gloss, _without, _crime_charged, _named_in_another_noun,
    _modifying_another_noun, _set_aside_by_than, _rejected, _answered, _owned_by_another,
    _why_not, _negation, _no_plans, _whether, _how_about, _question, _call_aux, _call_governor,
    _obliged, _wished, _exclaimed, _commanded, _proposal_governor, _possibility,
    _prediction_word, _future, _past_or_ongoing, _standing_answer, _own_present,
)
