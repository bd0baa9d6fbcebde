"""The shared base of every language's event detector (a Presidio-style recognizer).

A language pack subclasses `EventPack` and writes one method, `drafts`: walk its parser's
sentences, find codebook triggers, read each into a `Draft`. The base loads the pack's codebook,
indexes the document's entity mentions and turns every draft into a finding through the core's
one assembly. An instance is a registry component (stage "detect", its language), so a new
language is a pack plus one ``register`` call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from redline.detect.core.codebook import Codebook, Trigger, load_codebook
from redline.detect.core.entities import EntityIndex
from redline.detect.core.findings import Draft, around, assemble
from redline.registry import Context
from redline.vocabulary import vocabulary

PROBES = "stance_probes"  # the Context.scratch key the packs fill and the scorer reads
VETOES = "sense_vetoes"  # the key of the words the rules read as no act of force
PROBES_PER_SENTENCE = 3
OWN_SIDE = frozenset({"our", "my", "we", "i", "наш", "мой", "мы", "я"})  # possessors of one's own
NEAR_ENOUGH = 12  # characters between two triggers that name one act ("beaten to death")


@lru_cache(maxsize=1)
def probe_trigger() -> Trigger:
    """The trigger a word of the codebook's [words] probe_words stands for: force whose kind
    is not said ("the response will be swift")."""
    action = vocabulary().action(sorted(vocabulary().actions_where("unspecified"))[0])
    return Trigger(action=action.name, severity=action.severity,
                   cameo_threat=action.cameo_threat, cameo_done=action.cameo_done,
                   words=("<probe>",), kind="noun", needs_target=False)


@dataclass(frozen=True, slots=True)
class Probe:
    """The stance the rules read at a word of force, whether or not it became a finding:
    what the learned scorer weighs beside the words ("sanctions should be applied", where
    the rules found no target)."""

    start: int  # the word's document offset
    modality: str
    own: bool


@dataclass(frozen=True, slots=True)
class Veto:
    """A word of force the rules read and set aside by its sense: an idiom ("hung up the
    phone"), an object that cannot suffer force ("execute the plan"), an end that is no act.
    The learned scorer makes no finding of its own where the rules vetoed every such word."""

    start: int  # the word's document offset
    reason: str


class EventPack:
    """Acts of force in one language: drafts from the pack, findings from the core."""

    stage = "detect"

    def __init__(self, language: str, codebook: str | None = None,
                 name: str | None = None) -> None:
        self.language = language
        self.languages = frozenset({language})
        self.name = name or f"events_{language}"
        self.codebook_path = codebook  # None: the built-in pack's redline/detect/<lang>/

    def codebook(self) -> Codebook:
        return load_codebook(self.language, self.codebook_path)

    def drafts(self, ctx: Context, book: Codebook, index: EntityIndex
               ) -> Iterator[Draft | Veto]:
        """Every act of force the pack reads in the document (``ctx.chunks``), and every word
        of force it sets aside by its sense."""
        raise NotImplementedError

    def probes(self, ctx: Context, book: Codebook) -> Iterator[Probe]:
        """The stance read at the first words of force of every sentence (none by default)."""
        return iter(())

    def run(self, ctx: Context) -> None:
        book = self.codebook()
        index = EntityIndex(ctx.analysis.entities)
        vetoes = ctx.scratch.setdefault(VETOES, [])
        drafts = []
        for draft in self.drafts(ctx, book, index):
            veto = draft if isinstance(draft, Veto) else sense_veto(draft, book)
            if veto is not None:
                vetoes.append(veto)
            else:
                drafts.append(veiled_threat(draft))
        for draft in gives_way(drafts):
            ctx.add_finding(assemble(draft, ctx.text, index, book, self.name))
        ctx.scratch.setdefault(PROBES, []).extend(self.probes(ctx, book))


def sense_veto(draft: Draft, book: Codebook) -> Veto | None:
    """A veto when the words around the trigger give it a sense other than force: they lack
    its context words ("deploy" with no troops, missiles or forces near it) or hold words of
    another sense ([senses]: a "strike" by workers, over wages)."""
    trig = draft.trig
    besides = around(draft) - set(trig.words)  # the words near it besides the trigger's own
    if trig.context and not besides & book.word(trig.context):
        return Veto(draft.span[0], f"no word of its {trig.context.replace('_', ' ')} in the "
                                   "sentence")
    other = besides & book.senses.get(trig.words[0], frozenset())
    if other:
        return Veto(draft.span[0], f"'{sorted(other)[0]}' gives it another sense")
    return None


def veiled_threat(draft: Draft) -> Draft:
    """An answer forecast with no agent named and no one else's stance ("retaliation will be
    immediate", "any attack will meet a crushing response") is the speaker's threat: an answer
    is given by the side that is answered, and the speaker speaks for it.  A noun's agent is
    never its clause's subject ("any attack will receive a response"); a verb's is ("they
    will respond" forecasts)."""
    r = draft.reading
    # a noun's clause subject is no agent ("any attack will receive a response"); its
    # possessor is, unless it is the speaker's side ("Iran's retaliation", not "our answer")
    unnamed = (not r.actor if draft.trig.kind == "verb"
               else draft.possessor is None or draft.possessor in OWN_SIDE)
    if draft.trig.answer and r.modality == "prediction" and unnamed and not r.holder:
        r.modality = "threat"
        if draft.cue is not None:
            draft.cue = (*draft.cue[:2], "an answer forecast with no one else to give it: "
                                         "the speaker's veiled threat")
    return draft


def gives_way(drafts: list[Draft]) -> list[Draft]:
    """The drafts without those whose action gives way (vocabulary ``gives_way_to``) to another
    draft of the same act: unspecified force where the kind of the act is named
    ("annexed by force" is annexation), a beating that kills ("beaten to death" is a killing).
    "Any attack on us will meet a decisive response" keeps both: the attack is forecast, the
    response threatened."""
    def one_act(a: Draft, b: Draft) -> bool:
        """Two drafts of one act: one sentence, one stance, triggers side by side or a target
        in common ("beaten to death"; not "tortured prisoners and executed two journalists")."""
        gap = max(a.span[0], b.span[0]) - min(a.span[1], b.span[1])
        shared = {(t.start, t.end) for t in a.targets} & {(t.start, t.end) for t in b.targets}
        # one stance word over both ("we will answer any provocation with a crushing blow"):
        # one clause's act; not for reports, whose cue may be a verb of saying over several acts
        one_cue = (a.reading.modality != "report" and a.cue is not None
                   and a.cue[:2] == (b.cue or ())[:2])
        return (a.sentence == b.sentence and a.reading.modality == b.reading.modality
                and (gap <= NEAR_ENOUGH or bool(shared) or one_cue))

    def yields(d: Draft) -> bool:
        way = vocabulary().action(d.trig.action).gives_way_to
        return any(o.trig.action != d.trig.action and ("*" in way or o.trig.action in way)
                   and one_act(d, o) for o in drafts)

    return [d for d in drafts if not yields(d)]
