"""Russian targets: objects, prepositional aims and passive subjects, read from UD relations.

'по/на/против + noun' aims an act ("удар по Варшаве"), a genitive of a noun of force names
what it destroys ("уничтожение Киева"), 'с + instrumental' is an opponent only for war against
a state ("воевать с Польшей"). Verbless demands are read here too ("Нужна депортация").
"""

from __future__ import annotations

from redline.detect.core.codebook import Codebook, Trigger, en_masse_group
from redline.detect.ru.words import (
    AIM_PREPS,
    CLAUSE_CUTS,
    DEMAND_PREPS,
    MODIFIERS,
    OPPONENT_PREPS,
    SUFFERING_VERBS,
    TARGET_CASES,
)
from redline.lang.tokens import UDSentence, UDToken


def target_heads(sent: UDSentence, toks: list[UDToken],
                 state_target: bool = False, answer: bool = False) -> list[UDToken]:
    """Heads of the target phrases; 'с + instrumental' is an opponent only for war against a
    state ('воевать с Польшей'), elsewhere it is a companion ('вместе с Беларусью'). The bare
    genitive of an answer is who gives it ('ответ России'), not whom it hits."""
    heads = []
    for tok in toks:
        for k in sent.kids(tok):
            case = {c.lemma for c in sent.kids(k) if c.rel == "case"}
            prepositional = k.rel in ("obl", "nmod") and case & TARGET_CASES
            genitive = k.rel == "nmod" and not case and k.feats.get("Case") == "Gen"
            opponent = (state_target and k.rel == "obl" and "с" in case
                        and k.feats.get("Case") == "Ins")
            # "убивал и русских, и поляков": the tagger hangs a series of objects as conjuncts
            series = (k.rel == "conj" and tok.pos == "VERB" and k.pos in ("NOUN", "PROPN")
                      and k.feats.get("Case") in ("Acc", "Gen"))
            if k.rel in ("obj", "nsubj:pass") or prepositional or opponent or series or \
                    (genitive and tok.pos == "NOUN" and not answer):
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
    suffered = governor is not None and governor.lemma in SUFFERING_VERBS
    if not heads and (passive or suffered):  # "мэр был похищен", "Харьков подвергся обстрелу"
        carrier = governor if suffered else lead
        chain = [carrier, *sent.ancestors(carrier, 3)]
        heads = [k for t in chain for k in sent.kids(t) if k.rel in ("nsubj", "nsubj:pass")][:1]
    return heads


def _following_target(sent: UDSentence, toks: list[UDToken]) -> list[UDToken]:
    """'удар по X' is a fixed construction: a noun with 'по/против' within the next five tokens
    is the target even when the parse attaches it to another word."""
    last = max(t.i for t in toks)
    for t in sent.tokens[last + 1:last + 6]:
        if t.text in CLAUSE_CUTS or t.text == ".":
            return []
        if t.pos in ("NOUN", "PROPN") and {c.lemma for c in sent.kids(t)
                                           if c.rel == "case"} & AIM_PREPS:
            return [t]
    return []


def aimed_en_masse(sent: UDSentence, head: UDToken, targets: list[UDToken], trig: Trigger,
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


def patient_person(head: UDToken) -> bool:
    """An animate object of a verb is a person who suffers the act ("уничтожали поляков"); an
    animate genitive of a noun may be its agent ("бомбардировки союзников") and is not taken."""
    return head.feats.get("Animacy") == "Anim" and head.rel in ("obj", "nsubj:pass", "conj")


def opponent(sent: UDSentence, head: UDToken) -> bool:
    """'с Польшей', 'против Польши': the side fought against."""
    return bool({c.lemma for c in sent.kids(head) if c.rel == "case"} & OPPONENT_PREPS)


def phrase_span(sent: UDSentence, head: UDToken) -> tuple[int, int]:
    """The head with its adjectives and dependent names, not whole clauses."""
    keep = [head] + [k for k in sent.kids(head) if k.rel in MODIFIERS]
    return min(t.start for t in keep), max(t.end for t in keep)


def demanding_token(sent: UDSentence, head: UDToken, trig: Trigger,
                    book: Codebook) -> UDToken | None:
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
                & DEMAND_PREPS for k in sent.kids(head))
    # a phrase named alone demands ("Ядерный удар!"); inside a prepositional phrase it is a
    # circumstance ("на фоне военного освоения", "с начала боевых действий")
    alone = (trig.kind == "phrase" and head.rel in ("root", "conj", "parataxis")
             and not any(k.rel == "case" for k in sent.kids(head)))
    # a noun in the genitive is named inside another ("Несколько недель непрерывных бомбёжек по
    # мирным городам", "природа ... безумных санкций против России"), not put forward itself
    named_inside = (head.feats.get("Case") in ("Gen", "Loc", "Ins", "Dat")
                    # "А удары по жилым кварталам – это преступление": the subject of a predicate
                    or (head.rel == "nsubj" and governor is not None
                        and governor.pos in ("NOUN", "ADJ")))
    return head if (aimed or trig.instrument or alone) and not named_inside else None
