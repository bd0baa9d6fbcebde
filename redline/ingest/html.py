"""Main text of an HTML page, keeping speaker labels such as ``<b>Name:</b>`` at line starts.

trafilatura finds the article body and drops site chrome; it keeps the text of bold labels in
place, so the structure parser sees ``Vladimir Putin: ...`` lines.  When trafilatura finds
nothing (a fragment, malformed markup), we fall back to the visible text of the whole page.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import html as lxml_html

_BLANK_RUNS = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Return ``(text, title)``; text paragraphs are separated by newlines."""
    text = trafilatura.extract(
        markup,
        include_comments=True,
        include_tables=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=False,
    )
    title = None
    try:
        meta = trafilatura.extract_metadata(markup)
        title = meta.title if meta is not None else None
    except Exception:  # trafilatura raises assorted errors on broken markup
        title = None
    if not text:
        text = _visible_text(markup)
    return _BLANK_RUNS.sub("\n\n", text).strip("\n"), (title or None)


def _visible_text(markup: str) -> str:
    try:
        tree = lxml_html.fromstring(markup)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for block in tree.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//h5|//h6|//tr"):
        block.tail = "\n" + (block.tail or "")
    lines = (line.strip() for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)
