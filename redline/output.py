"""Where analyses go: one stream (stdout or a file) or one file per document in a folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from redline.document import Analysis
from redline.report.text import render_text

SUFFIX = {"json": ".json", "jsonl": ".json", "text": ".txt"}


def render(analysis: Analysis, fmt: str) -> str:
    """One analysis in ``fmt``: pretty JSON, one JSON line, or the text summary."""
    if fmt == "jsonl":
        return analysis.to_json(indent=None) + "\n"
    if fmt == "json":
        return analysis.to_json() + "\n"
    return render_text(analysis)


class StreamWriter:
    """Analyses in input order on one stream; several ``json`` analyses form a JSON array."""

    def __init__(self, stream: TextIO, fmt: str, as_array: bool) -> None:
        self.stream, self.fmt, self.as_array = stream, fmt, as_array
        self.count = 0
        if as_array:
            stream.write("[\n")

    def write(self, analysis: Analysis) -> None:
        text = render(analysis, self.fmt)
        if self.as_array:
            text = ("" if self.count == 0 else ",\n") + text.rstrip("\n")
        elif self.fmt == "text" and self.count:
            text = "\n" + text
        self.stream.write(text)
        self.stream.flush()
        self.count += 1

    def close(self) -> None:
        if self.as_array:
            self.stream.write("\n]\n")


class DirWriter:
    """One file per document in a folder, named after its source (speech.txt -> speech.json)."""

    def __init__(self, folder: Path, fmt: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.fmt = folder, fmt
        self.used: set[str] = set()

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
        (self.folder / (name + SUFFIX[self.fmt])).write_text(render(analysis, self.fmt), "utf-8")

    def close(self) -> None:
        return None


def _safe_stem(stem: str) -> str:
    """A file name that cannot escape the folder or hide: letters, digits, ``._-`` only."""
    cleaned = re.sub(r"[^\w.-]+", "_", stem).strip("._") or "document"
    return cleaned[:120]
