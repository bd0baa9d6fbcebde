"""From what a language pack read to a finding: one assembly for every language.

A pack reads a trigger into a `Draft`: the trigger's span, its `Reading` (modality and the
token that decided it), the condition, targets, actor and the holder of a reported stance, all
in document offsets. `assemble` makes the finding: evidence spans in a fixed order, each with
its reason; participants linked to entities; the finding's span (everything it cites, inside
its sentence); severity on the ladder, CAMEO code and calibrated confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redline.detect.core.codebook import Codebook, Trigger
from redline.detect.core.confidence import calibrate, raw_confidence
from redline.detect.core.entities import REPORTED, EntityIndex, held_by
from redline.document import Entity, Evidence, Finding, Participant
from redline.vocabulary import vocabulary


@dataclass(slots=True)
class Reading:
    """What a sentence says about one trigger: the stance and what decided it."""

    modality: str = "report"
    conditional: bool = False
    cue: tuple[Any, str] | None = None  # the token that decided the modality, and why
    condition: Any | None = None
    negation: Any | None = None
    actor: list[Any] = field(default_factory=list)
    first_person: bool = False
    imperative: bool = False  # a direct command ("Execute!", "Convict and execute")
    intended: bool = False  # a past intention ("was going to strike"): reported, not carried out
    holder: list[Any] = field(default_factory=list)  # whose stance it is, when not the speaker's


def answered_act(answering: Any) -> Reading:
    """The reading of an act a clause answers ("we will respond to the attack on our base",
    «ответим на вчерашний удар»): the other side's act, done, whatever the answer's stance;
    the answering verb decided it. One that may come is the answer's condition instead, and
    is not read at all."""
    return Reading(modality="report", cue=(answering, "the act this answers: the other "
                                                       "side's, already done"))


def own_stance_unaimed(trig: Trigger, reading: Reading, has_object: bool, direct: bool,
                       book: Codebook) -> bool:
    """The speaker's side urging, threatening or offering its own act of force with no object
    ("we will have to attack", "we must launch a swift strike", «нам придётся ударить»): the
    act needs no named target, as a threat does not. The stance is the finding; a strike among
    workers is ruled out by its senses, and "strike a balance" has an object, which the idiom
    checks read. Not an act done only to people ("raped", lemmatised "rap": "I could rap all
    night"), nor a word that without an object means no force (`object_senses`: "we need to
    execute better"). Only the act the clause does (``direct``: its verb, or the verb's object,
    "deliver a strike"), not one it answers ("we will respond to any attack")."""
    return (direct and not trig.person_target and not has_object and reading.first_person
            and not reading.holder and reading.modality in ("call", "threat", "proposal")
            and " ".join(trig.words) not in book.word("object_senses"))


@dataclass(slots=True)
class Target:
    """A target phrase in document offsets, with the entities it names."""

    start: int
    end: int
    linked: list[Entity]
    lemma: str  # its head's lemma, lower case (a city noun raises destruction's severity)
    pronoun: bool  # its head is a pronoun (a weaker reading)
    referred: Entity | None = None  # the entity it points back to ("this regime")


@dataclass(slots=True)
class Draft:
    """What a pack read for one trigger, in document offsets, ready to assemble."""

    trig: Trigger
    span: tuple[int, int]
    reading: Reading
    sentence: tuple[int, int]
    lemmas: frozenset[str]  # the sentence's lemmas, for the severity words
    # The lemmas around the trigger in the parse (its words, children and grandchildren, its
    # governor and the governor's, their subjects): where senses, contexts and means are read.
    # Empty: a pack without a parse, which reads the sentence instead.
    near: frozenset[str] = frozenset()
    possessor: str | None = None  # who a noun of force belongs to ("Iran's retaliation")
    cue: tuple[int, int, str] | None = None  # the deciding token's span and its reason
    condition: tuple[int, int] | None = None
    targets: list[Target] = field(default_factory=list)
    actor: tuple[int, int] | None = None
    holder: tuple[int, int] | None = None


def assemble(d: Draft, text: str, index: EntityIndex, book: Codebook,
             detector: str) -> Finding:
    """The finding for a draft: evidence, participants, span, severity, CAMEO, confidence."""
    shown = distinct_targets(d.targets)  # severity and confidence still read every phrase
    t_start, t_end = d.span
    r = d.reading
    why = trigger_why(text[t_start:t_end], d.trig, book)
    cue = []
    if d.cue is not None:
        cs, ce, cue_why = d.cue
        if (cs, ce) == d.span:  # "Hang them!": the verb is its own cue, one span, both reasons
            why = f"{why}; {cue_why} → {r.modality}"
        else:
            cue = [Evidence(cs, ce, text[cs:ce], f"{cue_why} → {r.modality}")]
    evidence = [Evidence(t_start, t_end, text[t_start:t_end], why), *cue]
    if d.condition is not None:
        cs, ce = d.condition
        evidence.append(Evidence(cs, ce, text[cs:ce],
                                 "a condition: the act is threatened only if it is met"))
    evidence += [_target_evidence(t, text) for t in shown[:3]]
    actor = None
    if d.actor is not None:
        a_s, a_e = d.actor
        linked = index.within(a_s, a_e)
        actor = Participant(text=text[a_s:a_e], entity=linked[0].id if linked else None,
                            start=a_s, end=a_e)
    speaker = None
    if d.holder is not None:  # someone else's call or threat: attributed to them
        speaker, said = held_by(text, *d.holder, index, REPORTED)
        evidence.append(said)
    start, end = _extent(d)
    return Finding(
        start=start, end=end, text=text[start:end], action=d.trig.action,
        modality=r.modality, conditional=r.conditional, severity=severity(d, book),
        confidence=calibrate(raw_confidence(d.trig, r.modality, d.targets), book.language),
        evidence=evidence, actor=actor,
        targets=[Participant(text=text[t.start:t.end],
                             entity=t.linked[0].id if t.linked else None,
                             start=t.start, end=t.end) for t in shown],
        cameo=cameo_code(d.trig, r, by_means(d, book)), speaker=speaker, detector=detector)


def distinct_targets(targets: list[Target]) -> list[Target]:
    """The targets less those inside another that name nothing it does not: "this terrorist
    regime and all of its leadership" is one target, not three ("all of its leadership", "its
    leadership" are inside it); "Kyiv" inside "the government quarter of Kyiv" stays when the
    outer phrase links no entity of its own."""
    def covered(t: Target) -> bool:
        return any(o is not t and o.start <= t.start and t.end <= o.end
                   and (o.start, o.end) != (t.start, t.end)
                   and {e.id for e in t.linked} <= {e.id for e in o.linked}
                   for o in targets)
    seen: set[tuple[int, int]] = set()
    out = []
    for t in targets:
        if covered(t) or (t.start, t.end) in seen:
            continue
        seen.add((t.start, t.end))
        out.append(t)
    return out


def _target_evidence(t: Target, text: str) -> Evidence:
    kind = f" ({t.linked[0].name}, {t.linked[0].type})" if t.linked else ""
    if t.referred is not None:
        kind = f", pointing back to {t.referred.name} named earlier in the turn"
    return Evidence(t.start, t.end, text[t.start:t.end], f"target of the act{kind}")


def _extent(d: Draft) -> tuple[int, int]:
    """Everything the finding cites, cut to its sentence."""
    parts = [*d.span, *(x for t in d.targets for x in (t.start, t.end))]
    for span in (d.actor, d.cue[:2] if d.cue else None, d.holder):
        if span is not None:
            parts += span
    return max(min(parts), d.sentence[0]), min(max(parts), d.sentence[1])


def trigger_why(surface: str, trig: Trigger, book: Codebook) -> str:
    """The plain reason of a trigger span; an act aimed at a whole people says so."""
    aimed = (f", aimed at a people or at everyone of a kind: {trig.words[0].replace('_', ' ')}"
             if trig.kind == "named" else "")
    return (f"'{surface}' names an act of {vocabulary().action(trig.action).why} "
            f"({book.label}: {trig.action}, base severity {trig.severity}{aimed})")


def severity(d: Draft, book: Codebook) -> int:
    """The trigger's rung, moved by what the sentence says: an answer with no target is an
    unspecified threat ("a military response"), destruction short of a city or a state is a
    limited attack ("destroy the bridge"), totality raises it ("the whole city"), and so do
    nuclear forces a show of force ("nuclear forces on high alert")."""
    action = vocabulary().action(d.trig.action)
    sev = d.trig.severity
    if action.no_answer_severity is not None and d.lemmas & book.word("answer_words"):
        sev = action.no_answer_severity if not d.targets else sev
    if action.small_target_severity is not None:
        kinds = {ent.kind for t in d.targets for ent in t.linked}
        nouns = {t.lemma for t in d.targets}
        if not (kinds & vocabulary().big_target_kinds or nouns & book.word("city_nouns")):
            sev = action.small_target_severity
    if action.total_raises and d.lemmas & book.word("totality_words"):
        sev = min(sev + 1, 9)
    if action.nuclear_raises and around(d) & book.word("nuclear_words"):
        sev += 1  # "strategic nuclear forces are in full readiness"
    return sev


def by_means(d: Draft, book: Codebook) -> str | None:
    """The carried-out CAMEO code of the means the sentence names, from the codebook's
    [means.<action>] table (code -> words, first match wins): a car bombing is 1832, shelling
    194, an air strike 195, an attempt on a life 185."""
    words_near = around(d)
    for code, words in book.table("means").get(d.trig.action, {}).items():
        # "car+bomb": every part near the trigger (a car alone is no car bomb)
        if any(set(w.split("+")) <= words_near for w in words):
            return code
    return None


def around(d: Draft) -> frozenset[str]:
    """The words a draft's senses, contexts and means are read in: those around its trigger in
    the parse, or the sentence's where the pack has no parse."""
    return d.near or d.lemmas


def cameo_code(trig: Trigger, reading: Reading, means: str | None = None) -> str | None:
    """The contract's CAMEO rule: threatened code, carried-out code (``means``: the code of
    the means the sentence names), 012, or none."""
    if reading.modality in ("negated", "question"):
        return None
    if reading.modality == "report":  # a past intention was threatened, never carried out
        return trig.cameo_threat if reading.intended else (means or trig.cameo_done)
    if reading.modality == "prediction" and not reading.first_person:
        return "012"
    return trig.cameo_threat
