"""English triggers: codebook phrases and lemmas found in a spaCy sentence.

Longest phrases first ("wipe off the map", also with its object inside: "wipe Kyiv off the
map"), then single lemmas whose part of speech fits the entry (a verb entry needs a verb), then
the use of a weapon ("we used the Oreshnik"). A phrase of an upgrading action ("nuclear
weapons") in the clause of another trigger upgrades it instead of standing beside it.
"""

from __future__ import annotations

from typing import Any

from redline.detect.core.codebook import Codebook, Trigger, weapon_use_trigger
from redline.detect.core.triggers import phrase_at as core_phrase_at
from redline.detect.en.syntax import clause_verb
from redline.detect.en.words import OBJ, Token
from redline.vocabulary import vocabulary


def matches(tok: Token, word: str) -> bool:
    return word in (tok.lower_, tok.lemma_.lower())


def find_triggers(sent: Any, book: Codebook,
              weapons: set[int] = frozenset()) -> list[tuple[Trigger, list[Token]]]:
    """Codebook triggers in the sentence: longest phrases first, then single lemmas."""
    found: list[tuple[Trigger, list[Token]]] = []
    used: set[int] = set()
    toks = list(sent)
    for i, tok in enumerate(toks):
        for key in sorted({tok.lower_, tok.lemma_.lower()}):
            for trig in book.phrases.get(key, []):
                span = phrase_at(toks, i, trig.words)
                if span and not used.intersection(t.i for t in span):
                    found.append((trig, span))
                    used.update(t.i for t in span)
    for tok in toks:
        if tok.i in used or (tok.dep_ == "compound" and tok.pos_ == "NOUN"):
            continue  # "war crimes", "missile defence": the noun modifies another noun
        for trig in single_entries(tok, book):
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
            if tok.lemma_.lower() in book.weapon_verbs and uses_weapon(tok, book, weapons):
                found.append((weapon_use_trigger(book), [tok]))
                used.add(tok.i)  # the weapon is the means, not a second act or a target
                used.update(t.i for c in tok.children if c.dep_ in OBJ for t in c.subtree)
    return most_specific(found, book)


def single_entries(tok: Token, book: Codebook) -> list[Trigger]:
    """The codebook's one-word entries for a token: by its lemma, and by its form for the
    entries written in the plural ("sanctions", "reprisals", "exercises"), which name the act
    only in the plural ("the sanction of the Council" approves; "an exercise" of rights)."""
    entries = list(book.singles.get(tok.lemma_.lower(), []))
    if tok.lower_ != tok.lemma_.lower():
        entries += [t for t in book.singles.get(tok.lower_, []) if t not in entries]
    return entries


def uses_weapon(verb: Token, book: Codebook, weapons: set[int]) -> bool:
    """'We used the Oreshnik', 'they launched 120 drones': the object is a weapon."""
    return any(c.dep_ in OBJ and (c.lemma_.lower() in book.weapon_nouns
                                   or any(t.idx in weapons for t in c.subtree))
               for c in verb.children)


def phrase_at(toks: list[Token], i: int, words: tuple[str, ...]) -> list[Token]:
    """Tokens of ``words`` starting at ``i``: contiguous, or a verb, its object, then the rest."""
    return core_phrase_at(toks, i, words, matches, lambda t: t.pos_ == "VERB")


def most_specific(found: list[tuple[Trigger, list[Token]]],
                   book: Codebook) -> list[tuple[Trigger, list[Token]]]:
    """A nuclear phrase in the same clause as another trigger upgrades it instead of doubling."""
    upgrading = vocabulary().actions_where("upgrades")
    nuclear = [(t, s) for t, s in found if t.action in upgrading]
    others = [(t, s) for t, s in found if t.action not in upgrading]
    out = list(others)
    for trig, span in nuclear:
        clause = clause_verb(span[0])
        host = next((i for i, (t, s) in enumerate(out) if clause_verb(s[0]) == clause
                     and not t.person_target), None)  # "eliminate the threat of nuclear weapons"
        if host is not None:
            out[host] = (trig, out[host][1])  # "strike with nuclear weapons" is a nuclear attack
        elif (trig.words[-1] not in book.weapon_names
              or clause_verb(span[0]).lemma_ in book.weapon_hosts):
            out.append((trig, span))
    return out


def phrase_head(tokens: list[Token], instrument: bool = False) -> Token:
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
