"""Reading natasha's Russian tree: the chain of governors, conditions, negation scope, holders.

Small predicates over universal dependencies and morphology that the clause, the modality
rules and the target reader share.
"""

from __future__ import annotations

from redline.detect.core.codebook import Codebook
from redline.detect.ru.words import CHAIN_RELS, CLAUSE_CUTS, DENIALS
from redline.lang.tokens import UDSentence, UDToken


def verb_chain(sent: UDSentence, tok: UDToken, book: Codebook) -> list[UDToken]:
    """The trigger and what governs it through xcomp/csubj-like links, stopping at a ccomp."""
    chain = [tok]
    cur = tok
    for _ in range(4):
        head = sent.head_of(cur)
        # "удары будут нанесены": the support verb carries the act's tense and mood; "аннексия
        # не была признана" negates the recognition, not the act
        passive_noun = (cur.rel == "nsubj:pass" and cur.pos == "NOUN" and head is not None
                        and head.lemma in book.cue("support_verbs"))
        # "оставляет за собой право использовать": the right's infinitive, governed by its verb
        held = cur.rel == "nmod" and head is not None and head.lemma in book.cue("held_nouns")
        if head is None or (cur.rel not in CHAIN_RELS and not passive_noun and not held):
            break
        chain.append(head)
        cur = head
    return chain


def in_condition(sent: UDSentence, tok: UDToken, book: Codebook) -> bool:
    """The trigger is the condition ('если Польша нападёт'), not the act."""
    for anc in [tok, *sent.ancestors(tok)]:
        if anc.rel == "advcl" and any(k.lemma in book.cue("condition_marks")
                                      for k in sent.kids(anc) if k.rel == "mark"):
            return True
    # Russian sets every subordinate clause off with commas, so "если" before the trigger with
    # no comma, dash or "то" between them opens the clause that holds it, whatever the parse.
    for t in reversed(sent.tokens[:tok.i]):
        if t.text in CLAUSE_CUTS or t.lemma == "то":
            return False
        if t.lemma in book.cue("if_marks"):
            return True
    return False


def answered_by(sent: UDSentence, tok: UDToken, book: Codebook) -> UDToken | None:
    """The verb that answers a noun of force («ответим на удар», «Россия ответит на любое
    нападение»), or None: the noun is the act answered, the other side's, not one the clause
    does."""
    head = sent.head_of(tok)
    answered = (tok.pos == "NOUN" and head is not None
                and head.lemma in book.word("answering_verbs")
                and any(k.rel == "case" and k.lemma in book.word("answered_preps")
                        for k in sent.kids(tok)))
    return head if answered else None


def done_before(sent: UDSentence, tok: UDToken, book: Codebook) -> bool:
    """A noun of force pointed at as one that happened («этот удар», «вчерашний удар»); a bare
    noun may come («ответит на удар»: Russian has no article to tell)."""
    return any(k.rel in ("det", "amod") and k.lemma in book.word("done_markers")
               for k in sent.kids(tok))


def negation_scope(sent: UDSentence, chain: list[UDToken]) -> list[UDToken]:
    """The chain up to the first clause boundary: 'не ответила, … чтобы Москва их забрала'
    negates the answering, not the taking."""
    scope = [chain[0]]
    for t in chain[:-1]:
        if t.rel in ("advcl", "conj", "acl"):
            break
        scope.append(sent.head_of(t))
    return scope


def holder_of(sent: UDSentence, gov: UDToken, book: Codebook) -> UDToken | None:
    """The subject of a verb of stance or speech, unless it is the speaker's side."""
    subj = next((k for k in sent.kids(gov) if k.rel == "nsubj"), None)
    if subj is None or gov.feats.get("Person") == "1":
        return None
    mine = book.cue("first_person")
    if subj.lemma in mine or any(k.lemma in mine for k in sent.kids(subj)):
        return None
    return subj


def option_noun(sent: UDSentence, verb: UDToken, book: Codebook) -> UDToken | None:
    """'Один из вариантов — ударить по …', 'озвучили идею поглотить …': an infinitive right
    after a noun of option or plan (the parse rarely links them) is offered, not done."""
    if verb.feats.get("VerbForm") != "Inf":
        return None
    before = [t for t in sent.tokens if t.i < verb.i][-4:]
    option = next((t for t in reversed(before) if t.lemma in book.cue("option_nouns")), None)
    if option is None:
        return None
    near = [t for t in sent.tokens if option.i - 2 <= t.i < option.i] + sent.kids(option)
    denied = any(t.lemma in DENIALS for t in near)
    return None if denied else option  # "нет планов воевать", "никакого плана убить"


def believer(sent: UDSentence, chain: list[UDToken], book: Codebook) -> UDToken | None:
    """The verb of belief over the act's clause ("считаете, что Америка могла нанести удар")."""
    for t in [*chain, *sent.ancestors(chain[-1], 3)]:
        if t.lemma in book.cue("belief_verbs") and t is not chain[0]:
            return t
    return None


def reporter_of(sent: UDSentence, chain: list[UDToken], book: Codebook) -> UDToken | None:
    """The speech verb whose complement holds the act ("Медведев заявил, что ...")."""
    top = chain[-1]
    head = sent.head_of(top)
    if top.rel in ("ccomp", "parataxis") and head is not None and \
            head.lemma in book.cue("speech_verbs"):
        return head
    return None


FUTURE_BE = frozenset({"буду", "будешь", "будет", "будем", "будете", "будут"})


def future_be(tok: UDToken) -> bool:
    """A future form of 'быть' ("будет", "будем"), which the tagger may call present."""
    return tok.lemma == "быть" and (tok.feats.get("Tense") == "Fut"
                                    or tok.text.lower() in FUTURE_BE)


def is_future(verb: UDToken, kids: list[UDToken]) -> bool:
    """Future: 'будем/будет' + infinitive, or a perfective verb in the non-past form.

    The tagger sometimes calls a perfective form imperfective ("нанесём"); pymorphy3's
    dictionary settles the aspect of a finite non-past verb.
    """
    if any(future_be(k) for k in kids):
        return True
    if verb.feats.get("Tense") == "Fut":
        return True
    if verb.feats.get("Tense") != "Pres" or verb.feats.get("VerbForm") != "Fin":
        return False
    aspect = aspect_of(verb.text, verb.lemma)  # the dictionary first: the tagger errs both ways
    if aspect is None and verb.lemma.endswith("овать"):
        return True  # bi-aspectual loans ("оккупирует", "атакует"): read as the threat they state
    return aspect == "perf" if aspect else verb.feats.get("Aspect") == "Perf"


def aspect_of(word: str, lemma: str) -> str | None:
    """The aspect pymorphy3 gives ``word`` read as ``lemma``; None when it cannot say for sure
    ("наносят" is also a perfective of "наносить" = to bring in heaps)."""
    from redline.gazetteer import _morph

    parses = [p for p in _morph().parse(word) if "VERB" in p.tag]
    same = [p for p in parses if p.normal_form.replace("ё", "е") == lemma.replace("ё", "е")]
    aspects = {"perf" if "perf" in p.tag else "impf" for p in (same or parses[:1])}
    return aspects.pop() if len(aspects) == 1 else None


def first_of(sent: UDSentence, words: frozenset[str]) -> UDToken:
    return next((t for t in sent.tokens if t.lemma in words or t.text.lower() in words),
                sent.tokens[0])
