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
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from redline.detect.tagger import SKIP_KINDS, context_insertions, context_words, inside_any
from redline.document import Segment, Technique
from redline.registry import Context

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_EDGE = " \t\n,;:-–—\"'“”«»()"


@dataclass(frozen=True, slots=True)
class Cue:
    technique: str
    why: str
    confidence: float
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None  # a sentence matching this silences the cue


@dataclass(frozen=True, slots=True)
class Repetition:
    """What counts as repetition for emphasis (SemEval: a word or phrase repeated to make it
    stick), read from the cue file's ``[repetition]`` table."""

    confidence: float
    why: dict[str, str]  # by form: doubled, anaphora, clauses, refrain
    stopwords: frozenset[str]  # words that alone make no repetition ("the", "of", "и")
    emphatic: frozenset[str]  # stopwords that do when doubled ("never, never", "нет, нет")
    joiners: frozenset[str]  # a word allowed between doubled words ("again and again")
    questions: frozenset[str]  # one-word openers that make anaphora in questions ("who", "зачем")
    idioms: frozenset[str]  # doubled phrases that are words of the language ("side by side")
    forms: frozenset[str]  # the forms read in this language (each measured on real speech)
    hyphenated: bool  # "ждали-ждали" is emphasis in Russian; "win-win" is a compound in English
    max_words: int = 4
    # which phrases said twice in a row count: "any", or only the `emphatic` words and phrases
    # joined by a `joiners` word ("emphatic": "many, many", "low, very low")
    doubled_words: str = "any"


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
        rep["confidence"], dict(rep["why"]), frozenset(rep.get("stopwords", [])),
        frozenset(rep.get("emphatic", [])), frozenset(rep.get("joiners", [])),
        frozenset(rep.get("questions", [])), frozenset(rep.get("idioms", [])),
        frozenset(rep.get("forms", ("doubled", "anaphora", "clauses", "refrain"))),
        rep.get("hyphenated", False),
        rep.get("max_words", 4), rep.get("doubled_words", "any"))
    return tuple(cues), repetition


def detect_techniques(ctx: Context) -> None:
    """Add technique spans for every segment of the document."""
    cues, repetition = load_cues(ctx.language)
    nouns = frozenset(w.start for words in context_words(ctx) for w in words
                      if w.pos in ("NOUN", "PROPN"))
    inserted = context_insertions(ctx)
    for seg in ctx.analysis.segments:
        if seg.kind in SKIP_KINDS:
            continue
        found = list(_cue_spans(ctx.text, seg, cues))
        if repetition is not None:
            found += _repetitions(ctx.text, seg, repetition, nouns)
        for tech in _without_nested(found):
            if not inside_any(inserted, tech.start, tech.end):
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


_SENTENCE_END = re.compile(r"[.!?…]+[\"'”»)]*\s+|\n+")
_CLAUSE_MARK = re.compile(r"[,;:–—]")


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    low: str


def _repetitions(text: str, seg: Segment, rule: Repetition,
                 nouns: frozenset[int] = frozenset()) -> list[Technique]:
    """Repetition for emphasis, in four forms, each a general rule of rhetoric:

    - *doubled*: a word or phrase said twice in a row ("never, never", "ждали-ждали",
      "millions and millions");
    - *anaphora*: successive sentences that open with the same words ("We must ... We must");
    - *clauses*: clauses of one sentence that open with the same words ("if we eliminate ...,
      if we eliminate ...");
    - *refrain*: a word of substance three times in one sentence ("санкции ..., санкции ...").

    ``nouns``: the start offsets of the words the parser tagged as nouns (a doubled noun that
    goes on is a correction, "партии, партии президента", not emphasis).

    A phrase that merely recurs in a long speech ("the United Nations") is none of these. Each
    form is one pass over the segment's words, so the time grows with the text.
    """
    sentences = _sentences(text, seg)
    found = _anaphora(text, sentences, rule)
    for words in sentences:
        found += _doubled(text, words, rule, nouns)
        found += _clause_openers(text, words, rule)
        found += _refrain(words, rule)
    found = [f for f in found if f[2] in rule.forms]
    return [Technique(technique="repetition", start=s, end=e, text=text[s:e],
                      confidence=rule.confidence, why=rule.why[form], detector="techniques")
            for s, e, form in sorted(set(found))]


def _sentences(text: str, seg: Segment) -> list[list[_Word]]:
    """The words of each sentence of a segment (a sentence ends at . ! ? … or a line break)."""
    out: list[list[_Word]] = []
    pos = seg.start
    for stop in [*(m.end() for m in _SENTENCE_END.finditer(text, seg.start, seg.end)), seg.end]:
        words = [_Word(m.start(), m.end(), m.group().lower())
                 for m in _WORD.finditer(text, pos, stop)]
        if words:
            out.append(words)
        pos = stop
    return out


def _substantial(gram: list[_Word], rule: Repetition) -> bool:
    """A phrase that can be repeated for emphasis: not numbers, not only function words."""
    if any(w.low.isdigit() for w in gram):
        return False
    if len(gram) == 1:
        return gram[0].low in rule.emphatic or (
            gram[0].low not in rule.stopwords and len(gram[0].low) > 2)
    return not all(w.low in rule.stopwords for w in gram)


def _only_marks(text: str, start: int, end: int) -> bool:
    """Between two words: nothing but spaces and commas, dashes or dots of one breath."""
    return all(ch.isspace() or ch in ",-–—…." for ch in text[start:end]) and (
        text.count(".", start, end) in (0, 3))


def _doubled(text: str, words: list[_Word], rule: Repetition,
             nouns: frozenset[int]) -> list[tuple[int, int, str]]:
    out = []
    for w in words:  # "боюсь-боюсь": one hyphenated token whose halves are the same
        parts = re.split(r"[-‐]", w.low)
        if (rule.hyphenated and len(parts) == 2 and parts[0] == parts[1]
                and w.low not in rule.idioms and _substantial([_Word(0, 0, parts[0])], rule)):
            out.append((w.start, w.end, "doubled"))
    for n in range(1, rule.max_words + 1):
        for i in range(len(words) - 2 * n + 1):
            first = words[i:i + n]
            if not _substantial(first, rule):
                continue
            for gap in (0, 1):  # "again and again", "тысячи, именно тысячи"
                second = words[i + n + gap:i + 2 * n + gap]
                if len(second) < n or [w.low for w in second] != [w.low for w in first]:
                    continue
                if gap and (words[i + n].low not in rule.joiners or " ".join(
                        w.low for w in words[i:i + 2 * n + 1]) in rule.idioms):
                    continue
                if not _only_marks(text, first[-1].end,
                                   (words[i + n] if gap else second[0]).start):
                    continue
                if _names(text, second):
                    continue  # "Shoigu Shoigu", "the Republic of Korea, the Republic of Korea"
                goes_on = (i + 2 * n + gap < len(words) and _joined(
                    text[second[-1].end:words[i + 2 * n + gap].start]))
                if not gap and second[-1].start in nouns and goes_on:
                    continue  # "партии, партии президента", "стране, стране – союзнике", "an
                    # attitude, an attitude which": a correction, not emphasis
                if rule.doubled_words == "emphatic" and not gap and not (
                        n == 1 and first[0].low in rule.emphatic) and not _chant(
                        text, words, i, n):
                    continue  # only "many, many", or a chant: "we will win, we will win, ..."
                out.append((first[0].start, second[-1].end, "doubled"))
    return _merged(out)


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Pairs that overlap are one device: "we will win, we will win, we will win" is one
    span, not its first pair."""
    out: list[tuple[int, int, str]] = []
    for start, end, form in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]), form)
        else:
            out.append((start, end, form))
    return out


def _chant(text: str, words: list[_Word], i: int, n: int) -> bool:
    """The n words at ``i``, said twice, are said a third time just before or after (only
    marks of one breath between): a chant, "we will win, we will win, we will win"."""
    phrase = [w.low for w in words[i:i + n]]

    def said_at(at: int) -> bool:
        return at >= 0 and at + n <= len(words) and [w.low for w in words[at:at + n]] == phrase

    before = said_at(i - n) and _only_marks(text, words[i - 1].end, words[i].start)
    after = said_at(i + 2 * n) and _only_marks(text, words[i + 2 * n - 1].end,
                                               words[i + 2 * n].start)
    return before or after


def _names(text: str, words: list[_Word]) -> bool:
    """A capitalised word inside a phrase (not "I") makes it a name said again ("the Republic
    of Korea, the Republic of Korea", a list of states), not words repeated for emphasis."""
    return any(text[w.start].isupper() and w.low != "i" for w in words)


def _joined(gap: str) -> bool:
    """The phrase goes on after a word: a space, or a dash opening its apposition ("стране,
    стране – союзнике")."""
    return gap.isspace() or gap.strip() in ("-", "–", "—")


def _common(a: list[_Word], b: list[_Word], limit: int) -> int:
    n = 0
    while n < min(len(a), len(b), limit) and a[n].low == b[n].low:
        n += 1
    return n


def _anaphora(text: str, sentences: list[list[_Word]],
              rule: Repetition) -> list[tuple[int, int, str]]:
    """Successive sentences that open with the same words, marked in each: a run of three or
    more ("We must ... We must ... We must"), two that share three words or more, or one
    question word opening two questions ("Who ...? Who ...?"). Two sentences that share two
    words are too often a report going on ("The meeting ... The meeting"): read on real
    speech, 6 of 20 such pairs were a device."""
    shared = [0] + [_opening(text, sentences[k - 1], sentences[k], rule)
                    for k in range(1, len(sentences))]
    out = []
    for k in range(1, len(sentences)):
        n = abs(shared[k])
        if not n:
            continue
        same = [shared[j] and sentences[j][0].low == sentences[k][0].low
                for j in (k - 1, k + 1) if 0 < j < len(sentences)]
        if shared[k] < 0 or n >= 3 or any(same):
            out += [(sentences[j][0].start, sentences[j][n - 1].end, "anaphora")
                    for j in (k - 1, k)]
    return out


def _opening(text: str, before: list[_Word], words: list[_Word], rule: Repetition) -> int:
    """How many opening words two sentences share, when they make anaphora: negative for one
    question word opening two questions; 0 for none (fewer than two words, only function
    words, a name said again as in "Natalya Yuryeva: ...", or a speaker label)."""
    n = _common(before, words, rule.max_words)
    if n >= 1 and words[0].low in rule.questions and \
            text[before[-1].end:words[0].start].strip().startswith("?"):
        return -1
    if n < 2 or not _substantial(words[:n], rule):
        return 0
    if all(text[w.start].isupper() for w in words[:n]) or \
            text[words[n - 1].end:words[n - 1].end + 1] == ":":
        return 0
    return n


def _clause_openers(text: str, words: list[_Word], rule: Repetition
                    ) -> list[tuple[int, int, str]]:
    """Clauses of one sentence that open with the same phrase of substance; the later ones
    are marked ("if we eliminate ..., if we eliminate ...")."""
    starts = [0] + [k for k in range(1, len(words))
                    if _CLAUSE_MARK.search(text, words[k - 1].end, words[k].start)]
    out, seen = [], {}
    for k in starts:
        for n in range(rule.max_words, 1, -1):
            gram = words[k:k + n]
            if len(gram) < n or not _substantial(gram, rule):
                continue
            key = tuple(w.low for w in gram)
            if all(text[w.start].isupper() for w in gram):
                continue  # "Yusup Mamatov: Yusup Mamatov, deputy commander": a name
            if key in seen:
                # the phrase right after itself ("I know, I know") is the doubled form's
                if seen[key] + n != k:
                    out.append((gram[0].start, gram[-1].end, "clauses"))
                break
            seen[key] = k
    return out


def _refrain(words: list[_Word], rule: Repetition) -> list[tuple[int, int, str]]:
    """A word of substance said three times or more in one sentence: its later occurrences."""
    at: dict[str, list[_Word]] = {}
    for w in words:
        if len(w.low) > 3 and w.low not in rule.stopwords and not w.low.isdigit():
            at.setdefault(w.low, []).append(w)
    return [(w.start, w.end, "refrain") for ws in at.values() if len(ws) >= 3 for w in ws[1:]]


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
