"""Reading an English trigger into a draft finding: targets, silencing checks, modality.

`EnglishEvents` walks the spaCy sentences of a document; `read_trigger` decides whether a
trigger is an act of force at all (a target that can suffer it, no idiom, no natural agent, not
a condition, not the speaker's own end) and reads its stance; the core assembles the finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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
from redline.detect.en.commands import is_verbless
from redline.detect.en.modality import read_modality
from redline.detect.en.syntax import (
    all_kids,
    answered_by,
    answered_with,
    clause_verb,
    done_before,
    in_condition,
    verb_chain,
)
from redline.detect.en.targets import (
    aimed_en_masse,
    bare_command,
    can_suffer,
    idiom,
    is_person,
    natural_agent,
    phrase_span,
    resolve,
    resultative,
    takes_subject_as_patient,
    target_heads,
    urged_killings,
)
from redline.detect.en.triggers import find_triggers, phrase_head
from redline.detect.en.words import OBJ, Token, sentence_words
from redline.lang.english import register_token_marks
from redline.registry import Context


class EnglishEvents(EventPack):
    """Acts of force in English: spaCy's sentences read with the English codebook."""

    def drafts(self, ctx: Context, book: Codebook, index: EntityIndex) -> Iterator[Draft | Veto]:
        own = index.own_side_spans(ctx.document.meta.get("country"))
        for chunk in ctx.chunks:
            mark_own_side(chunk.doc, chunk.base, own)
            seg = ctx.analysis.segment_at(chunk.base)
            where = _Where(base=chunk.base,
                           floor=seg.start if seg is not None else chunk.base,
                           heading=seg is not None and seg.kind in ("title", "heading"),
                           weapons={s - chunk.base for s in index.weapon_starts})
            for sent in chunk.doc.sents:
                yield from _sentence_drafts(sent, where, book, index)


    def probes(self, ctx: Context, book: Codebook) -> Iterator[Probe]:
        for chunk in ctx.chunks:
            for sent in chunk.doc.sents:
                words = [t for t in sent if t.lemma_.lower() in book.singles
                         or t.lemma_.lower() in book.word("probe_words")]
                for tok in words[:PROBES_PER_SENTENCE]:
                    trig = (book.singles.get(tok.lemma_.lower()) or [probe_trigger()])[0]
                    reading = read_modality(tok, sent, book, trig)
                    yield Probe(chunk.base + tok.idx, reading.modality, not reading.holder)


def mark_own_side(doc: Any, base: int, spans: list[tuple[int, int]]) -> None:
    """Mark the tokens that name the speaker's own state (`EntityIndex.own_side_spans`), for
    the rules that ask whether an agent is the speaker's side (`speakers_side`). Nothing to do
    without a document country, the usual case."""
    if not spans:
        return
    register_token_marks()
    for start, end in spans:
        span = doc.char_span(start - base, end - base, alignment_mode="expand")
        for tok in span if span is not None else ():
            tok._.own_side = True


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a chunk sits: its offset, the start of its segment (pronouns look back to it),
    whether it is a title or heading (which names acts, it demands none) and its weapons."""

    base: int
    floor: int
    heading: bool
    weapons: set[int]  # chunk-relative offsets of weapon mentions


def _sentence_drafts(sent: Any, where: _Where, book: Codebook,
                     index: EntityIndex) -> Iterator[Draft | Veto]:
    found = find_triggers(sent, book, where.weapons)
    # words inside a trigger phrase that the tagger calls verbs ('firing' in 'firing squad')
    # do not make a sentence verbal
    acts = frozenset(t.i for trig, tokens in found if len(tokens) > 1
                     for head in (phrase_head(tokens, trig.instrument),)
                     for t in tokens if t.i != head.i)
    for trig, tokens in found:
        draft = read_trigger(trig, tokens, sent, where.base, book, index, where.floor, acts,
                             where.heading)
        if draft is not None:
            yield draft


def read_trigger(trig: Trigger, tokens: list[Token], sent: Any, base: int, book: Codebook,
                 index: EntityIndex, floor: int, acts: frozenset[int] = frozenset(),
                 heading: bool = False) -> Draft | Veto | None:
    """The draft finding for a trigger; a veto when its sense says it is no act of force (an
    idiom, an object that cannot suffer it); None when the sentence does not make it one."""
    head = phrase_head(tokens, trig.instrument)
    answering = answered_by(head, book)
    if in_condition(head, book) or (answering is not None and not done_before(head, book)):
        return None  # the condition: "if they attack", "we will respond to any attack"
    if place_label(head, book):
        return Veto(base + head.idx, "a participle that labels a place")
    if counterfactual_past(head, book):
        return Veto(base + head.idx, "a counterfactual past: what would have happened")
    outcome = " ".join(trig.words) in book.outcomes
    caused_by = resultative(head) if outcome else None  # "beaten to death": the verb killed
    outcome = outcome and caused_by is None
    heads = _heads(head, trig, outcome, caused_by, book)
    spans = [(phrase_span(h), h) for h in heads]
    targets = _targets(spans, trig, base, book, index, floor)
    if _silenced(head, tokens, heads, spans, trig, base, book, index):
        return Veto(base + head.idx, "an idiom, a natural agent or a name")
    if trig.state_target and not any(
            any(e.type == "PLACE" for e in t.linked) and (h.dep_ in OBJ or h.head.lower_ in
                                                           ("against", "with"))
            for t, h in targets):
        return None  # "fight Russia", "war with Poland"; not "fight the Nazis", "fight for votes"
    means = answered_with(head, book)  # "answer any provocation with a crushing blow"
    reading = (answered_act(answering) if answering is not None
               else read_modality(means if means is not None else head, sent, book, trig, acts,
                                  heading))
    # "Drones, now!!!" needs no target; "the division marches on!" is no "march on <place>"
    demanded = (is_verbless(sent, acts) and reading.modality == "call"
                and trig.kind != "phrase")
    en_masse = bool(trig.en_masse) and aimed_en_masse(head, [h for _, h in targets], trig, book)
    if (trig.needs_target and not targets and not demanded and not en_masse
            and not urged_killings(head, trig, reading, book)
            and not bare_command(head, trig, reading, book)
            and not threatened_outright(trig, reading, heads)
            and not own_stance_unaimed(trig, reading, bool(heads), _done_by_clause(head), book)):
        if heads:  # "execute the plan", "attack the problem": an object force cannot reach
            return Veto(base + head.idx, "its object cannot suffer force")
        return None  # "sanctions, pressure, bombings": a list, not an act on anyone
    if not _an_act(trig, reading, outcome, [h for _, h in targets], book):
        return Veto(base + head.idx, "an instrument named, an end or a self-harm, no act")
    if en_masse:
        trig = en_masse_trigger(book, trig)  # "destroy the Jews", "mass deportations"
    return _draft(trig, tokens, sent, base, reading, targets)


def _done_by_clause(head: Token) -> bool:
    """The act is what its clause does: the verb itself, or the verb's object ("deliver a
    strike"), not a noun further down ("respond to any attack")."""
    return head.pos_ in ("VERB", "AUX") or head.dep_ in OBJ


def place_label(head: Token, book: Codebook) -> bool:
    """A past participle that names a place's condition ("the Israeli-occupied West Bank",
    "the occupied territories"), not an act reported."""
    return (head.tag_ == "VBN" and head.dep_ in ("amod", "compound")
            and head.lemma_.lower() in book.word("label_participles"))


def counterfactual_past(head: Token, book: Codebook) -> bool:
    """"Kiev should long ago have ceased to exist if we acted like them", "millions would have
    been left to die": a modal perfect says what did not happen (the annotation guide: no
    finding). Only the act the modal verb itself names; an act it presupposes ("we could have
    stopped these hostilities", "would not have been wrecked without the intervention") is
    real, and still read."""
    verb = clause_verb(head)
    if verb.tag_ != "VBN" or head.i != verb.i:
        return False
    aux = {a.lower_ for a in verb.children if a.dep_ in ("aux", "auxpass")}
    if "have" not in aux:
        return False
    if aux & book.cue("counterfactual_modals"):
        return True
    # "should have been hanged" wishes it had been done (a call, in a comment thread); with an
    # unreal condition ("... if we acted like them") it says what did not happen
    unreal_if = any(c.dep_ == "advcl" and any(m.lower_ == "if" for m in c.children)
                    for c in verb.children)
    return unreal_if and bool(aux & book.cue("deontic_modals"))


def threatened_outright(trig: Trigger, reading: Reading, heads: list[Token]) -> bool:
    """A named act of force threatened with no object at all ("threatened to launch a new
    military offensive ... unless"): its target may be left unsaid, but a threat is no figure
    of speech ("attack the problem" has an object, which the idiom checks read)."""
    return trig.kind == "noun" and reading.modality == "threat" and not heads


def _heads(head: Token, trig: Trigger, outcome: bool, caused_by: Token | None,
           book: Codebook) -> list[Token]:
    """The heads of the act's target phrases, or of its patient subject ("traitors must die")."""
    heads = target_heads(head, trig, outcome)
    if caused_by is not None:
        heads += [c for c in caused_by.children if c.dep_ in OBJ or c.dep_ == "nsubjpass"]
    if trig.words == ("<weapon use>",):  # "used the Oreshnik against Dnipro": Dnipro is the target
        heads = [h for h in heads if h.dep_ not in OBJ]
    direct = [h for h in heads if h.dep_ in OBJ or h.dep_ == "nsubjpass"]
    if not direct and takes_subject_as_patient(head, trig):
        # "traitors must die", "he needs to be shot"; "in principle, the city should have
        # ceased to exist": a phrase of place or manner does not stand for the victim
        subject = [c for t in verb_chain(head, book) for c in all_kids(t) if c.dep_ == "nsubj"]
        if subject:  # "traitors must die in prison": they suffer it; the prison is a place
            heads = subject[:1] + [h for h in heads if h.dep_ != "pobj"]
    return heads


def _targets(spans: list[tuple[tuple[int, int], Token]], trig: Trigger, base: int,
             book: Codebook, index: EntityIndex, floor: int) -> list[tuple[Target, Token]]:
    """The target phrases that can suffer the act, linked to entities (also back through
    "this regime", "him"), each with its head."""
    targets = []
    for (s, e), h in spans:
        linked = index.within(base + s, base + e)
        if trig.person_target and not is_person(h, linked, book):
            continue  # "eliminate disease", "the bases are eliminated"
        if (trig.person_target or can_suffer(h, book, linked)
                or (trig.any_object and h.pos_ in ("NOUN", "PROPN"))):
            referred = None
            if not linked and (back := resolve(h, base + s, floor, index)) is not None:
                linked, referred = [back], back
            targets.append((Target(base + s, base + e, linked, h.lemma_.lower(),
                                   h.pos_ == "PRON", referred), h))
    return targets


def _silenced(head: Token, tokens: list[Token], heads: list[Token],
              spans: list[tuple[tuple[int, int], Token]], trig: Trigger, base: int,
              book: Codebook, index: EntityIndex) -> bool:
    """An idiom ("strike a deal"), a natural agent ("the storm hit"), or a noun that makes the
    act a name ("the theatre of military action")."""
    armed = {h.i for (s, e), h in spans
             if any(ent.type == "WEAPON" for ent in index.within(base + s, base + e))}
    inside = {t.i for t in tokens} | armed  # "squad" in "firing squad" is no object of "fire"
    patients = ([c for c in all_kids(head) if c.dep_ == "nsubj"]
                if takes_subject_as_patient(head, trig) else [])  # "let the law die"
    if idiom(head, heads + patients, book, inside) or natural_agent(head, book):
        return True
    naming = book.idioms.get("governed_by", frozenset())
    return head.head.lemma_.lower() in naming or (
        head.head.dep_ == "prep" and head.head.head.lemma_.lower() in naming)


def _an_act(trig: Trigger, reading: Reading, outcome: bool, heads: list[Token],
            book: Codebook) -> bool:
    """Whether the stance makes the words an act: an instrument named in a report, an end
    reported, a suicide forecast or the speaker's own end are not."""
    if trig.modalities and reading.modality not in trig.modalities:
        return False  # "police found bullets at the scene": an instrument named, no act
    if reading.modality == "report" and outcome:
        return False  # "Rurik had died", "the USSR ceased to exist": an end, not an act
    selves = {h.lower_ for h in heads}
    if heads and selves <= book.cue("reflexives") and (
            reading.modality != "call" or selves <= {"myself", "ourselves"}):
        return False  # "he'll probably kill himself", "I wish I could kill myself": not force
    victims = [h for h in heads if h.lower_ not in book.cue("first_person") and not (
        h.dep_ == "pobj" and h.head.lower_ in ("on", "in", "at"))]  # a place, not a victim
    # "I'll be dead quickly", "I WILL DIE ON THE FRONT", "give me death": the speaker's end
    return not ((outcome or trig.patient_subject) and reading.first_person and not victims)


def _draft(trig: Trigger, tokens: list[Token], sent: Any, base: int, reading: Reading,
           targets: list[tuple[Target, Token]]) -> Draft:
    """The reading in document offsets."""
    def span(first: Token, last: Token) -> tuple[int, int]:
        return base + first.idx, base + last.idx + len(last)

    draft = Draft(trig=trig, span=span(tokens[0], tokens[-1]), reading=reading,
                  sentence=(base + sent.start_char, base + sent.end_char),
                  lemmas=sentence_words(sent).lemmas,
                  targets=[t for t, _ in targets], near=attached_words(tokens),
                  possessor=_possessor(tokens))
    if reading.cue is not None:
        cue, why = reading.cue
        draft.cue = (*span(cue, cue), why)
    if reading.condition is not None:
        draft.condition = span(reading.condition, reading.condition)
    actor = span(reading.actor[0], reading.actor[-1]) if reading.actor else None
    suffers = any((t.start, t.end) == actor for t in draft.targets)  # "Trump must die"
    if actor and not suffers and not any(t in reading.actor for t in tokens):
        draft.actor = actor
    if reading.holder:  # someone else's call or threat: attributed to them, not the speaker
        draft.holder = span(reading.holder[0], reading.holder[-1])
    return draft



SUBJECTS = ("nsubj", "nsubjpass", "csubj")


def attached_words(tokens: list[Token]) -> frozenset[str]:
    """The words around a trigger in the parse, as lemmas and as written: its own, its children
    and grandchildren ("strike over pay"), its governor and the governor's, their subjects and
    the subjects' modifiers ("strategic nuclear forces are in full readiness"), and the
    governor's clauses of condition ("if they attack us, we respond")."""
    ring: list[Token] = []
    for t in tokens:
        governors = [t.head, t.head.head]
        subjects = [c for g in governors for c in g.children if c.dep_ in SUBJECTS]
        ring += [t, *governors, *subjects, *t.children]
        ring += [g for c in t.children for g in c.children]
        ring += [m for sub in subjects for m in sub.children]
        ring += [c for c in t.head.children if c.dep_ == "advcl"]
    return frozenset({w.lemma_.lower() for w in ring} | {w.lower_ for w in ring})


def _possessor(tokens: list[Token]) -> str | None:
    """Who a noun of force belongs to: "Iran's retaliation", "our answer"."""
    owner = next((c for t in tokens for c in t.children if c.dep_ == "poss"), None)
    return owner.lower_ if owner is not None else None
