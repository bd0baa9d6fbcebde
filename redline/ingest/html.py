"""Main text of an HTML page, keeping speaker labels such as ``<b>Name:</b>`` at line starts.

trafilatura finds the article body and drops site chrome; it keeps the text of bold labels in
place, so the structure parser sees ``Vladimir Putin: ...`` lines.  When trafilatura finds
nothing (a fragment, malformed markup), we fall back to the visible text of the whole page.

libxml2, under both, stops building the tree about 255 elements deep and drops what lies
below: a hostile page can hide its body that way.  A page nested that deep is read by a plain
tokenizer with no depth limit instead (`PlainText`), and the document says so.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import trafilatura
from lxml import html as lxml_html

_BLANK_RUNS = re.compile(r"\n{3,}")


DEEP = 200  # elements: deeper than this, libxml2 may drop text (its limit is about 255)


def html_to_text(markup: str) -> tuple[str, str | None, list[str]]:
    """Return ``(text, title, warnings)``; text paragraphs are separated by newlines."""
    plain = PlainText()
    plain.feed(markup)
    plain.close()
    if plain.deepest > DEEP:
        return plain.text(), plain.title(), [
            f"the page is nested {plain.deepest} elements deep, beyond what the HTML parser "
            "keeps: its whole visible text was read, without telling the article from the "
            "site's menus and footers"]
    text, title = _article(markup)
    return text, title, []


def _article(markup: str) -> tuple[str, str | None]:
    """trafilatura's main text and title (the visible text when it finds no article)."""
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


_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"])
_HIDDEN = frozenset(("script", "style", "noscript", "template"))
# Elements whose end tag may be left out: an open one is closed by its next sibling, so it does
# not count toward the depth.
_OPTIONAL_END = frozenset(["p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
                           "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp"])
_BLOCKS = frozenset(["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                     "section", "article", "blockquote"])


class PlainText(HTMLParser):
    """The visible text of a page and how deep its elements nest, in one pass of the standard
    library's tokenizer, which keeps no tree and so has no depth limit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.deepest = self.hidden = 0
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag in _VOID or tag in _OPTIONAL_END:
            return
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        self.hidden += tag in _HIDDEN
        self.in_title = self.in_title or tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag in _VOID or tag in _OPTIONAL_END:
            return
        self.depth = max(self.depth - 1, 0)
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.hidden:
            self.parts.append(data)

    def text(self) -> str:
        """The visible text, one line per block, blank lines dropped."""
        lines = (line.strip() for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)

    def title(self) -> str | None:
        return " ".join("".join(self.title_parts).split()) or None
