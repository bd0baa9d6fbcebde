"""Russian modality: the clause around a trigger, and a table of named rules tried in order.

The same engine as English (`redline.detect.core.rules`): each rule reads the `Clause` and
either decides the stance, with the token that decided it and a plain reason, or passes. Russian
cues are morphological as much as lexical: the infinitive of a command ("Повесить их всех"),
the imperative mood, the perfective non-past of a threat ("нанесём удар"), "бы" of an option.
"""

from __future__ import annotations

from dataclasses import dataclass

from redline.detect.core.codebook import Codebook, Trigger
from redline.detect.core.findings import Reading
from redline.detect.core.rules import apply_rules, decide
from redline.detect.ru.syntax import (
    believer,
    first_of,
    future_be,
    holder_of,
    is_future,
    negation_scope,
    option_noun,
    reporter_of,
    verb_chain,
)
from redline.detect.ru.targets import demanding_token
from redline.detect.ru.words import FORECAST_FORMS, NEGATORS
from redline.lang.tokens import UDSentence, UDToken


@dataclass(slots=True)
class Clause:
    """The parse around one trigger that the rules read; ``r`` collects the answer."""

    sent: UDSentence
    head: UDToken
    book: Codebook
    trig: Trigger
    chain: list[UDToken]
    kids: list[UDToken]  # the children of the chain's words
    lemmas: set[str]
    verb: UDToken
    reporter: UDToken | None
    neg: UDToken | None
    words: set[str]  # the sentence's word forms, lower case
    question: bool
    r: Reading

    def decide(self, modality: str, cue: UDToken, why: str) -> bool:
        return decide(self.r, modality, cue, why)


def _obliged_speaker(sent: UDSentence, chain: list[UDToken], book: Codebook) -> bool:
    """«Нам придётся ударить», «нам нужно уничтожить»: the one an impersonal predicate of
    obligation obliges stands in the dative, and is the speaker's side when it is «мы» or «я»
    (not «нам угрожают ударом», where the dative is the target)."""
    return any(k.lemma in book.cue("first_person") and k.feats.get("Case") == "Dat"
               for t in chain if _duty_word(t, book) for k in sent.kids(t))


def _duty_word(t: UDToken, book: Codebook) -> bool:
    """«должны», «надо», «придётся» (`call_aux`, by lemma or by form)."""
    return t.lemma in book.cue("call_aux") or t.text.lower() in book.cue("call_aux")


def make_clause(sent: UDSentence, head: UDToken, book: Codebook, trig: Trigger) -> Clause:
    """Read once what every rule needs: the chain of governors, the verb, the actor, a reporting
    verb above, the condition and a negation in scope."""
    r = Reading()
    chain = verb_chain(sent, head, book)
    kids = [k for t in chain for k in sent.kids(t)]
    actor = next((k for k in kids if k.rel == "nsubj"), None)
    r.actor = [actor] if actor is not None else []
    mine = book.cue("first_person")  # "мы", and "наша артиллерия" through its determiner
    verb = next((t for t in chain if t.pos in ("VERB", "AUX")), head)
    r.first_person = ((actor is not None and (
        actor.lemma in mine or any(k.lemma in mine for k in sent.kids(actor))))
        or verb.feats.get("Person") == "1" or _obliged_speaker(sent, chain, book))
    reporter = reporter_of(sent, chain, book)
    if reporter is not None:  # "Медведев заявил, что ...": whatever it says is his
        r.holder = _listed(holder_of(sent, reporter, book))
    r.condition = next((m for t in chain for k in sent.kids(t) if k.rel == "advcl"
                        for m in sent.kids(k) if m.rel == "mark"
                        and m.lemma in book.cue("condition_marks")), None)
    if r.condition is None:  # the parse lost the clause: an "если" clause elsewhere in the sentence
        r.condition = next((t for t in sent.tokens
                            if t.lemma in book.cue("if_marks") and t.i != head.i), None)
    r.conditional = r.condition is not None
    scope = negation_scope(sent, chain)
    neg = next((k for k in kids if sent.head_of(k) in scope and (
        k.lemma in NEGATORS or k.feats.get("Polarity") == "Neg")), None)
    return Clause(sent, head, book, trig, chain, kids,
                  {t.lemma for t in chain} | {k.lemma for k in kids}, verb, reporter, neg,
                  {t.text.lower() for t in sent.tokens}, sent.text.rstrip().endswith("?"), r)


def _listed(tok: UDToken | None) -> list[UDToken]:
    return [tok] if tok is not None else []


def read_modality(sent: UDSentence, head: UDToken, book: Codebook, trig: Trigger) -> Reading:
    """The speaker's stance to the act: the first of `MODALITY_RULES` that decides."""
    c = make_clause(sent, head, book, trig)
    return apply_rules(c, MODALITY_RULES, c.verb)


# --- modality rules, in the order they are tried: the first that decides wins ---------------

def _without(c: Clause) -> bool:
    """"без войны", "без жертв"."""
    without = next((k for k in c.sent.kids(c.head) if k.rel == "case" and k.lemma == "без"),
                   None)
    return without is not None and c.decide("negated", without,
                                            "'без' (without) excludes the act")


def _forecast(c: Clause) -> bool:
    """"неизбежно", "скоро": the act is forecast."""
    if c.lemmas & c.book.cue("prediction_words") or c.words & FORECAST_FORMS:
        return c.decide("prediction", first_of(c.sent, c.book.cue("prediction_words")),
                        "forecasts it")
    return False


def _rejected(c: Clause) -> bool:
    """"предотвратить войну": the act is kept from happening (negated); "прекратить удары",
    "осуждаем удары": the act is under way, what is urged ends or answers it (report, as in
    English) -- unless the ending is done ("сняли блокаду")."""
    book = c.book
    words = book.cue("rejecting_governors") | book.cue("ending_governors")
    rejecting = next((t for t in c.sent.ancestors(c.head) if t.lemma in words), None)
    if rejecting is None:
        return False
    if rejecting.lemma in book.cue("ending_governors") and rejecting.feats.get("Tense") != "Past":
        return c.decide("report", rejecting, f"'{rejecting.text}': the act is under way, what "
                                             "is urged ends or answers it")
    return c.decide("negated", rejecting, f"'{rejecting.text}' rejects the act")


def _why_not(c: Clause) -> bool:
    """"почему бы не ударить?"."""
    return (c.question and "почему" in c.words and "бы" in c.words
            and c.decide("proposal", c.sent.tokens[-1], "'почему бы не …?' suggests it"))


def _negation(c: Clause) -> bool:
    if c.neg is not None and _denial_denied(c):
        return c.decide("call", c.neg, "«не может не …»: a denial denied, the act is a must")
    return c.neg is not None and c.decide("negated", c.neg, "negation of the act")


def _denial_denied(c: Clause) -> bool:
    """«Мы не можем не ответить», «не могли не нанести удар»: «не» on «мочь» and again on the
    act it governs say the act must be done."""
    negated = [c.sent.head_of(k) for k in c.kids
               if k.lemma in NEGATORS or k.feats.get("Polarity") == "Neg"]
    return (any(h.lemma == "мочь" for h in negated)
            and any(h.lemma != "мочь" and h in c.chain for h in negated))


def _question(c: Clause) -> bool:
    return c.question and c.decide("question", c.sent.tokens[-1], "asked as a question")


def _verbless_demand(c: Clause) -> bool:
    """"Нужна депортация", "«Сармат» на Брюссель!"."""
    if any(t.pos in ("VERB", "AUX") for t in c.sent.tokens) or c.head.pos not in ("NOUN",
                                                                                   "PROPN"):
        return False
    demand = demanding_token(c.sent, c.head, c.trig, c.book)
    if demand is None:
        return False
    if demand.i != c.head.i and not demand.text.startswith("!"):
        return c.decide("call", demand, f"'{demand.text}' urges the act")  # "Нужна …"
    return c.decide("call", demand, "a verbless exclamation demands it")


def _bare_infinitive(c: Clause) -> bool:
    """"Повесить их всех"; not the future «мы будем наносить удары», whose infinitive has an
    auxiliary and a subject."""
    bare = not any(k.rel in ("nsubj", "aux") for k in c.sent.kids(c.verb))
    return (bare and c.verb.feats.get("VerbForm") == "Inf" and c.verb.rel == "root"
            and c.decide("call", c.verb, "a bare infinitive: a command ('Повесить их всех')"))


def _call_aux(c: Clause) -> bool:
    """"надо", "должны", "пора"; "должны были войти" is an obligation in the past, reported."""
    call = next((t for t in [*c.chain, *c.kids] if _duty_word(t, c.book)), None)
    if call is None:
        return False
    was = next((k for k in [*c.kids, *c.sent.kids(call)] if k.lemma == "быть"
                and k.feats.get("Tense") == "Past"), None)
    if was is not None:
        c.r.intended = True
        return c.decide("report", was, f"'{call.text} {was.text}': an obligation in the past")
    return c.decide("call", call, f"'{call.text}' urges the act")


def _call_governor(c: Clause) -> bool:
    """"призываем уничтожить"; "шейх призывает к геноциду" is his call."""
    urging = next((t for t in c.chain[1:] if t.lemma in c.book.cue("call_governors")), None)
    if urging is None:
        return False
    c.r.holder = _listed(holder_of(c.sent, urging, c.book)) or c.r.holder
    if c.r.holder and urging.lemma in c.book.cue("stance_verbs"):
        return c.decide("call", urging, f"'{urging.text}': {c.r.holder[0].text} urges the act, "
                                        "the text reports it")
    return c.decide("call", urging, f"'{urging.text}' urges the act")


def _imperative(c: Clause) -> bool:
    return (c.verb.feats.get("Mood") == "Imp"
            and c.decide("call", c.verb, "imperative: a direct call to act"))


def _possibility(c: Clause) -> bool:
    """"можно", "могли бы"; under a verb of belief a possibility weighed."""
    book = c.book
    governor = c.sent.head_of(c.head)  # "подготовка к военным действиям": a plan of it
    planned = [governor] if governor is not None and governor.lemma in book.cue(
        "proposal_governors") else []
    proposal = next((t for t in [*c.chain, *c.kids, *planned]
                     if t.lemma in book.cue("proposal_aux")
                     or t.lemma in book.cue("proposal_governors")), None)
    if proposal is None and not any(k.text.lower() == "бы" for k in c.kids):
        return False
    cue = proposal or next(k for k in c.kids if k.text.lower() == "бы")
    if cue.lemma in book.cue("own_plans") and c.r.first_person:
        return c.decide("threat", cue, f"'{cue.text}': the speaker's side plans it")
    weighed_by = believer(c.sent, c.chain, book)
    if weighed_by is not None and proposal is not None and not c.r.first_person:
        return c.decide("prediction", cue, f"'{cue.text}' under '{weighed_by.text}': "
                                           "a possibility weighed")
    return c.decide("proposal", cue, f"'{cue.text}' offers it as a possibility")


def _readiness(c: Clause) -> bool:
    """"готовы ударить", "угрожал убить" (his threat, reported), "собирались" (past intent),
    "оставляет за собой право использовать"."""
    book = c.book
    governor = next((t for below, t in zip(c.chain, c.chain[1:], strict=False)
                     if t.lemma in book.cue("threat_governors")
                     or t.text.lower() in book.cue("threat_governors")
                     or (t.lemma in book.cue("reserving_verbs")
                         and below.lemma in book.cue("held_nouns"))), None)
    if governor is None:
        return False
    holder = (holder_of(c.sent, governor, c.book)
              if governor.lemma in c.book.cue("stance_verbs") else None)
    if holder is not None:
        c.r.holder = [holder]  # "мужчина угрожал убить соседа": his threat, reported
        return c.decide("threat", governor, f"'{governor.text}': {holder.text} threatens it, "
                                            "the text reports it")
    if governor.feats.get("Tense") == "Past":
        c.r.intended = True
        return c.decide("report", governor, f"'{governor.text}': an intention in the past")
    if (governor.lemma in c.book.cue("going_governors") and not c.r.first_person
            and (governor.feats.get("Person") == "3" or c.r.actor)):
        # "вновь собираются воевать с Россией": another side is going to, forecast (as English
        # "going to"; "Россия готова", "оставляет за собой право" still threaten)
        return c.decide("prediction", governor, f"'{governor.text}': another side intends it, "
                                                "forecast")
    return c.decide("threat", governor, f"'{governor.text}': the speaker's side is ready to act")


def _future(c: Clause) -> bool:
    """"нанесём удар": the speaker's side threatens, a third side is forecast."""
    if not is_future(c.verb, c.kids) and not _future_predicate(c):
        return False
    if c.reporter is not None:
        return c.decide("threat", c.verb, f"reported speech: what '{c.reporter.text}' "
                                          "announces their side will do")
    if c.r.first_person:
        return c.decide("threat", c.verb, "future tense with the speaker's side as agent")
    return c.decide("prediction", c.verb, "future tense: forecasts it")


def _future_predicate(c: Clause) -> bool:
    """A noun of force as the subject of a future copula: "Ответ будет мгновенным"."""
    if c.head.rel != "nsubj" or c.head.head < 0:
        return False
    predicate = c.sent.tokens[c.head.head]
    return any(future_be(k) for k in c.sent.kids(predicate))


def _past(c: Clause) -> bool:
    return ((c.verb.feats.get("Tense") == "Past" or c.verb.feats.get("Voice") == "Pass")
            and c.decide("report", c.verb, "past tense or passive: reported as done"))


def _standing_answer(c: Clause) -> bool:
    """As in English: an answer stated in the present with no one else to give it («у нас
    есть чем ответить») is the speaker's standing threat."""
    other_agent = c.trig.kind == "verb" and c.r.actor and not c.r.first_person
    return (c.trig.answer and not other_agent and c.reporter is None
            and c.verb.feats.get("Tense") != "Past"
            and c.decide("threat", c.verb, "an answer stated as standing ready, with no one "
                                           "else to give it: the speaker's veiled threat"))


def _option(c: Clause) -> bool:
    """"Один из вариантов — ударить по …"."""
    option = option_noun(c.sent, c.verb, c.book)
    return option is not None and c.decide(
        "proposal", option, f"'{option.text}': the act is offered as an option")


MODALITY_RULES = (
    _without, _forecast, _rejected, _why_not, _negation, _question, _verbless_demand,
    _bare_infinitive, _call_aux, _call_governor, _imperative, _possibility, _readiness,
    _future, _past, _option, _standing_answer,
)
