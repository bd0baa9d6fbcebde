"""Turn command-line inputs into documents, reporting each unreadable one without stopping.

`iter_documents` yields `Document` or `InputError` items in input order, so a batch goes on
after a bad file and the caller decides how to report it. What redline knows about each kind
of file is one table, `READERS` (suffix -> `Reader`): how to read it from disk or from bytes,
whether it holds many documents, how to count them. The command line, the corpus store, the
web app and its upload form all read that table.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from redline.document import Document
from redline.errors import InputError
from redline.ingest.encoding import BinaryInput, decode_bytes
from redline.ingest.files import file_kind, open_regular, read_bounded
from redline.ingest.html import html_to_text
from redline.ingest.subtitles import SUBTITLE_SUFFIXES, subtitle_document
from redline.ingest.telegram import count_messages, read_export

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
TELEGRAM_SUFFIXES = {".json"}  # Telegram Desktop exports (result.json)
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
JSONL_FIELDS = ("id", "title", "source", "date", "year", "speaker", "lang", "url", "country")

Item = Document | InputError


def iter_documents(
    paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Yield a `Document` or an `InputError` for every input, in order."""
    for raw in paths:
        if raw == "-":
            yield from _read_stdin(stdin or sys.stdin.buffer, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _read_dir(path, max_bytes)
        elif path.exists():
            yield from _read_file(path, max_bytes, explicit=True)
        elif path.is_symlink():
            yield InputError(raw, f"broken symbolic link ({_stat_problem(path)})")
        else:
            yield InputError(raw, "no such file or directory")


def _stat_problem(path: Path) -> str:
    """Why ``path`` cannot be followed: a missing target, a loop of links."""
    try:
        path.stat()
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    return "it cannot be followed"


def _read_dir(root: Path, max_bytes: int) -> Iterator[Item]:
    files = []
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files.extend(Path(dirpath) / f for f in filenames if not f.startswith("."))
    for exc in unreadable:  # os.walk skips a folder it cannot list; say so
        yield InputError(str(exc.filename or root),
                         f"cannot read this directory: {exc.strerror or exc}")
    for path in sorted(files):
        yield from _read_file(path, max_bytes, explicit=False)
    if not files and not unreadable:
        yield InputError(str(root), "directory holds no files")


def _read_file(path: Path, max_bytes: int, *, explicit: bool) -> Iterator[Item]:
    """The documents of one file, or one error: a file that is not a regular one is named and
    skipped before it is opened (a named pipe would block the batch, a device never ends)."""
    name = str(path)
    suffix = path.suffix.lower()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield InputError(name, f"not a regular file ({file_kind(info.st_mode)}): skipped")
            return
        reader = READERS.get(suffix)
        if reader is None:
            kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
            yield InputError(
                name, f"unsupported file type {suffix or '(none)'!r}; redline reads {kinds}"
            )
            return
        if not reader.many and info.st_size > max_bytes:
            yield InputError(name, _too_large(info.st_size, max_bytes))
            return
        yield from reader.read(path, name, max_bytes)
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")


def _too_large(size: int, max_bytes: int) -> str:
    """The message for a file over the limit: both sizes, and how to raise it."""
    return (f"file is {human_size(size)}, over the limit of {human_size(max_bytes)} "
            "(raise it with --max-size, in MB)")


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError(
            "<stdin>",
            f"input is over the limit of {human_size(max_bytes)} (raise it with --max-size)",
        )
        return
    yield _document_from_bytes(data, "<stdin>", None)


_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S)


def _document_from_bytes(data: bytes, name: str, suffix: str | None) -> Item:
    """Decode and build a document; ``suffix=None`` (stdin) sniffs HTML on the decoded text."""
    if not data.strip():
        return InputError(name, "empty input, nothing to analyse")
    try:
        text, encoding = decode_bytes(data)
    except BinaryInput as exc:
        return InputError(name, str(exc))
    if suffix in SUBTITLE_SUFFIXES:
        return subtitle_document(text, name, encoding)
    title = None
    if suffix is None:
        suffix = ".html" if _HTML_START.match(text[:4096]) else ".txt"
    warnings: list[str] = []
    if suffix in HTML_SUFFIXES:
        text, title, warnings = html_to_text(text)
        if not text.strip():
            return InputError(name, "no readable text in this HTML page")
    if not text.strip():
        return InputError(name, "empty input, nothing to analyse")
    doc = Document(text=text, source=name, title=title)
    doc.meta["encoding"] = encoding
    doc.warnings += warnings
    return doc


def _read_jsonl(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[Item]:
    seen = False
    for lineno, raw in enumerate(_bounded_lines(stream, max_bytes), start=1):
        where = f"{name}:{lineno}"
        if raw is not None and not raw.strip():
            continue
        seen = True
        if raw is None:
            yield InputError(where, "line is over the size limit (raise it with --max-size)")
            continue
        try:
            record = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield InputError(where, f"not valid JSON ({_short(exc)})")
            continue
        yield _document_from_record(record, where, name)
    if not seen:
        yield InputError(name, "empty input, no JSON lines")


def _bounded_lines(stream: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """The lines of ``stream``, None for one over ``max_bytes`` (read past, never held)."""
    while line := stream.readline(max_bytes + 1):
        if len(line) <= max_bytes:
            yield line
            continue
        while line and not line.endswith(b"\n"):  # skip the rest of the long line
            line = stream.readline(1048576)
        yield None


def _document_from_record(record: object, where: str, name: str) -> Item:
    if not isinstance(record, dict):
        return InputError(where, "a JSON line must be an object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str):
        return InputError(where, "no 'text' field (a string) in this JSON line")
    if not text.strip():
        return InputError(where, "empty 'text', nothing to analyse")
    meta = {k: record[k] for k in JSONL_FIELDS if record.get(k) is not None}
    doc = Document(
        text=text,
        id=str(meta.get("id", "")),
        title=_str_or_none(meta.get("title")),
        source=_str_or_none(meta.get("source")) or where,
    )
    doc.meta.update(meta)
    return doc


def human_size(n: int) -> str:
    """Bytes as a short, never self-contradictory size: 812 bytes, 20.5 KB, 50.0 MB."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1048576:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1048576:.1f} MB"


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:80]


# --- the table of readers --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Reader:
    """How redline reads one kind of file: from disk (``read``: path, name, size limit) and
    from bytes (``decode``: an upload or standard input), whether a file holds many documents
    (a whole-file size limit does not apply; the web app takes one at a time) and how to
    count them (for progress)."""

    read: Callable[[Path, str, int], Iterator[Item]]
    decode: Callable[[bytes, str, int], Iterator[Item]]
    many: bool = False
    count: Callable[[Path], int] = lambda path: 1
    uploads: bool = True  # the web app takes it (a Telegram export is many files' worth)


def _one_document(suffix: str) -> Reader:
    def decode(data: bytes, name: str, max_bytes: int) -> Iterator[Item]:
        yield _document_from_bytes(data, name, suffix)

    def read(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
        data = read_bounded(path, max_bytes)
        if data is None:
            yield InputError(name, f"file holds more than the limit of {human_size(max_bytes)} "
                             "(raise it with --max-size, in MB)")
            return
        yield from decode(data, name, max_bytes)

    return Reader(read=read, decode=decode)


def _jsonl_file(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    with open_regular(path) as fh:
        yield from _read_jsonl(fh, name, max_bytes)


def _count_lines(path: Path) -> int:
    with open_regular(path) as fh:
        return max(sum(1 for line in iter(lambda: fh.readline(1048576), b"")
                       if line.strip()), 1)


def _telegram_bytes(data: bytes, name: str, max_bytes: int) -> Iterator[Item]:
    yield InputError(name, "a Telegram export holds many messages: give it to "
                     "`redline analyze` or `redline ingest` as a file")


JSONL = Reader(read=_jsonl_file,
               decode=lambda data, name, max_bytes: _read_jsonl(io.BytesIO(data), name,
                                                                 max_bytes),
               many=True, count=_count_lines)
TELEGRAM = Reader(read=read_export, decode=_telegram_bytes, many=True, count=count_messages,
                  uploads=False)
READERS: dict[str, Reader] = {
    **{suffix: _one_document(suffix)
       for suffix in sorted(TEXT_SUFFIXES | HTML_SUFFIXES | SUBTITLE_SUFFIXES)},
    **dict.fromkeys(sorted(JSONL_SUFFIXES), JSONL),
    **dict.fromkeys(sorted(TELEGRAM_SUFFIXES), TELEGRAM),
}
SUPPORTED_SUFFIXES = frozenset(READERS)


def holds_many(path: str | Path) -> bool:
    """Whether a file's kind holds many documents (a JSON lines file, a Telegram export)."""
    reader = READERS.get(Path(path).suffix.lower())
    return reader is not None and reader.many


def count_documents(path: Path) -> int:
    """How many documents a file holds (1 when it cannot tell)."""
    reader = READERS.get(path.suffix.lower())
    try:
        return reader.count(path) if reader is not None else 1
    except OSError:
        return 1


def count_inputs(paths: Iterable[str]) -> int:
    """About how many documents the inputs hold, cheaply, for the progress bar's total."""
    return sum(_count_path(Path(p)) if p != "-" else 1 for p in paths)


def _count_path(path: Path) -> int:
    if path.is_dir():
        total = 0
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            total += sum(count_documents(Path(dirpath) / f) for f in filenames
                         if not f.startswith("."))
        return max(total, 1)
    return count_documents(path)
