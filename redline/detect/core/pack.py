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
from redline.detect.core.findings import Draft, assemble
from redline.registry import Context
from redline.vocabulary import vocabulary

PROBES = "stance_probes"  # the Context.scratch key the packs fill and the scorer reads
VETOES = "sense_vetoes"  # the key of the words the rules read as no act of force
PROBES_PER_SENTENCE = 3


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
        for draft in self.drafts(ctx, book, index):
            if isinstance(draft, Veto):
                vetoes.append(draft)
            else:
                ctx.add_finding(assemble(draft, ctx.text, index, book, self.name))
        ctx.scratch.setdefault(PROBES, []).extend(self.probes(ctx, book))
