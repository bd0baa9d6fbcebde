"""Russian escalation events over natasha's parse: the English detector's reading, in UD terms.

Triggers come from ``data/codebook/ru.toml`` as lemmas, so every inflected form matches.  The
sentence is read through universal-dependency relations: ``obj``/``obl``/``nmod`` with a
preposition (по, на, против) give targets, ``nsubj`` the actor, ``xcomp``/``csubj`` chains
carry modality ("надо повесить", "должны стереть", "не собираемся нападать"), an ``advcl`` with
"если" makes a threat conditional, morphology gives tense, aspect, person and mood.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from redline.document import Evidence, Finding, Participant
from redline.lang.russian import RuSentence, RuToken
from redline.registry import Context

_TARGET_CASES = frozenset({"по", "на", "против", "в"})
_CITY_NOUNS_RU = frozenset({"город", "столица", "страна", "государство", "режим", "правительство",
                            "руководство", "хунта"})
_CHAIN_RELS = frozenset({"xcomp", "csubj", "acl", "advcl", "obl", "obj", "conj"})


@dataclass(slots=True)
class _Reading:
    modality: str = "report"
    cue: RuToken | None = None
    why: str = ""
    condition: RuToken | None = None
    actor: RuToken | None = None
    first_person: bool = False
    intended: bool = False  # a past intention: reported, but never carried out
    holder: RuToken | None = None  # whose call or threat it is, when not the speaker's


def detect_events_ru(ctx: Context) -> None:
    """Add a finding for every act of force in the Russian chunks of ``ctx``."""
    book = load_codebook("ru")
    mentions = EntityIndex(ctx.analysis.entities)
    for chunk in ctx.chunks:
        prev: RuSentence | None = None
        for sent in chunk.sentences:
            for trig, toks in _triggers(sent, book, mentions):
                if _kills_a_thing(trig, toks, sent, prev, mentions):
                    continue
                finding = _read(trig, toks, sent, ctx.text, book, mentions)
                if finding is not None:
                    ctx.add_finding(finding)
            prev = sent


# Which antecedents a personal pronoun can take: его -> masculine or neuter singular, ...
_PRONOUN_AGREEMENT = {"его": ("Sing", ("Masc", "Neut")), "её": ("Sing", ("Fem",)),
                      "ее": ("Sing", ("Fem",)), "их": ("Plur", ())}


_SALIENT = frozenset({"nsubj", "nsubj:pass", "obj", "root", "appos"})  # who a pronoun picks up


def _kills_a_thing(trig: Trigger, toks: list[RuToken], sent: RuSentence,
                   prev: RuSentence | None, mentions: EntityIndex) -> bool:
    """'Что такое доллар для США? Сами его убиваете': the pronoun points back to a thing, and
    killing a thing is a figure of speech.  Only for killing: a destroyed or attacked thing
    (a bridge, a city) is a real target."""
    if trig.action != "kill":
        return False
    obj = next((k for t in toks for k in sent.kids(t)
                if k.rel == "obj" and k.text.lower() in _PRONOUN_AGREEMENT), None)
    if obj is None:
        return False
    number, genders = _PRONOUN_AGREEMENT[obj.text.lower()]
    earlier = list(reversed(sent.tokens[:min(t.i for t in toks)]))
    earlier += list(reversed(prev.tokens)) if prev is not None else []
    candidates = [t for t in earlier if t.pos in ("NOUN", "PROPN") and t.rel in _SALIENT
                  and t.feats.get("Number") == number
                  and (not genders or t.feats.get("Gender") in genders)]
    # any person it could point to keeps the act real: "Предатель сдал город. Его расстрелять."
    return bool(candidates) and not any(
        t.feats.get("Animacy") == "Anim" or mentions.within(t.start, t.end) for t in candidates)


def _triggers(sent: RuSentence, book: Codebook,
              mentions: EntityIndex) -> list[tuple[Trigger, list[RuToken]]]:
    found: list[tuple[Trigger, list[RuToken]]] = []
    used: set[int] = set()
    toks = sent.tokens
    for i, tok in enumerate(toks):
        for trig in book.phrases.get(tok.lemma, []) + book.phrases.get(tok.text.lower(), []):
            span = _phrase_at(toks, i, trig.words)
            if span and not used.intersection(t.i for t in span):
                found.append((trig, span))
                used.update(t.i for t in span)
    for tok in toks:
        if tok.i in used:
            continue
        for trig in book.singles.get(tok.lemma, []):
            is_verb = tok.pos in ("VERB", "AUX") or "VerbForm" in tok.feats or "Mood" in tok.feats
            if (trig.kind == "verb") == is_verb:
                found.append((trig, [tok]))
                used.add(tok.i)
                break
        else:
            if tok.lemma in book.weapon_verbs and _uses_weapon(sent, tok, book, mentions):
                found.append((weapon_use_trigger(book), [tok]))
                used.add(tok.i)  # the weapon is the means, not a second act or a target
                used.update(k.i for k in sent.kids(tok) if k.rel == "obj")
    return _nuclear_upgrades(found, sent, book)


def _uses_weapon(sent: RuSentence, verb: RuToken, book: Codebook, mentions: EntityIndex) -> bool:
    """'применили «Орешник»', 'выпустили 120 дронов': the object is a weapon."""
    for obj in sent.kids(verb):
        if obj.rel != "obj":
            continue
        if obj.lemma in book.weapon_nouns:
            return True
        if any(ent.type == "WEAPON" for ent in mentions.within(obj.start, obj.end)):
            return True
    return False


def _phrase_at(toks: list[RuToken], i: int, words: tuple[str, ...]) -> list[RuToken]:
    """Contiguous lemmas, or a verb, up to four tokens (its object), then the rest."""
    def ok(t: RuToken, w: str) -> bool:
        return w in (t.lemma, t.text.lower())

    n = len(words)
    if i + n <= len(toks) and all(ok(t, w) for t, w in zip(toks[i:i + n], words, strict=True)):
        return toks[i:i + n]
    if n < 2 or toks[i].pos != "VERB":
        return []
    for gap in range(1, 5):
        rest = toks[i + 1 + gap:i + n + gap]
        if len(rest) == n - 1 and all(ok(t, w) for t, w in zip(rest, words[1:], strict=True)):
            return [toks[i], *rest]
    return []


def _nuclear_upgrades(found: list[tuple[Trigger, list[RuToken]]], sent: RuSentence,
                      book: Codebook) -> list[tuple[Trigger, list[RuToken]]]:
    """'нанести ядерный удар' is one nuclear attack, not an attack plus a nuclear mention."""
    nuclear = [(t, s) for t, s in found if t.action == "nuclear_attack"]
    out = [(t, s) for t, s in found if t.action != "nuclear_attack"]
    for trig, span in nuclear:
        governors, own = {x.head for x in span}, {x.i for x in span}
        host = next((k for k, (_, s) in enumerate(out)  # "ударит ядерным оружием"
                     if any(x.i in governors or x.head in own for x in s)), None)
        if host is not None:
            out[host] = (trig, out[host][1] + span)
        elif span[-1].lemma not in book.weapon_names or \
                _host_lemma(sent, span) in book.weapon_hosts:
            out.append((trig, span))  # "ядерное оружие" alone is a mention, not an act
    return out


def _host_lemma(sent: RuSentence, span: list[RuToken]) -> str:
    head = sent.head_of(span[-1])
    return head.lemma if head is not None else ""


# --- reading the sentence ----------------------------------------------------------------------

def _chain(sent: RuSentence, tok: RuToken, book: Codebook) -> list[RuToken]:
    """The trigger and what governs it through xcomp/csubj-like links, stopping at a ccomp."""
    chain = [tok]
    cur = tok
    for _ in range(4):
        head = sent.head_of(cur)
        # "удары будут нанесены": the support verb carries the act's tense and mood; "аннексия
        # не была признана" negates the recognition, not the act
        passive_noun = (cur.rel == "nsubj:pass" and cur.pos == "NOUN" and head is not None
                        and head.lemma in book.cue("support_verbs"))
        if head is None or (cur.rel not in _CHAIN_RELS and not passive_noun):
            break
        chain.append(head)
        cur = head
    return chain


def _in_condition(sent: RuSentence, tok: RuToken, book: Codebook) -> bool:
    """The trigger is the condition ('если Польша нападёт'), not the act."""
    for anc in [tok, *sent.ancestors(tok)]:
        if anc.rel == "advcl" and any(k.lemma in book.cue("condition_marks")
                                      for k in sent.kids(anc) if k.rel == "mark"):
            return True
    # Russian sets every subordinate clause off with commas, so "если" before the trigger with
    # no comma, dash or "то" between them opens the clause that holds it, whatever the parse.
    for t in reversed(sent.tokens[:tok.i]):
        if t.text in (",", ";", ":", "–", "—") or t.lemma == "то":
            return False
        if t.lemma in book.cue("if_marks"):
            return True
    return False



def _negation_scope(sent: RuSentence, chain: list[RuToken]) -> list[RuToken]:
    """The chain up to the first clause boundary: 'не ответила, … чтобы Москва их забрала'
    negates the answering, not the taking."""
    scope = [chain[0]]
    for t in chain[:-1]:
        if t.rel in ("advcl", "conj", "acl"):
            break
        scope.append(sent.head_of(t))
    return scope


def _demanded(sent: RuSentence, head: RuToken, trig: Trigger,
              book: Codebook) -> RuToken | None:
    """As in English: a verbless mention demands when exclaimed, aimed ('«Сармат» на Брюссель')
    or naming an instrument; 'Отсюда эта жестокая резня …' is a statement."""
    bang = next((t for t in sent.tokens if t.text.startswith("!")), None)
    if bang is not None:
        return bang
    # "Единственное решение — истребление": the tagger makes both nouns roots of the sentence
    if any(t.lemma in book.cue("governing_nouns") and (t.rel == "root" or t.i == head.head)
           for t in sent.tokens):
        return head
    governor = sent.head_of(head)  # "Нужна депортация": a predicative of need governs it
    need = book.cue("need_predicates")
    if head.rel == "nsubj" and governor is not None and (
            governor.lemma in need or governor.text.lower() in need):
        return governor  # not "Для депортации нужны документы"
    aimed = any(k.rel in ("obl", "nmod") and {c.lemma for c in sent.kids(k) if c.rel == "case"}
                & {"на", "по", "к", "для", "против"} for k in sent.kids(head))
    return head if aimed or trig.instrument or trig.kind == "phrase" else None


def _read_modality(sent: RuSentence, head: RuToken, book: Codebook,
                   trig: Trigger) -> _Reading:
    r = _Reading()
    chain = _chain(sent, head, book)
    kids = [k for t in chain for k in sent.kids(t)]
    lemmas = {t.lemma for t in chain} | {k.lemma for k in kids}
    r.actor = next((k for k in kids if k.rel == "nsubj"), None)
    mine = book.cue("first_person")  # "мы", and "наша артиллерия" through its determiner
    r.first_person = r.actor is not None and (
        r.actor.lemma in mine or any(k.lemma in mine for k in sent.kids(r.actor)))
    verb = next((t for t in chain if t.pos in ("VERB", "AUX")), head)
    reporter = _reporter(sent, chain, book)
    r.first_person = r.first_person or verb.feats.get("Person") == "1"
    if reporter is not None:  # "Медведев заявил, что ...": whatever it says is his
        r.holder = _holder(sent, reporter, book)
    r.condition = next((m for t in chain for k in sent.kids(t) if k.rel == "advcl"
                        for m in sent.kids(k) if m.rel == "mark"
                        and m.lemma in book.cue("condition_marks")), None)
    if r.condition is None:  # the parse lost the clause: an "если" clause elsewhere in the sentence
        r.condition = next((t for t in sent.tokens
                            if t.lemma in book.cue("if_marks") and t.i != head.i), None)
    scope = _negation_scope(sent, chain)
    neg = next((k for k in kids if sent.head_of(k) in scope and (
        k.lemma in ("не", "ни", "никогда") or k.feats.get("Polarity") == "Neg")), None)
    without = next((k for k in sent.kids(head) if k.rel == "case" and k.lemma == "без"), None)
    if without is not None:  # "без войны", "без жертв"
        return _set(r, "negated", without, "'без' (without) excludes the act")
    words = {t.text.lower() for t in sent.tokens}
    if lemmas & book.cue("prediction_words") or "неизбежно" in words:
        return _set(r, "prediction", _first(sent, book.cue("prediction_words")), "forecasts it")
    rejecting = next(
        (t for t in sent.ancestors(head) if t.lemma in book.cue("rejecting_governors")), None)
    if rejecting is not None:
        return _set(r, "negated", rejecting, f"'{rejecting.text}' rejects the act")
    question = sent.text.rstrip().endswith("?")
    if question and "почему" in words and "бы" in words:
        return _set(r, "proposal", sent.tokens[-1], "'почему бы не …?' suggests it")
    if neg is not None:
        return _set(r, "negated", neg, "negation of the act")
    if question:
        return _set(r, "question", sent.tokens[-1], "asked as a question")
    if not any(t.pos in ("VERB", "AUX") for t in sent.tokens) and head.pos in ("NOUN", "PROPN"):
        demand = _demanded(sent, head, trig, book)
        if demand is not None and demand.i != head.i and not demand.text.startswith("!"):
            return _set(r, "call", demand, f"'{demand.text}' urges the act")  # "Нужна …"
        if demand is not None:
            return _set(r, "call", demand, "a verbless exclamation demands it")
    if verb.feats.get("VerbForm") == "Inf" and verb.rel == "root":
        return _set(r, "call", verb, "a bare infinitive: a command ('Повесить их всех')")
    call = next((t for t in [*chain, *kids] if t.lemma in book.cue("call_aux")
                 or t.text.lower() in book.cue("call_aux")), None)
    if call is not None:
        return _set(r, "call", call, f"'{call.text}' urges the act")
    urging = next((t for t in chain[1:] if t.lemma in book.cue("call_governors")), None)
    if urging is not None:  # "призываем уничтожить"; "шейх призывает к геноциду" is his call
        r.holder = _holder(sent, urging, book) or r.holder
        if r.holder is not None and urging.lemma in book.cue("stance_verbs"):
            return _set(r, "call", urging, f"'{urging.text}': {r.holder.text} urges the act, "
                                           "the text reports it")
        return _set(r, "call", urging, f"'{urging.text}' urges the act")
    if verb.feats.get("Mood") == "Imp":
        return _set(r, "call", verb, "imperative: a direct call to act")
    proposal = next((t for t in [*chain, *kids] if t.lemma in book.cue("proposal_aux")
                     or t.lemma in book.cue("proposal_governors")), None)
    if proposal is not None or any(k.text.lower() == "бы" for k in kids):
        cue = proposal or next(k for k in kids if k.text.lower() == "бы")
        believer = _believer(sent, chain, book)
        if believer is not None and proposal is not None and not r.first_person:
            return _set(r, "prediction", cue, f"'{cue.text}' under '{believer.text}': "
                                              "a possibility weighed")
        return _set(r, "proposal", cue, f"'{cue.text}' offers it as a possibility")
    governor = next((t for t in chain[1:] if t.lemma in book.cue("threat_governors")
                     or t.text.lower() in book.cue("threat_governors")), None)
    if governor is not None and governor.lemma in book.cue("stance_verbs") and (
            holder := _holder(sent, governor, book)) is not None:
        r.holder = holder  # "мужчина угрожал убить соседа": his threat, reported
        return _set(r, "threat", governor, f"'{governor.text}': {holder.text} threatens it, "
                                           "the text reports it")
    if governor is not None and governor.feats.get("Tense") == "Past":
        r.intended = True
        return _set(r, "report", governor, f"'{governor.text}': an intention in the past")
    if governor is not None:
        return _set(r, "threat", governor, f"'{governor.text}': the speaker's side is ready to act")
    if _future(verb, kids):
        if reporter is not None:
            return _set(r, "threat", verb, f"reported speech: what '{reporter.text}' announces "
                                           "their side will do")
        if r.first_person:
            return _set(r, "threat", verb, "future tense with the speaker's side as agent")
        return _set(r, "prediction", verb, "future tense: forecasts it")
    if verb.feats.get("Tense") == "Past" or verb.feats.get("Voice") == "Pass":
        return _set(r, "report", verb, "past tense or passive: reported as done")
    option = _option_noun(sent, verb, book)
    if option is not None:
        return _set(r, "proposal", option, f"'{option.text}': the act is offered as an option")
    return _set(r, "report", verb, "stated as fact")


def _holder(sent: RuSentence, gov: RuToken, book: Codebook) -> RuToken | None:
    """The subject of a verb of stance or speech, unless it is the speaker's side."""
    subj = next((k for k in sent.kids(gov) if k.rel == "nsubj"), None)
    if subj is None or gov.feats.get("Person") == "1":
        return None
    mine = book.cue("first_person")
    if subj.lemma in mine or any(k.lemma in mine for k in sent.kids(subj)):
        return None
    return subj


def _option_noun(sent: RuSentence, verb: RuToken, book: Codebook) -> RuToken | None:
    """'Один из вариантов — ударить по …', 'озвучили идею поглотить …': an infinitive right
    after a noun of option or plan (the parse rarely links them) is offered, not done."""
    if verb.feats.get("VerbForm") != "Inf":
        return None
    before = [t for t in sent.tokens if t.i < verb.i][-4:]
    option = next((t for t in reversed(before) if t.lemma in book.cue("option_nouns")), None)
    if option is None:
        return None
    near = [t for t in sent.tokens if option.i - 2 <= t.i < option.i] + sent.kids(option)
    denied = any(t.lemma in ("нет", "никакой", "не", "ни") for t in near)
    return None if denied else option  # "нет планов воевать", "никакого плана убить"


def _believer(sent: RuSentence, chain: list[RuToken], book: Codebook) -> RuToken | None:
    """The verb of belief over the act's clause ("считаете, что Америка могла нанести удар")."""
    for t in [*chain, *sent.ancestors(chain[-1], 3)]:
        if t.lemma in book.cue("belief_verbs") and t is not chain[0]:
            return t
    return None


def _reporter(sent: RuSentence, chain: list[RuToken], book: Codebook) -> RuToken | None:
    """The speech verb whose complement holds the act ("Медведев заявил, что ...")."""
    top = chain[-1]
    head = sent.head_of(top)
    if top.rel in ("ccomp", "parataxis") and head is not None and \
            head.lemma in book.cue("speech_verbs"):
        return head
    return None


def _future(verb: RuToken, kids: list[RuToken]) -> bool:
    """Future: 'будем/будет' + infinitive, or a perfective verb in the non-past form.

    The tagger sometimes calls a perfective form imperfective ("нанесём"); pymorphy3's
    dictionary settles the aspect of a finite non-past verb.
    """
    if any(k.lemma == "быть" and k.feats.get("Tense") == "Fut" for k in kids):
        return True
    if verb.feats.get("Tense") == "Fut":
        return True
    if verb.feats.get("Tense") != "Pres" or verb.feats.get("VerbForm") != "Fin":
        return False
    aspect = _aspect(verb.text, verb.lemma)  # the dictionary first: the tagger errs both ways
    if aspect is None and verb.lemma.endswith("овать"):
        return True  # bi-aspectual loans ("оккупирует", "атакует"): read as the threat they state
    return aspect == "perf" if aspect else verb.feats.get("Aspect") == "Perf"


def _aspect(word: str, lemma: str) -> str | None:
    """The aspect pymorphy3 gives ``word`` read as ``lemma``; None when it cannot say for sure
    ("наносят" is also a perfective of "наносить" = to bring in heaps)."""
    from redline.gazetteer import _morph

    parses = [p for p in _morph().parse(word) if "VERB" in p.tag]
    same = [p for p in parses if p.normal_form.replace("ё", "е") == lemma.replace("ё", "е")]
    aspects = {"perf" if "perf" in p.tag else "impf" for p in (same or parses[:1])}
    return aspects.pop() if len(aspects) == 1 else None


def _first(sent: RuSentence, words: frozenset[str]) -> RuToken:
    return next((t for t in sent.tokens if t.lemma in words or t.text.lower() in words),
                sent.tokens[0])


def _set(r: _Reading, modality: str, cue: RuToken, why: str) -> _Reading:
    r.modality, r.cue, r.why = modality, cue, why
    return r


# --- targets and the finding -------------------------------------------------------------------

def _targets(sent: RuSentence, toks: list[RuToken], state_target: bool = False) -> list[RuToken]:
    """Heads of the target phrases; 'с + instrumental' is an opponent only for war against a
    state ('воевать с Польшей'), elsewhere it is a companion ('вместе с Беларусью')."""
    heads = []
    for tok in toks:
        for k in sent.kids(tok):
            case = {c.lemma for c in sent.kids(k) if c.rel == "case"}
            prepositional = k.rel in ("obl", "nmod") and case & _TARGET_CASES
            genitive = k.rel == "nmod" and not case and k.feats.get("Case") == "Gen"
            opponent = (state_target and k.rel == "obl" and "с" in case
                        and k.feats.get("Case") == "Ins")
            # "убивал и русских, и поляков": the tagger hangs a series of objects as conjuncts
            series = (k.rel == "conj" and tok.pos == "VERB" and k.pos in ("NOUN", "PROPN")
                      and k.feats.get("Case") in ("Acc", "Gen"))
            if k.rel in ("obj", "nsubj:pass") or prepositional or opponent or series or \
                    (genitive and tok.pos == "NOUN"):
                heads.append(k)  # "удар по Варшаве", "уничтожение Киева"
    heads = [h for h in heads if h not in toks]
    lead = toks[0]
    if lead.rel == "acl:relcl" and lead.head >= 0:  # "поток, который взорвали": the antecedent
        heads = [sent.tokens[lead.head] if h.lemma == "который" else h for h in heads]
    if not heads:  # the parse hung "по X" elsewhere: "нанесли удар по … могуществу"
        heads = _following_target(sent, toks)
    if not heads and lead.rel == "conj" and lead.head >= 0:  # "выследим и убьём каждого"
        heads = [k for k in sent.kids(sent.tokens[lead.head]) if k.rel == "obj"]
    passive = lead.feats.get("Voice") == "Pass"
    governor = sent.head_of(lead)
    suffered = governor is not None and governor.lemma in ("подвергнуться", "подвергаться")
    if not heads and (passive or suffered):  # "мэр был похищен", "Харьков подвергся обстрелу"
        carrier = governor if suffered else lead
        chain = [carrier, *sent.ancestors(carrier, 3)]
        heads = [k for t in chain for k in sent.kids(t) if k.rel in ("nsubj", "nsubj:pass")][:1]
    return heads


def _following_target(sent: RuSentence, toks: list[RuToken]) -> list[RuToken]:
    """'удар по X' is a fixed construction: a noun with 'по/против' within the next five tokens
    is the target even when the parse attaches it to another word."""
    last = max(t.i for t in toks)
    for t in sent.tokens[last + 1:last + 6]:
        if t.text in (",", ".", ";", ":", "–", "—"):
            return []
        if t.pos in ("NOUN", "PROPN") and {c.lemma for c in sent.kids(t)
                                           if c.rel == "case"} & {"по", "против"}:
            return [t]
    return []


def _en_masse(sent: RuSentence, head: RuToken, targets: list[RuToken], trig: Trigger,
              book: Codebook) -> bool:
    """Aimed at a people ("польского населения", "чеченцев") or, through the trigger's
    quantifiers, at everyone of a kind ("депортировать всех", "массовая депортация")."""
    group = en_masse_group(book, trig)
    if any(h.lemma in group and not any(k.rel == "nummod" for k in sent.kids(h))
           for h in targets):  # "двух поляков" is not a people
        return True
    words = trig.en_masse_words
    return any(t.lemma in words or t.text.lower() in words
               for h in (head, *targets) for t in (h, *sent.kids(h)) if t.i != head.i)


def _patient_person(head: RuToken) -> bool:
    """An animate object of a verb is a person who suffers the act ("уничтожали поляков"); an
    animate genitive of a noun may be its agent ("бомбардировки союзников") and is not taken."""
    return head.feats.get("Animacy") == "Anim" and head.rel in ("obj", "nsubj:pass", "conj")


def _opponent(sent: RuSentence, head: RuToken) -> bool:
    """'с Польшей', 'против Польши': the side fought against."""
    return bool({c.lemma for c in sent.kids(head) if c.rel == "case"} & {"с", "против"})


def _span(sent: RuSentence, head: RuToken) -> tuple[int, int]:
    """The head with its adjectives and dependent names, not whole clauses."""
    keep = [head] + [k for k in sent.kids(head) if k.rel in ("amod", "det", "flat:name", "appos",
                                                               "nummod", "flat")]
    return min(t.start for t in keep), max(t.end for t in keep)


def _read(trig: Trigger, toks: list[RuToken], sent: RuSentence, text: str, book: Codebook,
          mentions: EntityIndex) -> Finding | None:
    head = next((t for t in toks if t.pos in ("VERB", "NOUN", "PROPN")), toks[0])
    if _in_condition(sent, head, book):
        return None
    heads = _targets(sent, toks, trig.state_target)
    if trig.words == ("<weapon use>",):  # "применили «Орешник» по заводу": the plant is hit
        heads = [h for h in heads if h.rel != "obj"]
    naming = book.idioms.get("governed_by", frozenset())
    governor = sent.head_of(head)
    # the word before counts too: the parse may hang the phrase elsewhere
    before = sent.tokens[toks[0].i - 1] if toks[0].i > 0 else None
    if (governor is not None and governor.lemma in naming) or (
            before is not None and before.lemma in naming):
        return None  # "театр военных действий" names a region
    bad = book.idioms.get(head.lemma, frozenset()) | book.idioms.get("any", frozenset())
    if any(h.lemma in bad for h in heads) or any(h.lemma in bad for h in sent.kids(head)
                                                 if h.rel in ("obj", "obl", "nmod")):
        return None
    targets = []
    for h in heads:
        s, e = _span(sent, h)
        linked = mentions.within(s, e)
        if linked or h.pos in ("PROPN",) or h.lemma in book.target_nouns or \
                h.lemma in book.populations or h.lemma in book.peoples or \
                h.text.lower() in book.target_pronouns or _patient_person(h):
            targets.append((s, e, linked, h))
    r = _read_modality(sent, head, book, trig)
    if r.actor is not None and r.actor.lemma in book.not_agents:
        return None
    if trig.modalities and r.modality not in trig.modalities:
        return None  # an instrument named in passing is no act
    if r.modality == "report" and " ".join(trig.words) in book.outcomes:
        return None  # "эта часть земель вошла в состав царства": an end, not an act
    if trig.en_masse and _en_masse(sent, head, [h for *_, h in targets], trig, book):
        trig = en_masse_trigger(book, trig)  # "уничтожение населения", "депортировать всех"
    if trig.needs_target and not targets:
        return None
    if trig.state_target and not any(_opponent(sent, h) and (
            h.lemma in book.states or any(e.type == "PLACE" for e in linked))
            for *_, linked, h in targets):
        return None  # "воевать с Польшей", not "воевать на Украине" (where, not whom)
    t_start, t_end = min(t.start for t in toks), max(t.end for t in toks)
    evidence = [Evidence(t_start, t_end, text[t_start:t_end],
                         trigger_why(text[t_start:t_end], trig, "ru"))]
    if r.cue is not None and (r.cue.start, r.cue.end) != (t_start, t_end):
        evidence.append(Evidence(r.cue.start, r.cue.end, text[r.cue.start:r.cue.end],
                                 f"{r.why} → {r.modality}"))
    if r.condition is not None:
        c = r.condition
        evidence.append(Evidence(c.start, c.end, text[c.start:c.end],
                                 "a condition: the act is threatened only if it is met"))
    for s, e, linked, _ in targets[:3]:
        kind = f" ({linked[0].name}, {linked[0].type})" if linked else ""
        evidence.append(Evidence(s, e, text[s:e], f"target of the act{kind}"))
    actor = None
    if r.actor is not None and r.actor not in toks:
        linked = mentions.within(r.actor.start, r.actor.end)
        actor = Participant(text=text[r.actor.start:r.actor.end],
                            entity=linked[0].id if linked else None,
                            start=r.actor.start, end=r.actor.end)
    points = [t_start, t_end, *(x for s, e, _, _ in targets for x in (s, e))]
    speaker = None
    if r.holder is not None:  # someone else's call or threat: attributed to them
        h_s, h_e = _span(sent, r.holder)
        speaker, said = held_by(text, h_s, h_e, mentions, REPORTED)
        evidence.append(said)
        points += [h_s, h_e]
    if actor is not None:
        points += [actor.start, actor.end]
    if r.cue is not None:
        points += [r.cue.start, r.cue.end]
    start, end = max(min(points), sent.start), min(max(points), sent.end)
    severity = _severity(trig, targets)
    raw = {"question": 0.8, "report": 0.75, "call": 0.7, "negated": 0.7}.get(r.modality, 0.55)
    return Finding(start=start, end=end, text=text[start:end], action=trig.action,
                   modality=r.modality, conditional=r.condition is not None, severity=severity,
                   confidence=calibrate(raw + (0.1 if any(x[2] for x in targets) else 0), "ru"),
                   evidence=evidence, actor=actor,
                   targets=[Participant(text=text[s:e], entity=linked[0].id if linked else None,
                                        start=s, end=e) for s, e, linked, _ in targets],
                   cameo=cameo_code(trig, r), speaker=speaker, detector="events_ru")


def _severity(trig: Trigger, targets: list) -> int:
    if trig.action != "destroy":
        return trig.severity
    kinds = {ent.kind for _, _, linked, _ in targets for ent in linked}
    nouns = {h.lemma for _, _, _, h in targets}
    big = kinds & {"country", "capital", "city", "region"} or nouns & _CITY_NOUNS_RU
    return trig.severity if big else 6
