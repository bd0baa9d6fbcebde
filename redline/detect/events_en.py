"""English escalation events: acts of force read with their modality, actor and targets.

For every sentence of the spaCy parse we look up triggers in the codebook (lemmas and
multi-word phrases), then read the sentence around each one: the clause verb that governs it,
its auxiliaries and governing verbs (modality), negation, an if/unless clause (conditional),
a question mark, the subject (actor) and the objects or "on/against/of" arguments (targets).
Words that are force only with a target ("attack", "destroy", "seize") stay quiet without one
that can suffer force, and object lemmas listed as idioms ("strike a deal") silence them.
Every decision that shaped a finding is kept as an evidence span with a plain reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from redline.calibration import calibrate
from redline.codebook import (
    Codebook,
    Trigger,
    en_masse_group,
    en_masse_trigger,
    load_codebook,
    weapon_use_trigger,
)
from redline.detect.common import REPORTED, EntityIndex, cameo_code, held_by, trigger_why
from redline.document import Entity, Evidence, Finding, Participant
from redline.registry import Context

Token = Any  # spacy.tokens.Token
_SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")
_OBJ = ("dobj", "obj", "attr", "oprd")
_TARGET_PREPS = ("on", "against", "at", "of", "upon", "into", "in", "over")
_CLIMB = (
    "xcomp",
    "ccomp",
    "advcl",
    "acl",
    "relcl",
    "pcomp",
    "conj",
    "prep",
    "pobj",
    "dobj",
    "nsubj",
    "nsubjpass",
    "attr",
    "acomp",
    "advmod",
    "compound",
    "amod",
    "appos",
)


@dataclass(slots=True)
class Reading:
    """What the sentence says about one trigger."""

    modality: str = "report"
    conditional: bool = False
    cue: tuple[Token, str] | None = None  # the token that decided the modality, and why
    condition: Token | None = None
    negation: Token | None = None
    actor: list[Token] = field(default_factory=list)
    first_person: bool = False
    imperative: bool = False  # a direct command ("Execute!", "Convict and execute")
    intended: bool = False  # a past intention ("was going to strike"): reported, not carried out
    holder: list[Token] = field(default_factory=list)  # whose stance it is, when not the speaker's


def detect_events(ctx: Context) -> None:
    """Add a finding for every act of force in the English chunks of ``ctx``."""
    book = load_codebook("en")
    index = EntityIndex(ctx.analysis.entities)
    for chunk in ctx.chunks:
        seg = ctx.analysis.segment_at(chunk.base)
        floor = seg.start if seg is not None else chunk.base
        heading = seg is not None and seg.kind in ("title", "heading")  # names, not demands
        weapons = {s - chunk.base for s in index.weapon_starts}  # chunk-relative offsets
        for sent in chunk.doc.sents:
            found = _triggers(sent, book, weapons)
            # words inside a trigger phrase that the tagger calls verbs ('firing' in 'firing
            # squad') do not make a sentence verbal
            acts = frozenset(t.i for trig, tokens in found if len(tokens) > 1
                             for head in (_phrase_head(tokens, trig.instrument),)
                             for t in tokens if t.i != head.i)
            for trig, tokens in found:
                finding = _read(trig, tokens, sent, chunk.base, ctx.text, book, index, floor,
                                acts, heading)
                if finding is not None:
                    ctx.add_finding(finding)


# --- triggers --------------------------------------------------------------------------------


def _matches(tok: Token, word: str) -> bool:
    return word in (tok.lower_, tok.lemma_.lower())


def _triggers(sent: Any, book: Codebook,
              weapons: set[int] = frozenset()) -> list[tuple[Trigger, list[Token]]]:
    """Codebook triggers in the sentence: longest phrases first, then single lemmas."""
    found: list[tuple[Trigger, list[Token]]] = []
    used: set[int] = set()
    toks = list(sent)
    for i, tok in enumerate(toks):
        for key in sorted({tok.lower_, tok.lemma_.lower()}):
            for trig in book.phrases.get(key, []):
                span = _phrase_at(toks, i, trig.words)
                if span and not used.intersection(t.i for t in span):
                    found.append((trig, span))
                    used.update(t.i for t in span)
    for tok in toks:
        if tok.i in used or (tok.dep_ == "compound" and tok.pos_ == "NOUN"):
            continue  # "war crimes", "missile defence": the noun modifies another noun
        for trig in book.singles.get(tok.lemma_.lower(), []):
            is_verb = (
                tok.pos_ in ("VERB", "AUX")
                or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT")
                or (tok.pos_ == "ADJ" and tok.tag_ in ("JJ", "VBN") and tok.dep_ == "acomp")
            )
            # a noun heading a verbless sentence ("Gallows!!!", "Executions for all") is a noun
            # trigger; the tagger's noun roots can also be verbs it misread ("Nuke Moscow")
            if (trig.kind == "verb") == is_verb or (
                    trig.kind == "noun" and tok.pos_ in ("PROPN", "NOUN")):
                found.append((trig, [tok]))
                used.add(tok.i)
                break
        else:
            if tok.lemma_.lower() in book.weapon_verbs and _uses_weapon(tok, book, weapons):
                found.append((weapon_use_trigger(book), [tok]))
                used.add(tok.i)  # the weapon is the means, not a second act or a target
                used.update(t.i for c in tok.children if c.dep_ in _OBJ for t in c.subtree)
    return _most_specific(found, book)


def _uses_weapon(verb: Token, book: Codebook, weapons: set[int]) -> bool:
    """'We used the Oreshnik', 'they launched 120 drones': the object is a weapon."""
    return any(c.dep_ in _OBJ and (c.lemma_.lower() in book.weapon_nouns
                                   or any(t.idx in weapons for t in c.subtree))
               for c in verb.children)


_MAX_GAP = 4  # tokens allowed between a phrasal verb and its particle ("wipe Kyiv off the map")


def _phrase_at(toks: list[Token], i: int, words: tuple[str, ...]) -> list[Token]:
    """Tokens of ``words`` starting at ``i``: contiguous, or a verb, its object, then the rest."""
    n = len(words)
    span = toks[i : i + n]
    if len(span) == n and all(_matches(t, w) for t, w in zip(span, words, strict=True)):
        return span
    if n < 2 or toks[i].pos_ != "VERB":
        return []
    for gap in range(1, _MAX_GAP + 1):
        rest = toks[i + 1 + gap : i + n + gap]
        if len(rest) == n - 1 and all(_matches(t, w) for t, w in zip(rest, words[1:], strict=True)):
            return [toks[i], *rest]
    return []


def _most_specific(found: list[tuple[Trigger, list[Token]]],
                   book: Codebook) -> list[tuple[Trigger, list[Token]]]:
    """A nuclear phrase in the same clause as another trigger upgrades it instead of doubling."""
    nuclear = [(t, s) for t, s in found if t.action == "nuclear_attack"]
    others = [(t, s) for t, s in found if t.action != "nuclear_attack"]
    out = list(others)
    for trig, span in nuclear:
        clause = _clause_verb(span[0])
        host = next((i for i, (t, s) in enumerate(out) if _clause_verb(s[0]) == clause
                     and not t.person_target), None)  # "eliminate the threat of nuclear weapons"
        if host is not None:
            out[host] = (trig, out[host][1])  # "strike with nuclear weapons" is a nuclear attack
        elif (trig.words[-1] not in book.weapon_names
              or _clause_verb(span[0]).lemma_ in book.weapon_hosts):
            out.append((trig, span))
    return out


# --- reading the sentence ----------------------------------------------------------------------


def _clause_verb(tok: Token) -> Token:
    """The verb whose clause holds ``tok`` (itself when it is a verb)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def _chain(verb: Token, book: Codebook) -> list[Token]:
    """The verb and the verbs/adjectives governing it through xcomp-like links (need to strike).

    The chain stops at a clausal complement: in "X said Russia would strike", "said" does
    not govern the act's modality (see `_reporter`).
    """
    chain = [verb]
    cur = verb
    for _ in range(4):
        if (
            cur.dep_ in ("xcomp", "acomp", "advcl", "pcomp", "prep", "pobj", "attr")
            # "needs to be removed and sent to Gitmo": a conjunct with no subject or auxiliary
            # of its own shares the first one's modality
            or (cur.dep_ == "conj" and cur.pos_ == "VERB" and not any(
                c.dep_ in _SUBJ or c.dep_ in ("aux", "auxpass") for c in cur.children))
            # "Republicans will see you hang", "I'd rather see her hanging": what is watched
            # for takes the watcher's modality
            or (cur.dep_ == "ccomp" and cur.head.lemma_.lower() in book.cue("wanting_verbs"))
            # "time to hang them" (the tagger says acl or relcl), not "every time they attack"
            or (cur.dep_ in ("acl", "relcl")
                and cur.head.lemma_.lower() in book.cue("governing_nouns")
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children))
        ) and cur.head.i != cur.i:
            cur = cur.head
            chain.append(cur)
            if cur.dep_ == "ROOT":
                break
        else:
            break
    # "the cleanest option is to deport them", "the time is now to strike": the noun that the
    # copula equates with the act governs it as "option"/"time" do in "time to strike"
    top = chain[-1]
    if (top.lemma_ in ("be", "come") and len(chain) > 1  # "the time has come to strike"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in chain[-2].children)):
        noun = next((c for c in top.children if c.dep_ == "nsubj"
                     and c.lemma_.lower() in book.cue("governing_nouns")), None)
        if noun is not None:
            chain.append(noun)
    return chain


def _clause_governor(chain: list[Token], words: frozenset[str],
                     deps: tuple[str, ...] = ("ccomp",)) -> Token | None:
    """The word of ``words`` whose clausal complement holds the act: a speech verb
    ("Medvedev said ..."), a verb or noun of belief ("the conclusion that X might")."""
    top = chain[-1]
    if top.dep_ in deps and top.head.lemma_.lower() in words:
        return top.head
    return None


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
        self.r.modality, self.r.cue = modality, (cue, why)
        return True

    def stance(self, modality: str, gov: Token, own: str, held: str) -> bool:
        """Decide on the stance ``gov`` expresses: the speaker's (``own``), or, for a verb of
        stance whose subject is someone else, theirs (``held``, naming them as {holder})."""
        holder = (_stance_holder(gov, self.book)
                  if gov.lemma_.lower() in self.book.cue("stance_verbs") else [])
        if holder:
            self.r.holder = holder
            return self.decide(modality, gov, held.format(holder=_words(holder)))
        return self.decide(modality, gov, own)


def _clause(trigger: Token, sent: Any, book: Codebook, trig: Trigger,
            acts: frozenset[int], heading: bool) -> Clause:
    """Read once what every rule needs: the clause's verb, the chain of verbs governing it,
    auxiliaries, negations, the actor and a reporting verb above."""
    r = Reading()
    verb = _clause_verb(trigger)
    chain = _chain(verb, book)
    reporter = _clause_governor(chain, book.cue("speech_verbs"))
    active_conjunct = verb.dep_ == "conj" and not _shared_patient(verb)
    r.actor = _subject(chain) or (_subject(_chain(verb.head, book)) if active_conjunct else [])
    r.first_person = bool(r.actor) and r.actor[0].lower_ in book.cue("first_person")
    if reporter is not None:  # "Medvedev said Russia would strike": whatever it says is his
        r.holder = _stance_holder(reporter, book)
    heads = chain + ([verb.head] if verb.dep_ == "conj" else [])  # "arrested and executed"
    aux = [c for t in heads for c in _kids(t) if c.dep_ in ("aux", "auxpass")]
    negs = [c for t in _negation_scope(chain) for c in _kids(t)
            if c.dep_ == "neg" or c.lower_ in ("never",)]
    negs += [t for t in r.actor[:1] if t.lower_ in book.cue("negating_subjects")]  # "nobody"
    r.condition = _condition(chain, book)
    r.conditional = r.condition is not None
    return Clause(trigger, sent, book, trig, acts, heading, verb, chain,
                  [t.lemma_.lower() for t in chain], reporter, aux, negs, r)


def _read_modality(trigger: Token, sent: Any, book: Codebook, trig: Trigger,
                   acts: frozenset[int] = frozenset(), heading: bool = False) -> Reading:
    """The speaker's stance to the act: the first of `_MODALITY_RULES` that decides, else a
    plain statement (report)."""
    c = _clause(trigger, sent, book, trig, acts, heading)
    if not any(rule(c) for rule in _MODALITY_RULES):
        c.decide("report", c.verb, "stated as fact")
    return c.r


# --- modality rules, in the order they are tried: the first that decides wins ---------------

def _forecast_words(c: Clause) -> bool:
    """"I do not see how a war can be avoided", "an inevitable strike"."""
    avoid = next((t for t in c.sent
                  if t.lemma_.lower() in ("avoid", "inevitable", "unavoidable")), None)
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
    accused = _charged_with(c.trigger, c.book)
    return accused is not None and c.decide(
        "report", accused, f"'{accused.text}': the act is the crime charged")


def _named_in_another_noun(c: Clause) -> bool:
    """"Read the history of the Holocaust": the command is to read, the genocide is named.
    Instruments and places are the act wherever the clause puts someone ("in front of a
    firing squad", "in a cell at Gitmo")."""
    named = c.trigger.i != c.verb.i and c.verb.pos_ in ("VERB", "AUX") and not (
        c.trig.place or c.trig.instrument)
    return named and not _governed(c.trigger, c.verb, c.book) and c.decide(
        "report", c.verb, f"'{c.verb.text}' governs another noun: the act is only named")


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
    """"abolish the death penalty", "stop the killing" (not "at the end of a rope")."""
    rejecting = next(
        (t for t in _governors(c.trigger)
         if t.lemma_.lower() in c.book.cue("rejecting_governors")
         and not (t.dep_ == "pobj" and t.head.lower_ == "at")), None)
    return (rejecting is not None and rejecting.i != c.trigger.i
            and c.decide("negated", rejecting, f"'{rejecting.text}' rejects the act"))


def _answered(c: Clause) -> bool:
    """"the slaughter must be avenged", "investigate the attack": the act is past."""
    t = c.trigger
    above = _governors(t) + ([t.head] if t.dep_ == "nsubjpass" else [])
    answering = next((g for g in above
                      if g.lemma_.lower() in c.book.cue("answering_governors")), None)
    return (answering is not None and answering.i != t.i and c.decide(
        "report", answering, f"'{answering.text}': the act is past, what is urged answers it"))


def _why_not(c: Clause) -> bool:
    """"why can't we shoot them", with or without a question mark."""
    return bool(c.negs) and _asks_why_not(c.chain) and c.decide(
        "proposal", c.negs[0], "'why not …': suggests it")


def _negation(c: Clause) -> bool:
    """"we will not strike", "nobody is going to bomb Taipei" -- but "don't hesitate to"."""
    if c.negs and not c.book.cue("negation_neutral").intersection(c.lemmas):
        c.r.negation = c.negs[0]
        return c.decide("negated", c.negs[0], "negation of the act")
    return False


def _no_plans(c: Clause) -> bool:
    plans = _plans_denied(c.trigger, c.book)
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
    opener = [t.lower_ for t in c.sent if not t.is_punct][:2]
    return (opener == ["how", "about"] and c.verb.i > c.sent.start + 1
            and c.decide("proposal", c.sent[0], "'how about …': suggests it"))


def _question(c: Clause) -> bool:
    opener = " ".join(t.lower_ for t in c.sent[:2])
    if opener in c.book.cue("question_openers"):  # "How many young people have to die ..."
        return c.decide("question", c.sent[0], f"'{opener}': asked, without its mark")
    if not c.sent.text.rstrip().endswith("?"):
        return False
    words = {t.lower_ for t in c.sent}
    if "why" in words and "not" in words:
        return c.decide("proposal", c.sent[-1], "'why not …?' suggests it")
    return c.decide("question", c.sent[-1], "asked as a question")


def _call_aux(c: Clause) -> bool:
    """"must", "should"."""
    a = next((a for a in c.aux if a.lower_ in c.book.cue("call_aux")), None)
    return a is not None and c.decide("call", a, f"'{a.text}' urges the act")


def _call_governor(c: Clause) -> bool:
    """"need to", "time to", "deserves"; "the sheikh calls for genocide" is his call."""
    book = c.book
    first = 0 if c.trigger.i != c.verb.i else 1  # "needs a trip to Gitmo": the verb governs
    for t, lem in zip(c.chain[first:], c.lemmas[first:], strict=True):
        lem = t.lower_ if t.lower_ in book.cue("call_governors") else lem  # "got", not "get"
        if lem in book.cue("call_governors") and _urges(t, c.chain, lem):
            return c.stance("call", t, f"'{t.text}' urges the act",
                            f"'{t.text}': {{holder}} urges the act, the text reports it")
    return False


def _wished(c: Clause) -> bool:
    """"I hope they hang her" calls; "they want to kill us" reports someone else's intent."""
    if c.reporter is not None:
        return False
    wish = _wish(c.verb, c.book, c.trigger.i != c.verb.i)
    if wish is None:
        return False
    holder = _stance_holder(wish, c.book)
    if holder:
        c.r.intended, c.r.holder = True, holder
        return c.decide("report", wish, f"'{wish.text}': the wish of {_words(holder)}, "
                                        "reported")
    if wish.tag_ == "VBD":  # "everybody wanted to resolve it by military means"
        c.r.intended = True
        return c.decide("report", wish, f"'{wish.text}': a wish in the past, reported")
    return c.decide("call", wish, f"'{wish.text}': the speaker wishes for the act")


def _exclaimed(c: Clause) -> bool:
    """"Death to …", "Gallows for all of them!"; a noun alone ("Shoot!") demands nothing."""
    t = c.trigger
    if t.pos_ in ("NOUN", "PROPN") and c.trig.kind != "verb" and _verbless(c.sent, c.acts):
        demand = _demanded(t, c.sent, c.trig, c.heading)
        return demand is not None and c.decide("call", demand,
                                               "a verbless exclamation demands it")
    return False


def _commanded(c: Clause) -> bool:
    """An imperative or "please"; after a report ("He says he is leaving... take him out!")
    the command is the speaker's, unless it is quoted."""
    please = next((t for t in c.sent if t.lower_ == "please"), None)
    commander = _xcomp_top(c.verb)  # "Start shooting", "Go kill them", "Try to hang them"
    if please is None and not _imperative(commander, c.book):
        return False
    c.r.imperative = please is None
    if c.reporter is not None and not any(  # quoted before or after the reporting verb
            t.is_quote for t in c.sent.doc[min(c.reporter.i, commander.i) :
                                           max(c.reporter.i, commander.i)]):
        c.r.holder = []
    return c.decide("call", please or commander, "imperative: a direct call to act")


def _proposal_governor(c: Clause) -> bool:
    """"one option is to strike"; "Hitler's plan to kill" is his option, reported."""
    for t, lem in zip(c.chain[1:], c.lemmas[1:], strict=True):
        if lem in c.book.cue("proposal_governors"):
            return c.stance("proposal", t, f"'{t.text}' offers it as an option",
                            f"'{t.text}': an option of {{holder}}, the text reports it")
    return False


def _possibility(c: Clause) -> bool:
    """could/might/may: offered -- or, under a verb of belief or with a passive ("you may be
    struck"), a possibility weighed."""
    a = next((a for a in c.aux if a.lower_ in c.book.cue("proposal_aux")), None)
    if a is None:
        return False
    believer = _clause_governor(c.chain, c.book.cue("belief_verbs"), ("ccomp", "acl"))
    if believer is not None and not c.r.first_person:
        return c.decide("prediction", a, f"'{a.text}' under '{believer.text}': a possibility "
                                         "weighed")
    if any(k.dep_ == "auxpass" for k in _kids(c.verb)) and not c.r.first_person:
        return c.decide("prediction", a, f"'{a.text}' with a passive: a possibility, not an "
                                         "offer")
    return c.decide("proposal", a, f"'{a.text}' offers it as a possibility")


def _prediction_word(c: Clause) -> bool:
    """"likely", "soon", "sure" -- not "to a certain extent", not of an act already past."""
    pred = next((t for t in c.sent if t.lower_ in c.book.cue("prediction_words")
                 and t.dep_ != "amod"), None)
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
    cue = future or governor
    if c.reporter is not None and future is not None:
        name = _words(_subject([c.reporter])) or "someone"
        return c.decide("threat", cue, f"reported speech: '{cue.text}' in what {name} "
                                       f"{c.reporter.text} announces their side's act")
    if (governor is not None and governor.lemma_.lower() in book.cue("stance_verbs")
            and (holder := _stance_holder(governor, book))):
        r.holder = holder  # "a man arrested for threatening to kill"
        return c.decide("threat", cue, f"'{cue.text}': {_words(holder)} threatens it, the "
                                       "text reports it")
    if r.first_person or (governor is not None and governor.lower_ not in ("going", "gon")):
        return c.decide("threat", cue, f"'{cue.text}' with the speaker's side as agent")
    return c.decide("prediction", cue, f"'{cue.text}' forecasts it")


def _past_or_ongoing(c: Clause) -> bool:
    aux = {a.lower_ for a in c.aux}
    if c.verb.tag_ in ("VBD", "VBN") or aux & {"have", "has"} or (
            c.verb.tag_ == "VBG" and c.aux):
        return c.decide("report", c.verb, "past or ongoing: reported as happening")
    return False


def _own_present(c: Clause) -> bool:
    """"We strike at dawn": the speaker's side as agent, in the present tense."""
    verb, t = c.verb, c.trigger
    stative = verb.lemma_.lower() in c.book.cue("stative_verbs")
    own_act = t.i == verb.i or (t.dep_ in _OBJ and t.head.i == verb.i)
    return (c.r.first_person and verb.tag_ in ("VB", "VBP") and not stative and own_act
            and c.decide("threat", verb, "the speaker's side as agent, present tense"))


_MODALITY_RULES: tuple[Callable[[Clause], bool], ...] = (
    _forecast_words, _bracketed_gloss, _without, _crime_charged, _named_in_another_noun,
    _set_aside_by_than, _rejected, _answered, _why_not, _negation, _no_plans, _whether,
    _how_about, _question, _call_aux, _call_governor, _wished, _exclaimed, _commanded,
    _proposal_governor, _possibility, _prediction_word, _future, _past_or_ongoing,
    _own_present,
)


# Links out of the trigger's own clause (and subjects: "the war ended" does not reject war).
_CLAUSE_LINKS = frozenset({"advcl", "conj", "parataxis", "nsubj", "nsubjpass", "relcl", "acl",
                           "csubj"})


def _asks_why_not(chain: list[Token]) -> bool:
    """'Why can't we strike them?' suggests; 'that is why we will not strike' and 'why didn't
    Russia invade?' do not: "why" must open the act's own clause, in the present."""
    top = chain[-1]
    opener = next((t for t in top.sent if not t.is_punct), None)  # "that is why ..." explains
    why = opener is not None and opener.lower_ == "why" and any(
        c.i == opener.i for t in chain for c in t.children)
    past = top.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in top.children)
    return why and not past


def _governors(trigger: Token, limit: int = 4) -> list[Token]:
    """The words above the trigger in its own clause: "stop the killing" governs it, but in
    "assassinate him, just end this" the second clause does not govern the first."""
    out: list[Token] = []
    cur = trigger
    while len(out) < limit and cur.head.i != cur.i and cur.dep_ not in _CLAUSE_LINKS:
        cur = cur.head
        out.append(cur)
    return out


_GOVERNED_DEPS = frozenset({"dobj", "obj", "attr", "oprd", "dative", "nsubj", "nsubjpass",
                            "npadvmod", "acomp", "advcl", "xcomp", "ccomp"})


def _governed(noun: Token, verb: Token, book: Codebook) -> bool:
    """The noun is the verb's own argument: its object or subject ("bring back hangings",
    "civil war is needed"), the object of a preposition on the verb ("take him to the
    gallows"), or one "to"/"on" hop further ("needs a trip to Gitmo", "put him on the firing
    squad list", "time for civil war") -- not a noun inside another noun's "of"/"about" ("the
    history of the Holocaust", "a comment about the massacre")."""
    cur = noun
    while cur.dep_ in ("conj", "compound", "amod", "appos") and cur.head.i != cur.i:
        cur = cur.head
    for hop in range(2):
        if cur.head.i == verb.i:
            return cur.dep_ in _GOVERNED_DEPS or cur.dep_ == "prep"
        if cur.dep_ != "pobj" or cur.head.lower_ in book.cue("time_preps"):
            return False  # "out in force after each attack on our people": a time, not an aim
        prep = cur.head
        if prep.head.i == verb.i or (prep.head.dep_ in ("advmod", "prt")
                                     and prep.head.head.i == verb.i):  # "send her off to"
            return True
        towards = prep.lower_ in ("to", "on") or (  # "it is time for civil war"
            prep.lower_ == "for" and prep.head.lemma_.lower() in book.cue("governing_nouns"))
        if hop or not towards or prep.head.pos_ not in ("NOUN", "PROPN"):
            return False
        cur = prep.head
    return False


def _charged_with(trigger: Token, book: Codebook) -> Token | None:
    """The legal word whose "for"/"with"/"of" names the act as a crime: "tried for murder",
    "charged with genocide", "guilty of the killings", "in jail for the deaths"."""
    if trigger.pos_ not in ("NOUN", "PROPN") and trigger.dep_ != "pcomp":
        return None  # nouns, and gerunds after a preposition ("charges for killing people")
    legal_words = book.cue("legal_process")
    if trigger.dep_ == "nsubj" and trigger.head.lemma_ == "be":  # "Felony murder should be
        return next((a for a in trigger.head.children  # the charge"
                     if a.dep_ == "attr" and a.lemma_.lower() in book.cue("charge_nouns")), None)
    cur = trigger
    while cur.dep_ == "conj" and cur.head.i != cur.i:  # "charged for treason and genocide"
        cur = cur.head
    for _ in range(3):  # "in jail for its part in the nursing home deaths"
        if cur.dep_ not in ("pobj", "pcomp"):
            return None
        prep, cur = cur.head, cur.head.head
        legal = _legal_word(cur, legal_words)
        if (prep.lower_ in ("for", "of") and legal is not None) or (
                prep.lower_ == "with" and cur.lemma_.lower() in book.cue("legal_with")):
            return legal or cur
    return None


def _legal_word(word: Token, legal_words: frozenset[str]) -> Token | None:
    """The word, or the place of punishment it goes to ("gone to jail for genocide")."""
    if word.lemma_.lower() in legal_words:
        return word
    return next((p for prep in word.children if prep.dep_ == "prep"
                 and prep.lower_ in ("to", "in", "into") for p in prep.children
                 if p.dep_ == "pobj" and p.lemma_.lower() in legal_words), None)


def _to_a_place(prep: Token) -> bool:
    """The preposition's object is a country, a city or a region ("out of Estonia")."""
    return any(p.dep_ == "pobj" and p.ent_type_ in ("GPE", "LOC") for p in prep.children)


def _kids(verb: Token) -> list[Token]:
    """The verb's children, and those the parse hung on its auxiliaries: in "He should have
    been hung" the tagger attaches "He", "should" and "have" to "been"."""
    kids = list(verb.children)
    return kids + [g for c in kids if c.dep_ in ("aux", "auxpass") for g in c.children]


def _negation_scope(chain: list[Token]) -> list[Token]:
    """The chain up to an adverbial clause: in "they cannot coexist with us, kill them" or "we
    will not rest until we destroy them" the negation belongs to the other clause."""
    scope: list[Token] = []
    for t in chain:
        scope.append(t)
        if t.dep_ == "advcl":
            break
    return scope


def _urges(gov: Token, chain: list[Token], lemma: str) -> bool:
    """'have'/'got' urge only as 'have to strike'; 'we have an invasion' urges nothing."""
    if lemma == "call" and any(c.dep_ == "auxpass" for c in gov.children):
        return False  # "a house called Gitmo", "is called gitmo": a name, not a demand
    if lemma not in ("have", "got"):
        return True
    below = chain[chain.index(gov) - 1] if chain.index(gov) > 0 else None
    return below is not None and below.dep_ == "xcomp"


_WISH_LINKS = ("xcomp", "ccomp", "advcl", "conj", "prep", "pobj", "pcomp")


def _wish(verb: Token, book: Codebook, governs_noun: bool = False) -> Token | None:
    """The wish that governs the act: 'I hope they hang her', 'hopefully he gets the rope',
    'can't wait to see them hang', 'I want hangings' -- the speaker's, or someone else's ('they
    want to kill us'), which `_wished` reports as their intent (`_stance_holder` tells).  A
    noun the verb governs counts only in the speaker's own wish."""
    adverb = _wish_adverb(verb, book)
    if adverb is not None:
        return adverb
    if governs_noun and _speakers_wish(verb, book):  # "I want hangings for treason"
        return verb
    cur = verb
    for _ in range(4):
        if cur.dep_ not in _WISH_LINKS or cur.head.i == cur.i:
            return None
        if cur.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in book.cue("time_marks")
                                       for m in cur.children):
            return None  # "I hope he is prosecuted before he dies": a time, not the wish
        cur = cur.head
        adverb = _wish_adverb(cur, book)
        if adverb is not None:  # "I'd rather see her hang"
            return adverb
        if cur.lemma_.lower() in book.cue("wish_governors"):
            return cur  # the speaker's, or someone else's (`_stance_holder` tells)
        if cur.lemma_.lower() in book.cue("speech_verbs"):
            return None
    return None


def _wish_adverb(verb: Token, book: Codebook) -> Token | None:
    """'hopefully', or 'rather' of the speaker ("I'd rather see her hang"), not of someone
    else ("Russia would rather strike Kyiv than negotiate")."""
    adverb = next((c for c in verb.children if c.lower_ in book.cue("wish_adverbs")), None)
    if adverb is None or adverb.lower_ == "hopefully":
        return adverb
    return adverb if _the_speakers(_kids(verb), book) else None


def _speakers_wish(verb: Token, book: Codebook) -> bool:
    """A verb of wishing whose subject is the speaker's side or unnamed ("Love to see ...")."""
    return (verb.lemma_.lower() in book.cue("wish_governors")
            and not _stance_holder(verb, book))


def _stance_holder(gov: Token, book: Codebook) -> list[Token]:
    """Who holds the stance ``gov`` expresses, when it is not the speaker's side: the subject
    ("the sheikh calls for genocide"), shared by a conjunct ("they hate and want to destroy"),
    the noun a relative or participle clause hangs on ("a liberal who wanted to kill", "a
    doctrine calling for death"), or the owner of a plan ("Hitler's plan").  Empty when the
    speaker's side holds it or no one is named ("Love to see them hang")."""
    cur = gov
    for _ in range(3):
        if cur.dep_ == "pcomp" and cur.head.head.i != cur.head.i:
            cur = cur.head.head  # "a man arrested for threatening to kill"
        subj = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "poss")), None)
        if subj is not None and cur.tag_ in ("VB", "VBP") and any(
                _is_stop(t) for t in subj.doc[subj.i + 1 : cur.i]):
            subj = None  # "Fake asshole... hope we hang you": a vocative, then a new clause
        if subj is not None and subj.lower_ in book.cue("relative_pronouns") \
                and cur.dep_ == "relcl":
            return _noun_phrase(cur.head)
        if subj is not None:
            mine = book.cue("first_person") | book.cue("not_holders")
            return [] if subj.lower_ in mine else _noun_phrase(subj)
        if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
            return _noun_phrase(cur.head)
        if cur.dep_ != "conj":
            return []
        cur = cur.head
    return []


_MODIFIERS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "predet",
                        "quantmod", "case", "punct"})


def _noun_phrase(head: Token) -> list[Token]:
    """A noun's words up to the noun itself, as printed ("anti-white UN boss")."""
    start = min((t.i for c in head.lefts if c.dep_ in _MODIFIERS for t in c.subtree),
                default=head.i)
    return list(head.doc[max(start, head.i - 7) : head.i + 1])


def _words(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)


def _the_speakers(kids: list[Token], book: Codebook) -> bool:
    """No subject among ``kids``, or a first-person one: the wish is the speaker's."""
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is None or subj.lower_ in book.cue("first_person")


# Verb forms that can sit inside a noun phrase ("for everyone involved").
_NOMINAL_VERB_DEPS = frozenset({"acl", "amod", "relcl", "compound", "pcomp", "pobj"})


def _verbless(sent: Any, acts: frozenset[int] = frozenset()) -> bool:
    """No verb outside noun phrases and outside the acts themselves ("firing squads for all").
    Participles and gerunds inside a noun phrase ("for everyone involved") do not count; a
    finite relative clause does ("strikes on Kyiv that killed five" is a headline, not a cry)."""
    return not any(
        t.pos_ in ("VERB", "AUX") and t.i not in acts
        and not (t.dep_ in _NOMINAL_VERB_DEPS and t.tag_ in ("VBN", "VBG"))
        for t in sent
    )


def _demanded(trigger: Token, sent: Any, trig: Trigger, heading: bool = False) -> Token | None:
    """A verbless mention is a demand when it is exclaimed ('Gallows!!!'), aimed at someone
    ('Death to traitors', 'Drones on Tallinn', 'executions for everyone involved') or names an
    instrument of the act ('The rope.').  A bare title ('The evolution of white genocide',
    'Capital punishment in America') demands nothing."""
    bang = next((t for t in sent if t.text.startswith("!")), None)
    if bang is not None:
        return bang
    aimed = next(
        (c for c in trigger.children
         if c.dep_ == "prep" and c.lower_ in ("to", "on", "for", "against", "at")
         and any(p.dep_ == "pobj" for p in c.children)),
        None,
    )
    if aimed is not None or trig.instrument or (trig.action == "kill"
                                                and not heading
                                                and _whole_comment(trigger, sent)):
        return trigger
    return None


def _whole_comment(trigger: Token, sent: Any) -> bool:
    """A paragraph that is nothing but a killing's name ("Death penalty", "Woodchipper"): in a
    thread that is a demand.  A title names more ("Capital punishment in America"), and a
    historical event alone ("The Holocaust") is no killing method, so only kills qualify."""
    doc = sent.doc
    if sent.start != 0 or sent.end != len(doc) or len(sent) > 5:
        return False
    return all(t.i == trigger.i or (t.head.i == trigger.i and t.dep_ in ("compound", "amod", "det"))
               or t.is_punct or t.pos_ in ("SYM", "X", "SPACE") for t in sent)


def _subject(chain: list[Token]) -> list[Token]:
    for t in chain:
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "csubj")
                     and c not in chain), None)  # not "option" in "the option is to strike"
        if subj is not None:
            return list(subj.subtree)[:8]
    return []


_LEAD_INS = frozenset(
    {
        "then",
        "so",
        "just",
        "now",
        "and",
        "please",
        "go",
        "simply",
        "now,",
        "ok",
        "okay",
        "yes",
        "well",
        "also",
        "finally",
        "first",
        "today",
    }
)


def _xcomp_top(verb: Token) -> Token:
    """The verb at the top of a chain of verbal complements: 'start' in 'start shooting'."""
    cur = verb
    while cur.dep_ == "xcomp" and cur.head.pos_ == "VERB" and cur.head.i != cur.i:
        cur = cur.head
    return cur


def _misread_verb(tok: Token) -> bool:
    """A noun heading its sentence with a direct object is a verb the tagger misread: "Gas the
    Jews", "Nuke Moscow"."""
    return tok.pos_ == "NOUN" and tok.dep_ == "ROOT" and any(c.dep_ == "dobj" for c in tok.children)


# "conj": a command the parse hung on a noun ("Close the border, arrest and execute them")
_RUN_ON = frozenset({"advcl", "parataxis", "ccomp", "xcomp", "conj"})
# (runs of . ! ? … are cuts too: see `_is_cut`)
_CLAUSE_CUTS = frozenset({",", ";", ":", "(", "-", "--", "—", "–"})


def _imperative(verb: Token, book: Codebook) -> bool:
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
    cut = max((i for i, t in enumerate(before) if _is_cut(t)), default=-1)
    cut_at = before[cut].i if cut >= 0 else verb.sent.start - 1
    # a "subject" before the cut is a vocative the parse took for one ("Tribunals... hang all")
    subject = any(c.dep_ in _SUBJ and c.i > cut_at for c in verb.children)
    if (not base and not _misread_verb(verb)) or subject:
        return False
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        if _imperative(verb.head, book):
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
    if verb.dep_ != "ROOT" and not (verb.tag_ == "VB" and verb.dep_ in _RUN_ON):
        return False
    if verb.dep_ == "xcomp" and cut < 0:
        return False  # "make them hang" complements a verb; "(hang them)" opens a clause
    return all(
        t.lower_ in _LEAD_INS or t.pos_ in ("INTJ", "CCONJ", "PUNCT", "SYM") or t.is_punct
        or (t.pos_ == "ADV" and t.dep_ == "advmod" and t.head.i == verb.i)  # "publicly execute"
        for t in before[cut + 1 :]
    )


def _is_stop(tok: Token) -> bool:
    """Punctuation that ends a sentence, however the parse joins it: ".", "!!", "......"."""
    return tok.is_punct and set(tok.text) <= set(".!?…")


def _is_cut(tok: Token) -> bool:
    """Punctuation that ends a clause: a comma, a dash, a bracket, dots ("......")."""
    return tok.text in _CLAUSE_CUTS or _is_stop(tok)


def _condition(chain: list[Token], book: Codebook) -> Token | None:
    for t in chain:
        for c in t.children:
            if c.dep_ == "advcl":
                mark = next(
                    (
                        m
                        for m in c.children
                        if m.dep_ in ("mark", "aux") and m.lower_ in book.cue("condition_marks")
                    ),
                    None,
                )
                if mark is not None:
                    return mark
    return None


def _in_condition(tok: Token, book: Codebook) -> bool:
    """True when the trigger sits inside an if-clause: it is the condition, not the act."""
    cur = tok
    for _ in range(8):
        if cur.dep_ in ("advcl", "ROOT") and any(  # ROOT: a fragment "Only if Poland attacks."
            m.lower_ in book.cue("condition_marks") for m in cur.children if m.dep_ == "mark"
        ):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _plans_denied(trigger: Token, book: Codebook) -> Token | None:
    """'no plans to', 'no intention of', 'never intended to' above the trigger."""
    for t in [trigger, *list(trigger.ancestors)[:5]]:
        if t.lemma_.lower() in book.cue("negation_governors"):
            det = next((c for c in t.children if c.lower_ in ("no", "never", "not", "n't")
                        and c.dep_ != "intj"), None)  # "No, nobody wanted that" answers
            if det is not None:
                return det
    return None


# --- targets and entities ----------------------------------------------------------------------


# Words that point back to an entity named earlier in the turn, and the types they can name.
_ANAPHORA = {
    "him": ("PERSON",),
    "her": ("PERSON",),
    "it": ("PLACE", "ORG"),
    "them": ("PLACE", "ORG", "GROUP"),
    "regime": ("PLACE", "ORG"),
    "government": ("PLACE", "ORG"),
    "leadership": ("PLACE", "ORG"),
    "country": ("PLACE",),
    "state": ("PLACE",),
    "city": ("PLACE",),
    "capital": ("PLACE",),
    "leader": ("PERSON",),
    "president": ("PERSON",),
}
_POINTING = frozenset({"this", "that", "these", "those", "its", "their", "his", "her", "the"})


def _resolve(head: Token, start: int, floor: int, index: EntityIndex) -> Entity | None:
    """'them', 'this regime', 'its leadership' -> the nearest fitting entity before them."""
    lemma = head.lower_ if head.pos_ == "PRON" else head.lemma_.lower()
    types = _ANAPHORA.get(lemma)
    if types is None:
        return None
    if head.pos_ != "PRON" and not any(c.lower_ in _POINTING for c in head.children):
        return None
    return index.antecedent(start, floor, types)


def _targets(trigger: Token, trig: Trigger, outcome: bool = False) -> list[Token]:
    """Heads of the target phrases of a trigger (``outcome``: an agentless end, "death")."""
    heads: list[Token] = []
    verb_like = trigger.pos_ in ("VERB", "AUX") or (trig.kind == "verb" and _misread_verb(trigger))
    kids = list(trigger.children)
    if verb_like:
        heads += [c for c in kids if c.dep_ in _OBJ]
        heads += [c for c in kids if c.dep_ == "nsubjpass"]
        if not heads and trigger.dep_ == "conj":
            heads += _shared_patient(trigger)
        if trigger.dep_ == "relcl" and trigger.head.pos_ in ("NOUN", "PROPN") and not heads:
            heads.append(trigger.head)  # "the men they executed"; not "the man who shot him"
    for prep in kids:  # "strike on X"; "death to X", whose phrase ends in its preposition
        if prep.dep_ == "prep" and (prep.lower_ in _TARGET_PREPS or prep.lower_ == trig.words[-1]):
            heads += [p for p in prep.children if p.dep_ == "pobj"]
    if not verb_like:
        heads += [c for c in kids if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"]
        if outcome:  # "your death", "death to traitors": the one whose end it is
            heads += [c for c in kids if c.dep_ == "poss" and c.pos_ != "PROPN"]
            heads += [p for prep in kids if prep.dep_ == "prep" and prep.lower_ == "to"
                      for p in prep.children if p.dep_ == "pobj"]
        verb = _clause_verb(trigger)
        if verb.i != trigger.i:  # "use nuclear weapons against London"
            heads += [
                p
                for prep in verb.children
                if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "at")
                for p in prep.children
                if p.dep_ == "pobj"
            ]
    heads += [c for h in heads for c in h.children if c.dep_ == "conj"]  # "X and all the traitors"
    heads += [p for h in heads if h.lower_ in _PARTITIVES  # "every one of those bastards"
              for prep in h.children if prep.dep_ == "prep" and prep.lower_ == "of"
              for p in prep.children if p.dep_ == "pobj"]
    return [h for h in heads if h.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET")]


_PARTITIVES = frozenset({"one", "all", "each", "some", "many", "most", "any", "none", "both",
                         "every", "rest"})


def _shared_patient(verb: Token) -> list[Token]:
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


def _phrase(head: Token) -> tuple[int, int]:
    toks = [t for t in head.subtree if t.dep_ not in ("relcl", "acl", "punct", "cc")]
    left = min(t.i for t in toks)
    right = max(t.i for t in toks)
    right = min(right, left + 11)
    doc = head.doc
    return doc[left].idx, doc[right].idx + len(doc[right])


def _resultative(trigger: Token) -> Token | None:
    """The verb whose act ends in the trigger: "beaten to death", "starve them to death"
    (the verbs that kill no one, "bored to death", are idioms: [idioms] death.governed_by)."""
    prep = trigger.head
    if trigger.dep_ != "pobj" or prep.lower_ != "to" or prep.head.pos_ != "VERB":
        return None
    verb = prep.head  # someone else suffers it: not "froze to death", "drank himself to death"
    patient = any(c.dep_ == "nsubjpass" or (c.dep_ in _OBJ and not c.lower_.endswith(
        ("self", "selves"))) for c in verb.children)
    return verb if patient else None


def _can_suffer(head: Token, book: Codebook, linked: list[Entity]) -> bool:
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


def _is_person(head: Token, linked: list[Entity], book: Codebook) -> bool:
    """A person or people: a linked person or group, or a noun or pronoun of people."""
    return (any(e.type in ("PERSON", "GROUP") for e in linked)
            or head.lower_ in book.persons or head.lemma_.lower() in book.persons)


def _takes_subject_as_patient(head: Token, trig: Trigger) -> bool:
    """Intransitive 'die'/'hang', or a passive with no subject of its own."""
    if any(c.dep_ in _OBJ for c in head.children):
        return False
    passive = any(c.dep_ == "auxpass" for c in head.children) and not any(
        c.dep_ == "nsubjpass" for c in head.children
    )
    # "see them executed", "want him hanged": a bare participle under another verb is passive
    participle = head.tag_ == "VBN" and head.dep_ in ("ccomp", "xcomp", "oprd")
    return trig.patient_subject or passive or participle


def _natural_agent(trigger: Token, book: Codebook) -> bool:
    """A storm, a virus or a tax policy 'hits' or 'kills' without being force."""
    chain = _chain(_clause_verb(trigger), book)
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


def _idiom(trigger: Token, heads: list[Token], book: Codebook,
           not_objects: frozenset[int] | set[int] = frozenset()) -> bool:
    """An object or particle that makes the trigger a figure of speech ("strike a deal");
    ``not_objects`` are words of the trigger phrase itself or weapons, never dismissed."""
    lemma = trigger.lemma_.lower()
    bad = book.idioms.get(lemma, frozenset()) | book.idioms.get("any", frozenset())
    near = heads + [c for c in trigger.children if c.dep_ in ("prt", "advmod", "amod")]
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
    if any(c.dep_ == "prep" and c.lower_ in preps and not _to_a_place(c)
           for t in (trigger, *particles) for c in t.children):
        return True  # "take him out of office", "took Prayer out of the school"

    arms = book.weapon_nouns | book.idioms.get(f"{lemma}.object.except", frozenset())

    def listed(h: Token) -> bool:
        words = {h.lower_, h.lemma_.lower()}
        return bool(words & objects) or ("*" in objects and not words & arms)

    return any(h.lemma_.lower() in bad or h.lower_ in bad for h in near) or any(
        # a subject is among the heads only as the patient of a passive ("they need to be fired")
        listed(h) for h in heads
        if (h.dep_ in _OBJ or h.dep_ in ("nsubjpass", "nsubj")) and h.i not in not_objects)


# --- the finding ---------------------------------------------------------------------------------

_CAPITAL_KINDS = ("country", "capital", "city", "region")
_CITY_NOUNS = frozenset(
    {
        "city",
        "cities",
        "capital",
        "country",
        "state",
        "nation",
        "regime",
        "government",
        "town",
        "leadership",
    }
)


def _en_masse(head: Token, targets: list[Token], trig: Trigger, book: Codebook) -> bool:
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


def _phrase_head(tokens: list[Token], instrument: bool = False) -> Token:
    """The token that links the trigger to its sentence: 'squad' in 'face firing squad' (whose
    'firing' the tagger calls a verb), 'wipe' in 'wipe Kyiv off the map'.  An instrument is
    named by its noun, however the tagger reads the words before it."""
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN")]
    if instrument and nouns:
        return nouns[-1]
    if len(tokens) > 1:
        inside = {t.i for t in tokens}
        roots = [t for t in tokens if (t.head.i not in inside or t.head.i == t.i)
                 and t.pos_ in ("VERB", "NOUN", "PROPN")]
        if roots:
            return roots[0]
    return next((t for t in tokens if t.pos_ in ("VERB", "NOUN", "PROPN")), tokens[0])


def _bare_command(head: Token, trig: Trigger, reading: Reading, book: Codebook) -> bool:
    """'EXECUTE.', 'Convict and execute': a command to kill needs no named victim.  Words that
    are also exclamations ("Shoot!", "Die!") are not commands without one."""
    if not (trig.any_object and trig.kind == "verb" and reading.modality == "call"
            and head.lemma_.lower() not in book.cue("exclamations")):  # "Shoot!", "Keep shooting"
        return False
    # "Needs to hang", "should be executed for treason": an urged fate whose victim the parse
    # lost (no subject for the patient)
    passive = any(c.dep_ == "auxpass" for c in head.children)
    lost_victim = (trig.patient_subject or passive) and not any(
        c.dep_ in _SUBJ for t in _chain(head, book) for c in t.children)
    return reading.imperative or lost_victim


def _urged_killings(head: Token, trig: Trigger, reading: Reading, book: Codebook) -> bool:
    """'Can we please get to the executions already': killings in the plural, urged through a
    verb of wanting, or a killing someone deserves, need no named target.  'We will
    investigate the killings' reports them; a singular 'we need better execution' stays a
    figure of speech."""
    if not (trig.any_object and trig.kind == "noun" and reading.modality == "call"):
        return False
    gov = head.head.head if head.dep_ == "pobj" else head.head
    if head.dep_ in _OBJ and head.head.lemma_.lower() in book.cue("fate_verbs"):
        return True  # "he deserves execution": the subject is the one it is wished on
    if any(c.lower_ in book.cue("killing_modifiers") for c in head.children):
        return True  # "public hanging needs to come back"
    return head.tag_ in ("NNS", "NNPS") and gov.lemma_.lower() in book.cue("wanting_verbs")


def _read(
    trig: Trigger,
    tokens: list[Token],
    sent: Any,
    base: int,
    text: str,
    book: Codebook,
    index: EntityIndex,
    floor: int,
    acts: frozenset[int] = frozenset(),
    heading: bool = False,
) -> Finding | None:
    """One finding for a trigger, or None when the sentence says it is not an act of force."""
    head = _phrase_head(tokens, trig.instrument)
    if _in_condition(head, book):
        return None
    outcome = " ".join(trig.words) in book.outcomes
    caused_by = _resultative(head) if outcome else None  # "beaten to death": the verb killed
    outcome = outcome and caused_by is None
    heads = _targets(head, trig, outcome)
    if caused_by is not None:
        heads += [c for c in caused_by.children if c.dep_ in _OBJ or c.dep_ == "nsubjpass"]
    if trig.words == ("<weapon use>",):  # "used the Oreshnik against Dnipro": Dnipro is the target
        heads = [h for h in heads if h.dep_ not in _OBJ]
    spans = [(_phrase(h), h) for h in heads]
    if not heads and _takes_subject_as_patient(head, trig):
        # "traitors must die", "that bitch needs to hang", "he needs to be shot"
        heads = [c for t in _chain(head, book) for c in _kids(t) if c.dep_ == "nsubj"][:1]
        spans = [(_phrase(h), h) for h in heads]
    targets = []
    referred: dict[int, Entity] = {}  # target start -> entity it points back to
    for (s, e), h in spans:
        linked = index.within(base + s, base + e)
        if trig.person_target and not _is_person(h, linked, book):
            continue  # "eliminate disease", "the bases are eliminated"
        if (trig.person_target or _can_suffer(h, book, linked)
                or (trig.any_object and h.pos_ in ("NOUN", "PROPN"))):
            if not linked and (back := _resolve(h, base + s, floor, index)) is not None:
                linked, referred[base + s] = [back], back
            targets.append((base + s, base + e, linked, h))
    armed = {h.i for (s, e), h in spans
             if any(ent.type == "WEAPON" for ent in index.within(base + s, base + e))}
    inside = {t.i for t in tokens} | armed  # "squad" in "firing squad" is no object of "fire"
    patients = ([c for c in _kids(head) if c.dep_ == "nsubj"]
                if _takes_subject_as_patient(head, trig) else [])  # "let the law die"
    if _idiom(head, heads + patients, book, inside) or _natural_agent(head, book):
        return None
    naming = book.idioms.get("governed_by", frozenset())
    if head.head.lemma_.lower() in naming or (
            head.head.dep_ == "prep" and head.head.head.lemma_.lower() in naming):
        return None  # "the theatre of military action"
    if trig.state_target and not any(
            any(e.type == "PLACE" for e in linked) and (h.dep_ in _OBJ or h.head.lower_ in
                                                         ("against", "with"))
            for _, _, linked, h in targets):
        return None  # "fight Russia", "war with Poland"; not "fight the Nazis", "fight for votes"
    verbless = _verbless(sent, acts)
    reading = _read_modality(head, sent, book, trig, acts, heading)
    # "Drones, now!!!" needs no target; "the division marches on!" is no "march on <place>"
    demanded = verbless and reading.modality == "call" and trig.kind != "phrase"
    en_masse = bool(trig.en_masse) and _en_masse(head, [h for *_, h in targets], trig, book)
    if (trig.needs_target and not targets and not demanded and not en_masse
            and not _urged_killings(head, trig, reading, book)
            and not _bare_command(head, trig, reading, book)):
        return None  # "sanctions, pressure, bombings": a list, not an act on anyone
    if trig.modalities and reading.modality not in trig.modalities:
        return None  # "police found bullets at the scene": an instrument named, no act
    if reading.modality == "report" and outcome:
        return None  # "Rurik had died", "the USSR ceased to exist": an end, not an act
    selves = {h.lower_ for *_, h in targets}
    if targets and selves <= book.cue("reflexives") and (
            reading.modality != "call" or selves <= {"myself", "ourselves"}):
        return None  # "he'll probably kill himself", "I wish I could kill myself": not force
    victims = [h for *_, h in targets if h.lower_ not in book.cue("first_person") and not (
        h.dep_ == "pobj" and h.head.lower_ in ("on", "in", "at"))]  # a place, not a victim
    if (outcome or trig.patient_subject) and reading.first_person and not victims:
        # "I'll be dead quickly", "I WILL DIE ON THE FRONT", "give me death": the speaker's end
        return None
    if en_masse:
        trig = en_masse_trigger(book, trig)  # "destroy the Jews", "mass deportations"
    t_start, t_end = base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1])
    severity = _severity(trig, targets, sent, book)
    evidence = [
        Evidence(
            t_start,
            t_end,
            text[t_start:t_end],
            trigger_why(text[t_start:t_end], trig, "en"),
        )
    ]
    if reading.cue is not None:
        cue, why = reading.cue
        cs, ce = base + cue.idx, base + cue.idx + len(cue)
        if (cs, ce) != (t_start, t_end):
            evidence.append(Evidence(cs, ce, text[cs:ce], f"{why} → {reading.modality}"))
    if reading.condition is not None:
        cs = base + reading.condition.idx
        evidence.append(
            Evidence(
                cs,
                cs + len(reading.condition),
                reading.condition.text,
                "a condition: the act is threatened only if it is met",
            )
        )
    for s, e, linked, _h in targets[:3]:
        kind = f" ({linked[0].name}, {linked[0].type})" if linked else ""
        if s in referred:
            kind = f", pointing back to {referred[s].name} named earlier in the turn"
        evidence.append(Evidence(s, e, text[s:e], f"target of the act{kind}"))
    actor = None
    if reading.actor and not any(t in reading.actor for t in tokens):
        a_s = base + reading.actor[0].idx
        a_e = base + reading.actor[-1].idx + len(reading.actor[-1])
        linked = index.within(a_s, a_e)
        actor = Participant(
            text=text[a_s:a_e], entity=linked[0].id if linked else None, start=a_s, end=a_e
        )
    speaker = None
    if reading.holder:  # someone else's call or threat: attributed to them, not the speaker
        h_s = base + reading.holder[0].idx
        h_e = base + reading.holder[-1].idx + len(reading.holder[-1])
        speaker, said = held_by(text, h_s, h_e, index, REPORTED)
        evidence.append(said)
    parts = [t_start, t_end] + [x for s, e, _, _ in targets for x in (s, e)]
    if actor is not None:
        parts += [actor.start, actor.end]
    if reading.cue is not None:
        parts += [base + reading.cue[0].idx, base + reading.cue[0].idx + len(reading.cue[0])]
    if speaker is not None:
        parts += [h_s, h_e]
    s_start = max(min(parts), base + sent.start_char)
    s_end = min(max(parts), base + sent.end_char)
    return Finding(
        start=s_start,
        end=s_end,
        text=text[s_start:s_end],
        action=trig.action,
        modality=reading.modality,
        conditional=reading.conditional,
        severity=severity,
        confidence=calibrate(_confidence(trig, reading, targets), "en"),
        evidence=evidence,
        actor=actor,
        targets=[
            Participant(text=text[s:e], entity=linked[0].id if linked else None, start=s, end=e)
            for s, e, linked, _ in targets
        ],
        cameo=cameo_code(trig, reading),
        speaker=speaker,
        detector="events_en",
    )


def _severity(trig: Trigger, targets: list, sent: Any, book: Codebook) -> int:
    sev = trig.severity
    lemmas = {t.lemma_.lower() for t in sent}
    if trig.action == "military_attack" and lemmas & {
        "response",
        "respond",
        "consequence",
        "retaliate",
        "retaliation",
    }:
        sev = 4 if not targets else sev
    kinds = {ent.kind for _, _, linked, _ in targets for ent in linked}
    nouns = {h.lemma_.lower() for _, _, _, h in targets}
    if trig.action == "destroy" and not (kinds & set(_CAPITAL_KINDS) or nouns & _CITY_NOUNS):
        sev = 6  # a bridge or a depot: destruction short of a city or a state
    if lemmas & {"entire", "whole", "all"} and trig.action in ("destroy", "military_attack"):
        sev = min(sev + 1, 9)
    return sev


# How often each reading is right, roughly: questions and reports are easy to read, threats
# and proposals hinge on subtle cues.  Calibration (data/calibration/en.json) sets the scale.
_MODALITY_BASE = {
    "question": 0.8,
    "report": 0.75,
    "call": 0.7,
    "negated": 0.7,
    "prediction": 0.55,
    "threat": 0.55,
    "proposal": 0.45,
}


def _confidence(trig: Trigger, reading: Reading, targets: list) -> float:
    """A raw score from the kind of reading and the strength of its cues."""
    score = _MODALITY_BASE[reading.modality]
    if any(linked for _, _, linked, _ in targets):
        score += 0.1
    elif targets and all(h.pos_ == "PRON" for _, _, _, h in targets):
        score -= 0.1
    if trig.kind == "phrase":
        score += 0.05
    return round(min(max(score, 0.05), 0.95), 3)
