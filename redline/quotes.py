"""Quotations and whose words they are.

DESIGN: "a quotation of someone else is attributed to them, not to the speaker".  The parse
attributes quotes that a speech verb governs ("Medvedev said: ..."); this module finds the
other ways comment threads, headlines and posts name a quote's source:

- a dash after the closing mark: ``"Kill the unbelievers wherever you find them" - Koran``,
  ``" white people need to die . " - by bill kristol``;
- a source and a colon opening the line: ``National Review: white working class towns
  "deserve to die"`` (not in speaker turns, whose label is already the speaker);
- "according to X" / "по словам X" before the opening mark.

The verbs of saying and the words that name no one are data (``[quotes]`` in
``data/structure.toml``).

A quote with no source named stays the speaker's: scare quotes and unattributed quotations are
not guessed at.  Everything works on offsets of the document text, so it serves any language
whose quotes use these marks.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from redline.detect.core.entities import EntityIndex, held_by
from redline.document import Analysis

_PAIRS = {"“": "”", "«": "»", "„": "“"}
_SOURCE = r"[^\W\d_][\w.&'’ -]{0,48}?"  # a name: starts with a letter, short
_COLON_LINE = re.compile(rf"^\s*(?:rt\s*:?\s*)?(?:via\s+)?(?P<src>{_SOURCE})\s*:\s",
                         re.IGNORECASE)
_ACCORDING = re.compile(rf"(?:according\s+to|по\s+словам)\s+(?P<src>{_SOURCE})\s*[,:]?\s*$",
                        re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Cues:
    after: re.Pattern[str]
    not_sources: frozenset[str]
    not_others: frozenset[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    """The [quotes] lists of data/structure.toml: verbs of saying, words that name no one."""
    raw = tomllib.loads(resources.files("redline").joinpath("data/structure.toml")
                        .read_text("utf-8"))["quotes"]
    saying = "|".join(re.escape(w) for w in sorted(raw["saying"], key=len, reverse=True))
    after = re.compile(rf"[\s,.!?;\"”»]{{0,8}}[-–—]+\s*(?:(?:{saying})\s+)?(?P<src>{_SOURCE})"
                       r"\s*(?:[\"”».]|$)", re.IGNORECASE)
    return _Cues(after, frozenset(raw["not_sources"]), frozenset(raw["not_others"]))


@dataclass(frozen=True, slots=True)
class Quote:
    """The words between two quotation marks, and the source named for them."""

    start: int
    end: int
    source: str
    source_start: int
    source_end: int


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Attributed quotations in ``text[start:end]``, line by line."""
    end = len(text) if end is None else end
    out: list[Quote] = []
    pos = start
    for line in text[start:end].split("\n"):
        colon = _COLON_LINE.match(line)  # once a line: "Source: ..." opens it or not
        for q_start, q_end in _quoted_spans(line):
            found = _source(line, q_start, q_end, colon)
            if found is not None:
                s, e = found
                out.append(Quote(pos + q_start, pos + q_end, " ".join(line[s:e].split()),
                                 pos + s, pos + e))
        pos += len(line) + 1
    return out


def _quoted_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) inside each pair of marks: curly and guillemet pairs, then straight
    quotes paired in order (empty pairs, as in `" " "`, are skipped)."""
    spans = []
    for opening, closing in _PAIRS.items():  # walked with find: an unclosed mark ends the walk
        i = line.find(opening)
        while i != -1:
            j = line.find(closing, i + 1)
            if j == -1:
                break
            if j > i + 1:
                spans.append((i + 1, j))
            i = line.find(opening, j + 1)
    marks = [i for i, ch in enumerate(line) if ch == '"']
    k = 0
    while k + 1 < len(marks):
        a, b = marks[k], marks[k + 1]
        if line[a + 1 : b].strip():
            spans.append((a + 1, b))
            k += 2
        else:
            k += 1  # `" "`: an empty pair, or a stray mark
    return sorted(spans)


_WINDOW = 80  # characters before a quote that may hold "according to X,"


def _source(line: str, q_start: int, q_end: int,
            colon: re.Match[str] | None) -> tuple[int, int] | None:
    """The span of the source named for the quote at ``line[q_start:q_end]``, if any.  Each
    check reads a bounded stretch of the line, so a line of thousands of quotes stays linear."""
    after = _cues().after.match(line, q_end + 1)
    if after is not None and _is_name(after.group("src")):
        return after.start("src"), after.start("src") + len(after.group("src").rstrip())
    lo = max(q_start - 1 - _WINDOW, 0)
    according = _ACCORDING.search(line[lo : max(q_start - 1, 0)])
    if according is not None and _is_name(according.group("src")):
        return lo + according.start("src"), lo + according.end("src")
    if colon is not None and colon.end() <= q_start and _is_name(colon.group("src")):
        return colon.start("src"), colon.start("src") + len(colon.group("src").rstrip())
    return None


def _is_name(src: str) -> bool:
    """A short name of someone other than the speaker or the addressee."""
    words = [w.strip(".,;:!?'’").lower() for w in src.split()]
    cues = _cues()
    return (0 < len(words) <= 5 and words[0] not in cues.not_sources
            and not cues.not_others.intersection(words))


def attribute_quotes(analysis: Analysis, text: str) -> None:
    """Give each finding whose trigger lies in an attributed quote the quote's source as its
    speaker, with an evidence span naming it; findings the parse attributed keep theirs, and
    speaker turns keep their label (the turn's speaker is already who says it)."""
    quotes: dict[str, list[Quote]] = {}  # per segment, found once
    index: EntityIndex | None = None  # built only when a quote names a source
    for finding in analysis.findings:
        if finding.speaker is not None or not finding.evidence:
            continue
        seg = analysis.segment_at(finding.start)
        if seg is None or seg.kind == "turn":
            continue
        if seg.id not in quotes:
            quotes[seg.id] = find_quotes(text, seg.start, seg.end)
        trigger = finding.evidence[0]
        quote = next((q for q in quotes[seg.id]
                      if q.start <= trigger.start and trigger.end <= q.end), None)
        if quote is None:
            continue
        index = index or EntityIndex(analysis.entities)
        finding.speaker, said = held_by(
            text, quote.source_start, quote.source_end, index,
            f"whose stance it is: the words are quoted from {quote.source}, not the speaker's")
        finding.evidence.append(said)
