"""The shared base of every language's event detector (a Presidio-style recognizer).

A language pack subclasses `EventPack` and writes one method, `drafts`: walk its parser's
sentences, find codebook triggers, read each into a `Draft`. The base loads the pack's codebook,
indexes the document's entity mentions and turns every draft into a finding through the core's
one assembly. An instance is a registry component (stage "detect", its language), so a new
language is a pack plus one ``register`` call.
"""

from __future__ import annotations

from collections.abc import Iterator

from redline.detect.core.codebook import Codebook, load_codebook
from redline.detect.core.entities import EntityIndex
from redline.detect.core.findings import Draft, assemble
from redline.registry import Context


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

    def drafts(self, ctx: Context, book: Codebook, index: EntityIndex) -> Iterator[Draft]:
        """Every act of force the pack reads in the document (``ctx.chunks``)."""
        raise NotImplementedError

    def run(self, ctx: Context) -> None:
        book = self.codebook()
        index = EntityIndex(ctx.analysis.entities)
        for draft in self.drafts(ctx, book, index):
            ctx.add_finding(assemble(draft, ctx.text, index, book, self.name))
