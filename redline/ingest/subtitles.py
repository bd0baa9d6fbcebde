"""Subtitle files (.srt, .vtt): the cues of a video transcript joined into one document.

A cue's lines are one caption broken for the screen, so lines and consecutive cues are joined
with spaces into paragraphs; a new paragraph starts at a WebVTT voice change
(``<v Speaker>``, written as a ``Speaker:`` label so the structure stage sees turns) or after a
pause of `PARAGRAPH_GAP` seconds.  A line that repeats the one before it (the rolling captions
of automatic transcripts) is kept once.  Styling tags, karaoke timestamps and ``{\\an8}``
positioning are dropped; HTML entities are decoded.

The document text is exactly what is analysed; ``meta["cues"]`` keeps the timing as
``[start_char, end_char, start_seconds, end_seconds]`` for each cue, offsets into that text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from redline.document import Document
from redline.errors import InputError

SUBTITLE_SUFFIXES = {".srt", ".vtt"}
PARAGRAPH_GAP = 3.0  # seconds of silence that end a paragraph

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SKIP_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")
_DIALOGUE_DASH = re.compile(r"^[-–—]\s+")


@dataclass
class Cue:
    """One caption: its time span, speaker (WebVTT voice) and cleaned lines."""

    start: float
    end: float
    lines: list[str] = field(default_factory=list)
    speaker: str | None = None


def _seconds(h: str | None, m: str, s: str, frac: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def _clean(line: str) -> tuple[str, str | None]:
    """A caption line without markup, and the voice it names, if any."""
    voice = _VOICE.search(line)
    text = html.unescape(_TAG.sub("", line)).replace("\u200e", "").replace("\u200f", "")
    return " ".join(text.split()), voice.group(1).strip() if voice else None


def parse_cues(text: str) -> list[Cue]:
    """Every cue of an SRT or WebVTT file, in order; blocks without a timing line are
    continuation text of the cue before them (SRT allows blank lines inside a caption)."""
    cues: list[Cue] = []
    for block in re.split(r"\n[ \t]*\n", text.lstrip("\ufeff")):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines or lines[0].split(" ")[0].strip() in _SKIP_BLOCKS:
            continue
        at = next((i for i, ln in enumerate(lines) if _TIMING.match(ln)), None)
        if at is None:
            if cues and not (len(lines) == 1 and lines[0].strip().isdigit()):
                _add_lines(cues[-1], lines)
            continue
        g = _TIMING.match(lines[at]).groups()  # type: ignore[union-attr]
        cue = Cue(start=_seconds(*g[:4]), end=_seconds(*g[4:]))
        _add_lines(cue, lines[at + 1:])
        cues.append(cue)
    return cues


def _add_lines(cue: Cue, raw: list[str]) -> None:
    for line in raw:
        text, voice = _clean(line)
        cue.speaker = cue.speaker or voice
        if text:
            cue.lines.append(text)


class _Builder:
    """Appends text while tracking offsets, so cue spans are exact."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, piece: str) -> None:
        self.parts.append(piece)
        self.pos += len(piece)

    def text(self) -> str:
        return "".join(self.parts)


def cues_to_text(cues: list[Cue]) -> tuple[str, list[list[float | int]]]:
    """The joined document text and each cue's ``[start_char, end_char, start_s, end_s]``."""
    out = _Builder()
    spans: list[list[float | int]] = []
    speaker: str | None = None
    last_line, last_end = None, None
    for cue in cues:
        lines = [ln for ln in cue.lines if ln != last_line]
        if cue.lines:
            last_line = cue.lines[-1]
        if not lines:
            continue
        new_voice = cue.speaker is not None and cue.speaker != speaker
        pause = last_end is not None and cue.start - last_end >= PARAGRAPH_GAP
        if out.pos:
            dash = _DIALOGUE_DASH.match(lines[0])
            out.add("\n\n" if new_voice or pause else "\n" if dash else " ")
        if new_voice:
            speaker = cue.speaker
            out.add(f"{speaker}: ")
        start = out.pos
        for i, line in enumerate(lines):
            if i:
                out.add("\n" if _DIALOGUE_DASH.match(line) else " ")
            out.add(line)
        spans.append([start, out.pos, round(cue.start, 3), round(cue.end, 3)])
        last_end = cue.end
    return out.text(), spans


def subtitle_document(text: str, name: str, encoding: str) -> Document | InputError:
    """A `Document` from the decoded text of a subtitle file, or why there is none."""
    cues = parse_cues(text)
    if not cues:
        return InputError(name, "no subtitle cues found (expected 'HH:MM:SS,mmm --> ...' lines)")
    body, spans = cues_to_text(cues)
    if not body.strip():
        return InputError(name, "the subtitle cues hold no text")
    doc = Document(text=body, source=name)
    doc.meta.update({"encoding": encoding, "cues": spans})
    return doc
