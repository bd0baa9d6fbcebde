"""Reading a Russian trigger into a draft finding: targets, silencing checks, modality.

`RussianEvents` walks natasha's sentences of a document; `read_trigger` decides whether a
trigger is an act of force at all (no condition, no idiom, a target where one is needed, a
state for war) and reads its stance; the core assembles the finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from redline.detect.core.codebook import Codebook, Trigger, en_masse_trigger
from redline.detect.core.entities import EntityIndex
from redline.detect.core.findings import (
    Draft,
    Reading,
    Target,
    answered_act,
    own_stance_unaimed,
)
from redline.detect.core.pack import (
    PROBES_PER_SENTENCE,
    EventPack,
    Probe,
    Veto,
    probe_trigger,
)
from redline.detect.ru import targets as tg
from redline.detect.ru.modality import read_modality
from redline.detect.ru.syntax import answered_by, done_before, in_condition
from redline.detect.ru.triggers import find_triggers, kills_a_thing
from redline.lang.tokens import UDSentence, UDToken
from redline.registry import Context


class RussianEvents(EventPack):
    """Acts of force in Russian: natasha's sentences read with the Russian codebook."""

    def drafts(self, ctx: Context, book: Codebook, index: EntityIndex
               ) -> Iterator[Draft | Veto]:
        for chunk in ctx.chunks:
            # the sentence before is where a pronoun object may point ("Сами его убиваете")
            for prev, sent in zip([None, *chunk.sentences], chunk.sentences, strict=False):
                for trig, toks in find_triggers(sent, book, index):
                    if kills_a_thing(trig, toks, sent, prev, index):
                        yield Veto(trigger_head(toks).start,
                                   "what is killed is a thing, not a person")
                    elif (draft := read_trigger(trig, toks, sent, book, index)) is not None:
                        yield draft


    def probes(self, ctx: Context, book: Codebook) -> Iterator[Probe]:
        for chunk in ctx.chunks:
            for sent in chunk.sentences:
                words = [t for t in sent.tokens if t.lemma in book.singles
                         or t.lemma in book.word("probe_words")]
                for tok in words[:PROBES_PER_SENTENCE]:
                    trig = (book.singles.get(tok.lemma) or [probe_trigger()])[0]
                    reading = read_modality(sent, tok, book, trig)
                    yield Probe(tok.start, reading.modality, not reading.holder)


def read_trigger(trig: Trigger, toks: list[UDToken], sent: UDSentence, book: Codebook,
                 mentions: EntityIndex) -> Draft | Veto | None:
    """The draft finding for a trigger; a veto when its sense says it is no act of force (an
    idiom, an agent that is no one's); None when the sentence does not make it one."""
    head = trigger_head(toks)
    answering = answered_by(sent, head, book)
    if in_condition(sent, head, book) or (answering is not None
                                          and not done_before(sent, head, book)):
        return None  # the condition: «если нападут», «ответим на любое нападение»
    if place_label(head, book):
        return Veto(head.start, "a participle that labels a place")
    heads = tg.target_heads(sent, toks, trig.state_target, trig.answer)
    if trig.words == ("<weapon use>",):  # "применили «Орешник» по заводу": the plant is hit
        heads = [h for h in heads if h.rel != "obj"]
    if _silenced(sent, head, toks, heads, book):
        return Veto(head.start, "an idiom or a name")
    targets = _targets(sent, heads, book, mentions)
    r = (answered_act(answering) if answering is not None
         else read_modality(sent, head, book, trig))
    if r.actor and r.actor[0].lemma in book.not_agents:
        return Veto(head.start, "its agent is no one who uses force")
    if trig.modalities and r.modality not in trig.modalities:
        return Veto(head.start, "an instrument named in passing, no act")
    if r.modality == "report" and " ".join(trig.words) in book.outcomes:
        return Veto(head.start, "an end reported, not an act")
    if trig.en_masse and tg.aimed_en_masse(sent, head, [h for _, h in targets], trig, book):
        trig = en_masse_trigger(book, trig)  # "уничтожение населения", "депортировать всех"
    done_by_clause = head.pos == "VERB" or head.rel == "obj"  # not "ответить на любой удар"
    if trig.needs_target and not targets and not own_stance_unaimed(
            trig, r, bool(heads), done_by_clause, book):
        return Veto(head.start, "its object cannot suffer force") if heads else None
    if trig.state_target and not any(tg.opponent(sent, h) and (
            h.lemma in book.states or any(e.type == "PLACE" for e in t.linked))
            for t, h in targets):
        return None  # "воевать с Польшей", not "воевать на Украине" (where, not whom)
    return _draft(trig, toks, sent, r, targets)


def place_label(head: UDToken, book: Codebook) -> bool:
    """A participle that names a place's condition ("на оккупированных территориях"), not
    an act reported (as English "the occupied territories")."""
    return (head.feats.get("VerbForm") == "Part" and head.rel == "amod"
            and head.lemma in book.word("label_participles"))


def trigger_head(toks: list[UDToken]) -> UDToken:
    """The word a trigger's reading hangs on: its first verb or noun."""
    return next((t for t in toks if t.pos in ("VERB", "NOUN", "PROPN")), toks[0])


def _silenced(sent: UDSentence, head: UDToken, toks: list[UDToken], heads: list[UDToken],
              book: Codebook) -> bool:
    """A noun that makes the act a name ("театр военных действий") or an idiom ("нанести
    визит")."""
    naming = book.idioms.get("governed_by", frozenset())
    governor = sent.head_of(head)
    # the word before counts too: the parse may hang the phrase elsewhere
    before = sent.tokens[toks[0].i - 1] if toks[0].i > 0 else None
    if (governor is not None and governor.lemma in naming) or (
            before is not None and before.lemma in naming):
        return True  # "театр военных действий" names a region
    bad = book.idioms.get(head.lemma, frozenset()) | book.idioms.get("any", frozenset())
    return any(h.lemma in bad for h in heads) or any(
        h.lemma in bad for h in sent.kids(head) if h.rel in ("obj", "obl", "nmod"))


def _targets(sent: UDSentence, heads: list[UDToken], book: Codebook,
             mentions: EntityIndex) -> list[tuple[Target, UDToken]]:
    """The target phrases that can suffer the act, linked to entities, each with its head."""
    targets = []
    for h in heads:
        s, e = tg.phrase_span(sent, h)
        linked = mentions.within(s, e)
        if linked or h.pos in ("PROPN",) or h.lemma in book.target_nouns or \
                h.lemma in book.populations or h.lemma in book.peoples or \
                h.text.lower() in book.target_pronouns or tg.patient_person(h):
            targets.append((Target(s, e, linked, h.lemma, h.pos == "PRON"), h))
    return targets


def _draft(trig: Trigger, toks: list[UDToken], sent: UDSentence, r: Reading,
           targets: list[tuple[Target, UDToken]]) -> Draft:
    """The reading in document offsets."""
    draft = Draft(trig=trig, span=(min(t.start for t in toks), max(t.end for t in toks)),
                  reading=r, sentence=(sent.start, sent.end),
                  lemmas=frozenset(t.lemma for t in sent.tokens),
                  near=attached_words(sent, toks), possessor=_possessor(sent, toks),
                  targets=[t for t, _ in targets])
    if r.cue is not None:
        cue, why = r.cue
        draft.cue = (cue.start, cue.end, why)
    if r.condition is not None:
        draft.condition = (r.condition.start, r.condition.end)
    if r.actor and r.actor[0] not in toks:
        draft.actor = (r.actor[0].start, r.actor[0].end)
    if r.holder:  # someone else's call or threat: attributed to them
        draft.holder = tg.phrase_span(sent, r.holder[0])
    return draft


SUBJECTS = ("nsubj", "nsubj:pass", "csubj")


def attached_words(sent: UDSentence, toks: list[UDToken]) -> frozenset[str]:
    """As in English: the lemmas around a trigger in the parse (its words, children and
    grandchildren, its governor and the governor's, their subjects and the subjects'
    modifiers)."""
    ring: list[UDToken] = []
    for t in toks:
        governors = [g for g in (sent.head_of(t),) if g is not None]
        governors += [g for g in (sent.head_of(governors[0]),) if g is not None] if governors \
            else []
        subjects = [c for g in governors for c in sent.kids(g) if c.rel in SUBJECTS]
        kids = sent.kids(t)
        ring += [t, *governors, *subjects, *kids]
        ring += [g for c in kids for g in sent.kids(c)]
        ring += [m for sub in subjects for m in sent.kids(sub)]
    return frozenset(w.lemma for w in ring)


def _possessor(sent: UDSentence, toks: list[UDToken]) -> str | None:
    """Who a noun of force belongs to: "ответ Ирана" (a bare genitive), "наш ответ"; not
    "последствия для агрессора", whose genitive follows a preposition."""
    for t in toks:
        for c in sent.kids(t):
            if c.rel == "det" and c.lemma in ("наш", "мой", "их", "его", "её"):
                return c.lemma
            if (c.rel == "nmod" and c.feats.get("Case") == "Gen" and c.pos in ("PROPN", "NOUN")
                    and not any(k.rel == "case" for k in sent.kids(c))):  # not "для агрессора"
                return c.lemma
    return None
