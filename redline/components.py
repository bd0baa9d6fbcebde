"""The built-in components and the default registry.

Detectors of escalation events and persuasion techniques register here as they are added.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from redline.detect.core.join import ScoreJoin
from redline.detect.en import EnglishEvents
from redline.detect.ru import RussianEvents
from redline.detect.tagger import tag_techniques
from redline.detect.techniques import detect_techniques
from redline.entities import NerSpan, link_entities, prune_index
from redline.lang.english import paragraph_cuts, parse_english
from redline.lang.russian import parse_russian
from redline.quotes import attribute_quotes
from redline.registry import Context, Registry, component
from redline.structure import parse_structure, speaker_mentions


@component("structure", "structure")
def structure(ctx: Context) -> None:
    """Title, headings, intro, speaker turns, notes and comments."""
    segments = parse_structure(ctx.text, ctx.document.title)
    ctx.analysis.segments = segments
    if ctx.document.title is None:
        ctx.document.title = next(
            (ctx.text[s.start : s.end] for s in segments if s.kind == "title"), None
        )


@component("english_parse", "parse", ("en",), label="English")
def english_parse(ctx: Context) -> None:
    """spaCy parse of every segment; keeps the named-entity spans for entity linking."""
    spans = [(s.start, s.end) for s in ctx.analysis.segments]
    ctx.document.warnings += paragraph_cuts(ctx.text, spans)
    ctx.chunks = parse_english(ctx.text, spans, on_batch=_counter(ctx, "english_parse"))
    ctx.ner = [
        NerSpan(c.base + ent.start_char, c.base + ent.end_char, ent.label_)
        for c in ctx.chunks
        for ent in c.doc.ents
    ]


@component("russian_parse", "parse", ("ru",), label="Russian")
def russian_parse(ctx: Context) -> None:
    """natasha parse of every segment; keeps NER spans with their nominative forms."""
    spans = [(s.start, s.end) for s in ctx.analysis.segments]
    ctx.document.warnings += paragraph_cuts(ctx.text, spans)
    ctx.chunks = parse_russian(ctx.text, spans, on_piece=_counter(ctx, "russian_parse"))
    ctx.ner = [NerSpan(s, e, label, normal) for c in ctx.chunks for s, e, label, normal in c.ner]


def _counter(ctx: Context, stage: str) -> Callable[[int, int], None]:
    """A parser's count of pieces read, passed on as the stage's progress."""
    return lambda done, total: ctx.progress(f"{stage} {done:,}/{total:,} pieces")


@component("entities", "entities")
def entities(ctx: Context) -> None:
    """Gazetteer (all languages) plus the NER spans of the language's parser."""
    speakers = speaker_mentions(ctx.text, ctx.analysis.segments)
    ctx.analysis.entities = link_entities(ctx.text, ctx.ner, speakers)


@component("techniques", "detect")
def techniques(ctx: Context) -> None:
    """Persuasion techniques from the language's cue file (SemEval-2023 Task 3 codes); a
    language without one has none."""
    detect_techniques(ctx)


@component("technique_tagger", "detect")
def technique_tagger(ctx: Context) -> None:
    """Loaded language, name calling and the other techniques a trained word tagger reads
    where no cue marks them (redline/detect/tagger.py); nothing where no model is shipped."""
    tag_techniques(ctx)


@component("quotes", "finish")
def quotes(ctx: Context) -> None:
    """Findings inside a quotation whose source is named are that source's words."""
    attribute_quotes(ctx.analysis, ctx.text)


@component("entity_index", "finish")
def entity_index(ctx: Context) -> None:
    """The entity index keeps what the gazetteer, a speaker label or a checked tagger span
    gives (entities.index_entities); it runs last, after every reader of the full list."""
    prune_index(ctx.analysis)


@lru_cache(maxsize=1)
def shared_registry() -> Registry:
    """The registry `redline.analyze` uses: the built-in components; register more here (a new
    language pack, a detector of your own) and every command picks them up."""
    return default_registry()


def default_registry() -> Registry:
    """A fresh registry with every built-in component."""
    reg = Registry()
    for comp in (structure, english_parse, russian_parse, entities, EnglishEvents("en"),
                 RussianEvents("ru"), techniques, technique_tagger, ScoreJoin(), quotes,
                 entity_index):
        reg.register(comp)
    return reg
