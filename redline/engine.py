"""Run the registered components over one document and return its `Analysis`."""

from __future__ import annotations

from collections.abc import Callable

from redline import __version__
from redline.components import shared_registry
from redline.document import Analysis, Document
from redline.lang.identify import identify_language
from redline.languages import language_codes
from redline.registry import Context, Registry

registry = shared_registry  # the registry `analyze` uses; register a language pack here


def _shared() -> Registry:
    return shared_registry()


def analyze(
    text: str,
    *,
    lang: str = "auto",
    title: str | None = None,
    source: str | None = None,
    registry: Registry | None = None,
) -> Analysis:
    """Analyse ``text`` (English or Russian; ``lang="auto"`` identifies it)."""
    return analyze_document(
        Document(text=text, title=title, source=source), lang=lang, registry=registry
    )


def analyze_document(
    doc: Document, *, lang: str = "auto", registry: Registry | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Analysis:
    """Analyse a prepared `Document`; unsupported languages are segmented only, with a warning.
    ``on_stage`` hears each component's name before it runs, and a long stage's count of its
    work (progress on a long document)."""
    if lang == "auto":
        lang = str(doc.meta.get("lang") or "") or identify_language(doc.text)
    doc.language = lang
    analysis = Analysis(document=doc, version=__version__)
    reg = registry or _shared()
    supported = language_codes(reg)
    if lang not in supported:
        doc.warnings.append(
            f"language {lang!r} is not supported yet: only the structure was "
            f"analysed (supported: {', '.join(supported)})"
        )
    ctx = Context(document=doc, analysis=analysis, language=lang)
    if on_stage is not None:
        ctx.progress = on_stage
    for comp in reg.for_language(lang):
        if lang in supported or comp.stage == "structure":
            ctx.progress(comp.name)
            comp.run(ctx)
    _finish(analysis)
    return analysis


def _finish(analysis: Analysis) -> None:
    """Place findings and techniques in their segments, drop any that cross one, number all."""
    for kind in ("findings", "techniques"):
        kept = []
        for item in getattr(analysis, kind):
            seg = analysis.segment_at(item.start)
            if seg is None or item.end > seg.end:
                analysis.document.warnings.append(
                    f"dropped a {kind[:-1]} at {item.start}-{item.end}: "
                    "it crosses a segment boundary"
                )
                continue
            item.segment = seg.id
            if kind == "findings":  # a detector names the holder of a reported stance
                item.speaker = item.speaker or seg.speaker
            kept.append(item)
        kept.sort(key=lambda x: (x.start, x.end, getattr(x, "action", getattr(x, "technique", ""))))
        prefix = "f" if kind == "findings" else "t"
        for n, item in enumerate(kept, start=1):
            item.id = f"{prefix}{n}"
        setattr(analysis, kind, kept)
