"""Persuasion techniques (SemEval-2023 Task 3 codes) from cues kept as data.

Each language has a cue file (``data/techniques/<lang>.toml``): regular expressions and term
lists per technique, each with a reason for the reader, plus a repetition rule.  Cues are
matched inside one segment at a time, so a span never crosses a speaker turn, and repetition
is counted per turn.  The span is the phrase that carries the technique (SemEval's guideline),
not the sentence around it.  Rule-based on purpose: fast (no model), explainable, and the same
code serves English and Russian.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from redline.document import Segment, Technique
from redline.registry import Context

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_EDGE = " \t\n,;:-–—\"'“”«»()"
_SKIP_KINDS = ("note",)


@dataclass(frozen=True, slots=True)
class Cue:
    technique: str
    why: str
    confidence: float
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None  # a sentence matching this silences the cue


@dataclass(frozen=True, slots=True)
class Repetition:
    min_words: int
    max_words: int
    min_count: int
    window: int  # words: the occurrences must fall this close together
    confidence: float
    why: str
    stopwords: frozenset[str]


@lru_cache(maxsize=4)
def load_cues(language: str) -> tuple[tuple[Cue, ...], Repetition | None]:
    """Compile the cue file of ``language``; an unknown language has no cues."""
    path = resources.files("redline").joinpath(f"data/techniques/{language}.toml")
    if not path.is_file():
        return (), None
    raw = tomllib.loads(path.read_text("utf-8"))
    cues = []
    for entry in raw.get("cue", []):
        if "terms" in entry:
            body = "|".join(re.escape(t) for t in sorted(entry["terms"], key=len, reverse=True))
            source = rf"(?<!\w)(?:{body})(?!\w)"
        else:
            source = entry["regex"]
        unless = entry.get("unless")
        cues.append(Cue(entry["technique"], entry["why"], entry.get("confidence", 0.6),
                        re.compile(source, re.IGNORECASE),
                        re.compile(unless, re.IGNORECASE) if unless else None))
    rep = raw.get("repetition")
    repetition = None if rep is None else Repetition(
        rep["min_words"], rep["max_words"], rep["min_count"], rep.get("window", 60),
        rep["confidence"], rep["why"],
        frozenset(rep.get("stopwords", [])))
    return tuple(cues), repetition


def detect_techniques(ctx: Context) -> None:
    """Add technique spans for every segment of the document."""
    cues, repetition = load_cues(ctx.language)
    for seg in ctx.analysis.segments:
        if seg.kind in _SKIP_KINDS:
            continue
        found = list(_cue_spans(ctx.text, seg, cues))
        if repetition is not None:
            found += _repetitions(ctx.text, seg, repetition)
        for tech in _without_nested(found):
            ctx.add_technique(tech)


def _cue_spans(text: str, seg: Segment, cues: tuple[Cue, ...]):
    body = text[seg.start:seg.end]
    for cue in cues:
        for m in cue.pattern.finditer(body):
            group = "span" if "span" in cue.pattern.groupindex and m.group("span") else 0
            start, end = _trim(body, m.start(group), m.end(group))
            if cue.unless is not None and cue.unless.search(_sentence(body, start, end)):
                continue
            if end > start:
                s, e = seg.start + start, seg.start + end
                yield Technique(technique=cue.technique, start=s, end=e, text=text[s:e],
                                confidence=cue.confidence, why=cue.why, detector="techniques")


SENTENCE_REACH = 2_000  # characters looked at on each side of a match for its sentence


def _sentence(body: str, start: int, end: int) -> str:
    """The sentence around a match: from the last sentence end before it to the next one,
    looking no further than `SENTENCE_REACH` characters each way (text with no sentence end
    would otherwise be scanned whole for every match)."""
    floor, ceiling = max(start - SENTENCE_REACH, 0), min(end + SENTENCE_REACH, len(body))
    left = max(max(body.rfind(ch, floor, start) for ch in ".!?\n") + 1, floor)
    ends = [i for ch in ".!?\n" if (i := body.find(ch, end, ceiling)) != -1]
    return body[left:min(ends) if ends else ceiling]


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and punctuation at the edges, keeping a final '!' or '.' inside words."""
    while start < end and body[start] in _EDGE:
        start += 1
    while end > start and body[end - 1] in _EDGE:
        end -= 1
    return start, end


def _repetitions(text: str, seg: Segment, rule: Repetition) -> list[Technique]:
    """Phrases of 2-6 words said at least three times close together, each occurrence.

    "Close together" (within `Repetition.window` words) is what makes repetition a device: a
    long speech says "the world" three times without hammering anything home.  Longer phrases
    are found first; a shorter one is kept unless every occurrence lies inside a longer one's.
    Each length is one pass over the words, so the time grows with the segment, not faster.
    """
    words = [(m.start(), m.end(), m.group().lower())
             for m in _WORD.finditer(text, seg.start, seg.end)]
    reach = [0] * len(words)  # reach[i]: furthest word end of a longer phrase starting <= i
    found: list[tuple[int, int]] = []  # (first word, word count) of every kept occurrence
    for n in range(rule.max_words, rule.min_words - 1, -1):
        seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in range(len(words) - n + 1):
            gram = tuple(w for _, _, w in words[i:i + n])
            if not all(w in rule.stopwords for w in gram):
                seen[gram].append(i)
        kept = [(i, n) for starts in seen.values()
                for dense in [_dense(starts, rule.min_count, rule.window)]
                if dense and not all(reach[i] >= i + n for i in dense) for i in dense]
        found += kept
        reach = _reach(reach, kept)
    return [Technique(technique="repetition", start=words[i][0], end=words[i + n - 1][1],
                      text=text[words[i][0]:words[i + n - 1][1]], confidence=rule.confidence,
                      why=rule.why, detector="techniques") for i, n in sorted(found)]


def _dense(starts: list[int], min_count: int, window: int) -> list[int]:
    """Occurrences that have at least ``min_count`` occurrences within ``window`` words."""
    keep: set[int] = set()
    for k in range(len(starts) - min_count + 1):
        run = starts[k:k + min_count]
        if run[-1] - run[0] <= window:
            keep.update(run)
    return sorted(keep)


def _reach(reach: list[int], kept: list[tuple[int, int]]) -> list[int]:
    """`reach` grown by the occurrences ``kept`` (first word, word count): for every word, the
    furthest end of an occurrence that starts at or before it (a running maximum)."""
    ends = list(reach)
    for i, n in kept:
        ends[i] = max(ends[i], i + n)
    for i in range(1, len(ends)):
        ends[i] = max(ends[i], ends[i - 1])
    return ends


def _without_nested(found: list[Technique]) -> list[Technique]:
    """One span per technique where matches overlap: the longest wins."""
    found.sort(key=lambda t: (t.technique, t.start, -(t.end - t.start)))
    kept: list[Technique] = []
    for t in found:
        prev = kept[-1] if kept else None
        if prev and prev.technique == t.technique and t.start < prev.end:
            continue
        kept.append(t)
    return kept
