"""One registry of pipeline components, in the spirit of Presidio's recognizer registry.

A component is any object with a ``name``, the ``languages`` it serves (empty = all) and a
``run(ctx)`` method that reads the shared `Context` and adds to it.  Structure, parsing and
entity linking are components like any detector, so a new detector -- or a new language -- is a
class plus one ``register`` call, with no change to the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from redline.document import Analysis, Document, Finding, Technique

STAGES = ("structure", "parse", "entities", "detect", "score", "finish")


class Component(Protocol):
    name: str
    stage: str
    languages: frozenset[str]

    def run(self, ctx: Context) -> None: ...


@dataclass(slots=True)
class Context:
    """What components share while one document is analysed."""

    document: Document
    analysis: Analysis
    language: str
    chunks: list[Any] = field(default_factory=list)  # parsed pieces (lang.english.Chunk, ...)
    ner: list[Any] = field(default_factory=list)  # entities.NerSpan from a tagger
    scratch: dict[str, Any] = field(default_factory=dict)  # component-private state
    # where a long stage says how far it has got ("english_parse 12/210 pieces"): a progress bar
    progress: Callable[[str], None] = field(default=lambda note: None)

    @property
    def text(self) -> str:
        return self.document.text

    def add_finding(self, finding: Finding) -> None:
        self.analysis.findings.append(finding)

    def add_technique(self, technique: Technique) -> None:
        self.analysis.techniques.append(technique)


class Registry:
    """Ordered components by stage; ``for_language`` picks those that serve a language."""

    def __init__(self) -> None:
        self._components: list[Component] = []

    def register(self, component: Component) -> Component:
        if component.stage not in STAGES:
            raise ValueError(f"unknown stage {component.stage!r} for {component.name}")
        if any(c.name == component.name for c in self._components):
            raise ValueError(f"a component named {component.name!r} is already registered")
        self._components.append(component)
        return component

    def unregister(self, name: str) -> None:
        self._components = [c for c in self._components if c.name != name]

    def names(self) -> list[str]:
        return [c.name for c in self.ordered()]

    def for_language(self, language: str) -> list[Component]:
        return [c for c in self.ordered() if not c.languages or language in c.languages]

    def ordered(self) -> list[Component]:
        """Every component, in stage order (registration order within a stage)."""
        return sorted(self._components, key=lambda c: STAGES.index(c.stage))


def component(
    name: str, stage: str, languages: tuple[str, ...] = (), label: str = ""
) -> Callable[[Callable[[Context], None]], Component]:
    """Make a component from a plain function: ``@component("x", "detect", ("en",))``.
    A parse component's ``label`` names its language for people ("English")."""

    def wrap(fn: Callable[[Context], None]) -> Component:
        return _FunctionComponent(name, stage, frozenset(languages), fn, label)

    return wrap


@dataclass(frozen=True, slots=True)
class _FunctionComponent:
    name: str
    stage: str
    languages: frozenset[str]
    fn: Callable[[Context], None]
    label: str = ""

    def run(self, ctx: Context) -> None:
        self.fn(ctx)
