"""Where analyses go: one stream (stdout or a file) or one file per document in a folder.

An HTML report is a whole page, so a stream holds at most one; a folder of HTML reports also
gets an ``index.html`` that lists them, most severe first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from redline.document import Analysis
from redline.errors import RedlineError, printable
from redline.report.text import render_text

SUFFIX = {"json": ".json", "jsonl": ".json", "text": ".txt", "html": ".html"}
INDEX_STEM = "index"  # the batch index page in a folder of HTML reports


class OutputError(RedlineError):
    """The output cannot take this analysis: a second document for a one-page HTML report, or
    the disk or device refused the bytes (full, read-only, an I/O error)."""


def written(where: str, action: Callable[[], object]) -> None:
    """Run a write; an operating-system refusal becomes one `OutputError` line naming
    ``where`` (``--out /dev/full`` is a full disk, not a traceback)."""
    try:
        action()
    except OSError as exc:
        raise OutputError(f"{where}: cannot write the output ({exc.strerror or exc})") from exc


def render(analysis: Analysis, fmt: str) -> str:
    """One analysis in ``fmt``: pretty JSON, one JSON line, the text summary or an HTML page."""
    if fmt == "html":
        from redline.report.html import render_html  # Jinja2 loads only when asked for

        return render_html(analysis)
    if fmt == "jsonl":
        return analysis.to_json(indent=None) + "\n"
    if fmt == "json":
        return analysis.to_json() + "\n"
    return render_text(analysis)


class StreamWriter:
    """Analyses in input order on one stream; several ``json`` analyses form a JSON array."""

    def __init__(self, stream: TextIO, fmt: str, as_array: bool,
                 where: str = "standard output") -> None:
        self.stream, self.fmt, self.as_array, self.where = stream, fmt, as_array, where
        self.count = 0
        if as_array:
            written(where, lambda: stream.write("[\n"))

    def write(self, analysis: Analysis) -> None:
        if self.fmt == "html" and self.count:
            raise OutputError(
                f"{printable(analysis.document.source or analysis.document.id)}: --format html "
                "makes one page per document and this input holds several: give --out DIR/"
            )
        text = render(analysis, self.fmt)
        if self.as_array:
            text = ("" if self.count == 0 else ",\n") + text.rstrip("\n")
        elif self.fmt == "text" and self.count:
            text = "\n" + text
        written(self.where, lambda: (self.stream.write(text), self.stream.flush()))
        self.count += 1

    def close(self) -> None:
        """End the JSON array, if any, and push everything out (a full disk says so here)."""
        if self.as_array:
            written(self.where, lambda: self.stream.write("\n]\n"))
        written(self.where, self.stream.flush)


class DirWriter:
    """One file per document in a folder, named after its source (speech.txt -> speech.json)."""

    def __init__(self, folder: Path, fmt: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.fmt = folder, fmt
        self.used: set[str] = {INDEX_STEM} if fmt == "html" else set()
        self.index: list[dict] = []

    def write(self, analysis: Analysis) -> None:
        doc = analysis.document
        stem = _safe_stem(
            Path(doc.source).stem if doc.source and doc.source != "<stdin>" else doc.id
        )
        if doc.meta.get("id") is not None:  # JSONL lines: name them by their id
            stem = _safe_stem(str(doc.meta["id"]))
        name, n = stem, 1
        while name in self.used:
            n += 1
            name = f"{stem}-{n}"
        self.used.add(name)
        filename = name + SUFFIX[self.fmt]
        path = self.folder / filename
        text = render(analysis, self.fmt)
        written(str(path), lambda: path.write_text(text, "utf-8"))
        if self.fmt == "html":
            from redline.report.html import index_entry

            self.index.append(index_entry(analysis, filename))

    def close(self) -> None:
        """For HTML, write ``index.html`` over the reports written (none: no index)."""
        if self.fmt == "html" and self.index:
            from redline.report.html import render_index

            page = render_index(self.index, title=f"redline reports: {self.folder.name or '.'}")
            path = self.folder / (INDEX_STEM + ".html")
            written(str(path), lambda: path.write_text(page, "utf-8"))


def _safe_stem(stem: str) -> str:
    """A file name that cannot escape the folder or hide: letters, digits, ``._-`` only."""
    cleaned = re.sub(r"[^\w.-]+", "_", stem).strip("._") or "document"
    return cleaned[:120]
