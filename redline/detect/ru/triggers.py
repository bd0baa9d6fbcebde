"""Russian triggers: codebook lemmas and phrases in a natasha sentence.

Lemmas match every inflected form ("нанесём удар", "удара"). A phrase of an upgrading action
("ядерное оружие") joined to another trigger upgrades it ("ударит ядерным оружием"); alone it
is an act only under a host verb ("применить ядерное оружие").
"""

from __future__ import annotations

from redline.detect.core.codebook import Codebook, Trigger, weapon_use_trigger
from redline.detect.core.entities import EntityIndex
from redline.detect.core.triggers import phrase_at
from redline.detect.ru.words import PRONOUN_AGREEMENT, SALIENT
from redline.lang.tokens import UDSentence, UDToken
from redline.vocabulary import vocabulary


def find_triggers(sent: UDSentence, book: Codebook,
                  mentions: EntityIndex) -> list[tuple[Trigger, list[UDToken]]]:
    """Codebook triggers in the sentence: longest phrases first, then single lemmas, then the
    use of a weapon."""
    found: list[tuple[Trigger, list[UDToken]]] = []
    used: set[int] = set()
    toks = sent.tokens
    for i, tok in enumerate(toks):
        for trig in book.phrases.get(tok.lemma, []) + book.phrases.get(tok.text.lower(), []):
            span = phrase_at(toks, i, trig.words, _matches, lambda t: t.pos == "VERB")
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
    return _upgrades(found, sent, book)


def _matches(t: UDToken, word: str) -> bool:
    return word in (t.lemma, t.text.lower())


def _uses_weapon(sent: UDSentence, verb: UDToken, book: Codebook, mentions: EntityIndex) -> bool:
    """'применили «Орешник»', 'выпустили 120 дронов': the object is a weapon."""
    for obj in sent.kids(verb):
        if obj.rel != "obj":
            continue
        if obj.lemma in book.weapon_nouns:
            return True
        if any(ent.type == "WEAPON" for ent in mentions.within(obj.start, obj.end)):
            return True
    return False


def _upgrades(found: list[tuple[Trigger, list[UDToken]]], sent: UDSentence,
              book: Codebook) -> list[tuple[Trigger, list[UDToken]]]:
    """'нанести ядерный удар' is one nuclear attack, not an attack plus a nuclear mention."""
    upgrading = vocabulary().actions_where("upgrades")
    nuclear = [(t, s) for t, s in found if t.action in upgrading]
    out = [(t, s) for t, s in found if t.action not in upgrading]
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


def _host_lemma(sent: UDSentence, span: list[UDToken]) -> str:
    head = sent.head_of(span[-1])
    return head.lemma if head is not None else ""


def kills_a_thing(trig: Trigger, toks: list[UDToken], sent: UDSentence,
                  prev: UDSentence | None, mentions: EntityIndex) -> bool:
    """'Что такое доллар для США? Сами его убиваете': the pronoun points back to a thing, and
    killing a thing is a figure of speech.  Only for acts whose vocabulary entry says so
    (killing): a destroyed or attacked thing (a bridge, a city) is a real target."""
    if not vocabulary().action(trig.action).things_are_figures:
        return False
    obj = next((k for t in toks for k in sent.kids(t)
                if k.rel == "obj" and k.text.lower() in PRONOUN_AGREEMENT), None)
    if obj is None:
        return False
    number, genders = PRONOUN_AGREEMENT[obj.text.lower()]
    earlier = list(reversed(sent.tokens[:min(t.i for t in toks)]))
    earlier += list(reversed(prev.tokens)) if prev is not None else []
    candidates = [t for t in earlier if t.pos in ("NOUN", "PROPN") and t.rel in SALIENT
                  and t.feats.get("Number") == number
                  and (not genders or t.feats.get("Gender") in genders)]
    # any person it could point to keeps the act real: "Предатель сдал город. Его расстрелять."
    return bool(candidates) and not any(
        t.feats.get("Animacy") == "Anim" or mentions.within(t.start, t.end) for t in candidates)
