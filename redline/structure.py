"""Find the structure of a document: title, headings, intro, speaker turns, notes, comments.

The parser works on lines (a paragraph is one line in most inputs; blank lines are allowed).
It first scores every line for the cues in ``data/structure.toml`` -- speaker labels, editorial
notes, comment-thread headers, widget chrome, timestamps -- then walks the lines once, opening
and closing segments.  A speaker label is believed only when the document reads as a transcript
(at least two label lines), so that a colon in prose ("The point is simple: ...") never opens a
turn.  Speaker names are made canonical across a document so that "Dugin:" after
"Alexander Dugin:" and "V. Putin:" after "Vladimir Putin:" name the same speaker.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from redline.document import Segment

_LABEL = re.compile(r"^(?P<label>[^:\n]{1,160}?)\s*:(?!//)(?P<rest>.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+\S")
_DECORATION = re.compile(r"^[\W_]{1,40}$")
_TERMINAL = tuple('.,;:!?"»”)…')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True)
class Line:
    """One non-blank line: its stripped content and where that content lies in the text."""

    start: int
    end: int
    text: str
    blank_before: bool
    gap: int = 0  # blank lines before this one: a wider gap than the text's own sets a part off


# A line this long that runs on without a blank line was wrapped: a paragraph's first line, not
# a heading; and the parser reads it joined to the next (lang.english.chunk_spans).
WRAPPED_LINE = 40


@dataclass(frozen=True, slots=True)
class Cues:
    roles: frozenset[str]
    not_speakers: frozenset[str]
    particles: frozenset[str]
    role_words: frozenset[str]
    notes: tuple[re.Pattern[str], ...]
    comment_headers: tuple[re.Pattern[str], ...]
    chrome: tuple[re.Pattern[str], ...]
    timestamps: tuple[re.Pattern[str], ...]
    continuations: frozenset[str]  # words a sentence cannot end on: "of", "the", "и", "в"
    end_closing: tuple[re.Pattern[str], ...] = ()  # "(Translated from ...)", bylines, ©
    end_notes: tuple[re.Pattern[str], ...] = ()  # translator's and editor's notes
    replies: tuple[re.Pattern[str], ...] = ()  # "@name", "> quote": a reply opens here
    continues: frozenset[str] = frozenset()  # "And", "But": a comment paragraph carries on


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Read the cue lists once from the package data."""
    raw = tomllib.loads(
        resources.files("redline").joinpath("data/structure.toml").read_text("utf-8")
    )

    def rx(items: list[str], flags: int = 0) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, flags) for p in items)

    labels = raw["labels"]
    return Cues(
        roles=frozenset(r.casefold() for r in labels["roles"]),
        not_speakers=frozenset(n.casefold() for n in labels["not_speakers"]),
        particles=frozenset(labels["name_particles"]),
        role_words=frozenset(labels["role_words"]),
        notes=rx(raw["notes"]["patterns"]),
        comment_headers=rx(raw["comments"]["headers"], re.IGNORECASE),
        chrome=rx(raw["comments"]["chrome"], re.IGNORECASE),
        timestamps=rx(raw["comments"]["timestamps"], re.IGNORECASE),
        continuations=frozenset(raw["wrapping"]["continuations"]),
        end_closing=rx(raw["end_matter"]["closing"]),
        end_notes=rx(raw["end_matter"]["notes"]),
        replies=rx(raw["comment_voice"]["replies"]),
        continues=frozenset(raw["comment_voice"]["continues"]),
    )


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with the offsets of their stripped content."""
    lines: list[Line] = []
    pos = 0
    blanks = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            lines.append(Line(start, start + len(stripped), stripped, blanks > 0 or not lines,
                              blanks))
            blanks = 0
        else:
            blanks += 1
        pos += len(raw) + 1
    return lines


# --- speaker labels -------------------------------------------------------------------------


def _label_tokens(label: str) -> list[str]:
    """Split a label into words, separating glued initials ("В.Путин" -> "В.", "Путин")."""
    label = re.sub(r"(?<=\b\w\.)(?=\w)", " ", label)
    return label.split()


def _is_initial(tok: str) -> bool:
    return bool(re.fullmatch(r"\w\.(\w\.)*", tok)) and tok[0].isupper()


def _is_name_word(tok: str) -> bool:
    core = tok.strip("'’\"()")
    if not core or any(ch.isdigit() for ch in core):
        return False
    return core[0].isupper() and all(ch.isalpha() or ch in "-'’." for ch in core)


def clean_label(label: str) -> str:
    """The label as printed: whitespace normalised, markup asterisks and colon removed."""
    return " ".join(label.strip().strip("*_").strip().split())


def classify_label(label: str, cues: Cues) -> str | None:
    """ "role", "name" or "long" (a role description ending in a name), else None."""
    label = clean_label(label)
    if not label or label.casefold().rstrip(".") in cues.not_speakers:
        return None
    if label.casefold() in cues.roles:
        return "role"
    toks = _label_tokens(label)
    if not toks or toks[0][0] in "([" or not (_is_name_word(toks[0]) or _is_initial(toks[0])):
        return None
    if len(toks) <= 5 and all(
        _is_name_word(t) or _is_initial(t) or (i and t in cues.particles)
        for i, t in enumerate(toks)
    ):
        return "name"
    if (
        len(toks) <= 30
        and _ends_in_name(toks, cues)
        and ("," in label or any(t.strip(",") in cues.role_words for t in toks))
    ):
        return "long"
    return None


_PRONOUNS = frozenset(
    [
        "I",
        "we",
        "We",
        "you",
        "You",
        "my",
        "My",
        "our",
        "Our",
        "me",
        "us",
        "я",
        "мы",
        "вы",
        "Я",
        "Мы",
        "Вы",
    ]
)


def _ends_in_name(toks: list[str], cues: Cues) -> bool:
    """A long label must end in a personal name and read as a description, not a sentence."""
    tail = toks[-2:]
    return (
        len(toks) >= 2
        and not any(t.strip(",") in _PRONOUNS for t in toks)
        and all(
            (_is_name_word(t.strip(",")) or _is_initial(t)) and t not in cues.role_words
            for t in tail
        )
    )


def display_name(label: str, cues: Cues) -> str:
    """The personal name in a label, without a leading role ("Defence Minister Sergei Shoigu").

    Plain names (up to three name words, no role words) are returned as printed.
    """
    label = re.sub(r"\s*\([^)]*\)\s*$", "", clean_label(label)) or clean_label(label)
    toks = _label_tokens(label)
    has_role = any(t.strip(",") in cues.role_words for t in toks)
    lower = [t for t in toks[1:] if t[:1].islower() and t not in cues.particles]
    if len(toks) <= 3 and not has_role and not lower:
        return label
    toks = _label_tokens(label.split(",")[-1])
    name: list[str] = []
    for tok in reversed(toks):
        if tok in cues.role_words or not (_is_name_word(tok) or _is_initial(tok)):
            break
        name.insert(0, tok)
        if len(name) == 3:
            break
    return " ".join(name) if len(name) >= 2 else label


class SpeakerNames:
    """One canonical name per speaker: "Dugin" and "A. Dugin" join "Alexander Dugin".

    Labels are registered first (`add`), then named (`canonical`), so that a short form seen
    before the full one still joins it, and a role-prefixed first label ("President of Russia
    Vladimir Putin") takes the plain name the transcript uses later.
    """

    def __init__(self, cues: Cues) -> None:
        self.cues = cues
        # each cluster: display name -> (tokens, times seen), in order of first appearance
        self._clusters: list[dict[str, tuple[list[str], int]]] = []
        self._memo: dict[str, str] = {}

    def add(self, printed: str) -> None:
        name = display_name(printed, self.cues)
        self._memo.clear()
        for cluster in self._clusters:
            if name in cluster:
                toks, n = cluster[name]
                cluster[name] = (toks, n + 1)
                return
        toks = [t.rstrip(".,") for t in _label_tokens(name)]
        for cluster in self._clusters:
            if any(_same_person(toks, o) or _same_person(o, toks) for o, _ in cluster.values()):
                cluster[name] = (toks, 1)
                return
        self._clusters.append({name: (toks, 1)})

    def canonical(self, printed: str) -> str:
        if printed not in self._memo:
            self._memo[printed] = self._choose(display_name(printed, self.cues))
        return self._memo[printed]

    def _choose(self, name: str) -> str:
        """The cluster's fullest, most used, shortest, earliest spelled-out name."""
        for cluster in self._clusters:
            if name in cluster:
                order = list(cluster)
                full = [n for n, (toks, _) in cluster.items() if len(toks) >= 2]
                if not full:
                    return order[0]
                return max(full, key=lambda n: (_spelled_out(n), cluster[n][1], -len(n.split()),
                                                -order.index(n)))
        return name


def _spelled_out(name: str) -> bool:
    """ "Vladimir Putin" rather than "V. Putin": no initials among the words."""
    return not any(_is_initial(t) for t in _label_tokens(name))


def _same_person(short: list[str], full: list[str]) -> bool:
    """True when ``short`` is ``full``, its surname, or initials plus surname."""
    if not short or not full:
        return False
    if [t.casefold() for t in short] == [t.casefold() for t in full]:
        return True
    if len(full) < 2 or len(short) > len(full) or short[-1].casefold() != full[-1].casefold():
        return False
    head = short[:-1]
    lead = full[-1 - len(head) : -1] if head else []
    return all(
        h.casefold() == f.casefold() or (len(h) == 1 and f[:1].casefold() == h.casefold())
        for h, f in zip(head, lead, strict=True)
    )


# --- the parser -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    kind: str
    start: int
    end: int
    speaker: str | None = None
    opens: bool = False  # a speaker label starts here: never merged into the turn before


class StructureParser:
    """Turn lines into non-overlapping segments; see the module docstring for the rules."""

    def __init__(self, text: str, title: str | None = None, cues: Cues | None = None) -> None:
        self.text = text
        self.title = title
        self.cues = cues or load_cues()
        self.lines = split_lines(text)
        self.names = SpeakerNames(self.cues)
        self._end_run: set[int] = set()

    def parse(self) -> list[Segment]:
        labels = self._find_labels()
        header_at = self._thread_start()
        transcript = len(labels) >= 2
        end_run = self._end_matter(labels, transcript, header_at)
        self._end_run = set(range(*end_run)) if end_run else set()
        thread_at = end_run[1] if end_run else header_at
        blocks: list[_Block] = []
        speaker: str | None = None
        seen_turn = False
        for raw in labels.values():
            self.names.add(raw)
        for i, line in enumerate(self.lines[:thread_at]):
            kind = self._fixed_kind(i, line, transcript and seen_turn)
            if kind == "skip":
                continue
            if kind is None and transcript and i in labels:
                speaker = self.names.canonical(labels[i])
                seen_turn = True
                blocks.append(_Block("turn", line.start, line.end, speaker, opens=True))
                continue
            if kind is None:
                if speaker is not None:
                    kind = "turn"
                elif transcript:
                    kind = "intro"
                else:
                    kind = self._prose_kind(i, blocks)
            blocks.append(_Block(kind, line.start, line.end, speaker if kind == "turn" else None))
        if end_run:
            blocks.extend(self._comments_from(thread_at))
        elif thread_at < len(self.lines):
            blocks.extend(self._comment_blocks(thread_at))
        return _to_segments(_merge(blocks))

    # line-level decisions

    def _fixed_kind(self, i: int, line: Line, in_turns: bool) -> str | None:
        """Kinds a line has whatever its neighbours: title, heading, note, decoration."""
        text = line.text
        md = _MD_HEADING.match(text)
        if md:
            return "title" if i == 0 and len(md.group(1)) == 1 else "heading"
        if any(p.match(text) for p in self.cues.notes) or i in self._end_run:
            return "note"
        if _DECORATION.match(text):
            return "skip"
        if i == 0 and self._looks_like_title(line):
            return "title"
        if not in_turns and self._looks_like_heading(i, line):
            return "heading"
        return None

    def _looks_like_title(self, line: Line) -> bool:
        """A short first line with no sentence end; "Name: Subtitle" only if title-cased."""
        if len(self.lines) < 2:
            return False
        if self.title and line.text.strip() == self.title.strip():
            return True
        words = _WORD.findall(line.text)
        if not 0 < len(words) <= 20 or line.text.endswith((".", ",", ";", ":", "!")):
            return False
        if self._wraps(line, self.lines[1], words):
            return False
        label = self._label_of(line.text)
        if label is None:
            return True
        rest = _WORD.findall(line.text[len(label) + 1 :])
        capitalised = sum(1 for w in rest if w[:1].isupper())
        return self.lines[1].blank_before and len(rest) > 1 and capitalised / len(rest) >= 0.6

    def _looks_like_heading(self, i: int, line: Line) -> bool:
        if i == 0 or i + 1 >= len(self.lines):
            return False
        words = _WORD.findall(line.text)
        if not 1 <= len(words) <= 12 or line.text.endswith(_TERMINAL):
            return False
        first = line.text[0]
        if not (first.isupper() or first.isdigit()):
            return False
        if len(words) == 1 and not (line.text.isupper() or line.blank_before):
            return False
        nxt = self.lines[i + 1]
        if self._wraps(line, nxt, words):
            return False
        return len(_WORD.findall(nxt.text)) > len(words)

    def _wraps(self, line: Line, nxt: Line, words: list[str]) -> bool:
        """A hard-wrapped line runs on into the next ("...placed a time / bomb in a bag"):
        the next line continues in lower case or this one stops on a word no sentence or
        title ends with."""
        if nxt.blank_before:
            return False
        return (nxt.text[:1].islower() or words[-1].casefold() in self.cues.continuations
                or len(line.text) >= WRAPPED_LINE)

    def _prose_kind(self, i: int, blocks: list[_Block]) -> str:
        """Body, or intro for a standfirst: the first paragraph after the title when it is
        emphasised, or short and set off by blank lines with more text after it."""
        line = self.lines[i]
        after_title = bool(blocks) and all(b.kind == "title" for b in blocks)
        if not after_title:
            return "body"
        emphasised = line.text[:1] in "*_" and line.text[-1:] in "*_" and len(line.text) > 2
        set_off = (
            line.blank_before
            and i + 1 < len(self.lines)
            and self.lines[i + 1].blank_before
            and len(_WORD.findall(line.text)) <= 60
        )
        return "intro" if emphasised or set_off else "body"

    # transcript labels

    def _label_of(self, text: str) -> str | None:
        """The raw speaker label that starts ``text``, if the line reads like a turn."""
        m = _LABEL.match(text)
        if not m or any(p.match(text) for p in self.cues.notes):
            return None
        kind = classify_label(m["label"], self.cues)
        first = m["rest"].lstrip()[:1]
        if kind is None or first.islower():
            return None
        quoted = first and first in "\"“«„'‘"
        if quoted and kind != "role" and " " not in clean_label(m["label"]):
            return None
        return m["label"]

    def _find_labels(self) -> dict[int, str]:
        """Line index -> raw label, for lines that start with a plausible speaker label."""
        found: dict[int, str] = {}
        for i, line in enumerate(self.lines):
            if i == 0 and self._looks_like_title(line):
                continue
            label = self._label_of(line.text)
            if label is not None:
                found[i] = label
        names = [clean_label(v) for v in found.values()]
        strong = sum(
            1
            for v in found.values()
            if classify_label(v, self.cues) in ("role", "long")
            or " " in clean_label(v)
            or names.count(clean_label(v)) > 1
        )
        return found if strong >= 2 else {}

    # comment threads

    def _thread_start(self) -> int:
        for i, line in enumerate(self.lines):
            if i > 0 and any(p.match(line.text) for p in self.cues.comment_headers):
                return i
        return len(self.lines)

    # end matter: what closes the text, and the unlabelled comments after it

    def _end_matter(
        self, labels: dict[int, str], transcript: bool, stop: int
    ) -> tuple[int, int] | None:
        """The run of end-matter lines ``[start, end)`` that closes the text, when reader
        comments follow it; else None.

        The first run that comes after the text, has lines after it and no speaker label after
        it: a comment section has no turns. A closing line ("(Translated from ...)", a byline,
        a copyright line) ends the text on its own; a translator's or editor's note ends it only
        in a transcript and with a wider gap after it than the text's paragraphs have, for such
        a note may also stand between two paragraphs of a turn.
        """
        last_label = max(labels, default=-1)
        i = 2 if not transcript else min(labels, default=0) + 1
        while i < stop:
            if not self._is_end_matter(self.lines[i].text):
                i += 1
                continue
            j = i
            while j < stop and self._is_end_matter(self.lines[j].text):
                j += 1
            closing = any(self._is_closing(ln.text) for ln in self.lines[i:j])
            wide = j < stop and self.lines[j].gap > self._usual_gap(i)
            if i > last_label and j < stop and (closing or (transcript and wide)):
                return i, j
            i = j
        return None

    def _is_closing(self, text: str) -> bool:
        return any(p.match(text) for p in self.cues.end_closing)

    def _is_end_matter(self, text: str) -> bool:
        return self._is_closing(text) or any(p.match(text) for p in self.cues.end_notes)

    def _usual_gap(self, stop: int) -> int:
        """The blank lines a paragraph of the text usually has before it (the median)."""
        gaps = sorted(ln.gap for ln in self.lines[1:stop])
        return gaps[len(gaps) // 2] if gaps else 0

    def _comments_from(self, first: int) -> list[_Block]:
        """Comment blocks from line ``first`` on: by author lines where the text shows them,
        else split on gaps, reply markers and changes of voice."""
        starts = self._author_starts(first)
        if starts:
            return self._authored_comments(starts)
        return self._anonymous_comments(first)

    def _is_chrome(self, text: str) -> bool:
        return any(p.match(text) for p in self.cues.chrome)

    def _is_timestamp(self, text: str) -> bool:
        return any(p.match(text) for p in self.cues.timestamps)

    def _author_at(self, j: int) -> tuple[str | None, int] | None:
        """If a comment starts at line j: (author or None, index of its first body line)."""
        lines = self.lines
        text = lines[j].text
        if self._is_timestamp(text):
            return None, j + 1
        m = re.match(r"^(?P<a>@?[^\s].{0,40}?)\s*(?:·|•|\||—|–|,)\s*(?P<t>.+)$", text)
        if m and self._is_timestamp(m["t"]) and len(m["a"].split()) <= 4:
            return m["a"], j + 1
        m = re.match(r"^(?P<a>@?\S.{0,40}?)\s+(wrote|says|said|написал|написала|пишет):?$", text)
        if m:
            return m["a"], j + 1
        if j + 1 < len(lines) and self._is_timestamp(lines[j + 1].text) and _short_name(text):
            return text, j + 2
        return None

    def _comment_blocks(self, header: int) -> list[_Block]:
        blocks = [_Block("heading", self.lines[header].start, self.lines[header].end)]
        return blocks + self._comments_from(header + 1)

    def _author_starts(self, first: int) -> list[tuple[int, str | None, int]]:
        """(line, author, first body line) for every comment that an author line opens."""
        starts: list[tuple[int, str | None, int]] = []
        j = first
        while j < len(self.lines):
            found = self._author_at(j)
            if found is not None:
                starts.append((j, found[0], found[1]))
                j = max(found[1], j + 1)
            else:
                j += 1
        return starts

    def _authored_comments(self, starts: list[tuple[int, str | None, int]]) -> list[_Block]:
        blocks: list[_Block] = []
        for n, (j, author, _) in enumerate(starts):
            stop = starts[n + 1][0] if n + 1 < len(starts) else len(self.lines)
            body = [ln for ln in self.lines[j:stop] if not self._is_chrome(ln.text)]
            if body:
                name = author.strip() if author else None
                blocks.append(_Block("comment", body[0].start, body[-1].end, name))
        return blocks

    def _anonymous_comments(self, first: int) -> list[_Block]:
        """Comments without author lines. Blank lines, chrome and reply markers always part
        two comments. Where the section has no blank lines at all, every paragraph is a new
        voice unless it visibly carries on the one before (see `_carries_on`)."""
        rest = self.lines[first:]
        gapped = any(ln.gap for ln in rest[1:])
        groups: list[list[Line]] = []
        broken = True
        for line in rest:
            if self._is_chrome(line.text):
                broken = True
                continue
            new = (broken or line.gap > 0 or any(p.match(line.text) for p in self.cues.replies)
                   or (not gapped and not self._carries_on(groups[-1][-1], line)))
            if new:
                groups.append([line])
            else:
                groups[-1].append(line)
            broken = False
        return [self._comment(group) for group in groups]

    def _carries_on(self, prev: Line, line: Line) -> bool:
        """The same voice goes on: a wrapped line, a lower-case start, an opening "And"/"But",
        or a paragraph that the one before announced with a colon."""
        first = line.text.split(maxsplit=1)[0].rstrip(",.:;")
        return (not prev.text.endswith(_TERMINAL) or prev.text.endswith(":")
                or line.text[:1].islower() or first in self.cues.continues)

    def _comment(self, group: list[Line]) -> _Block:
        """One comment; a name label on its first line ("Mark T.: ...") is its author."""
        m = _LABEL.match(group[0].text)
        author = None
        if m and classify_label(m["label"], self.cues) == "name" and m["rest"].strip():
            author = clean_label(m["label"])
        return _Block("comment", group[0].start, group[-1].end, author)


def _short_name(text: str) -> bool:
    """An author line: 1-4 words, no sentence end (a final initial like "Maria K." is fine)."""
    words = text.split()
    if words and _is_initial(words[-1]):
        text = text[:-1]
    return 1 <= len(words) <= 4 and len(text) <= 40 and not text.endswith(_TERMINAL)


def _merge(blocks: list[_Block]) -> list[_Block]:
    """Join consecutive lines of the same running kind (a turn spans many paragraphs)."""
    merged: list[_Block] = []
    for b in blocks:
        prev = merged[-1] if merged else None
        continues = (
            b.kind in ("turn", "body", "intro")
            and prev is not None
            and (prev.kind == b.kind and prev.speaker == b.speaker)
        )
        if continues and not b.opens:
            prev.end = b.end
        else:
            merged.append(_Block(b.kind, b.start, b.end, b.speaker))
    return merged


def _to_segments(blocks: list[_Block]) -> list[Segment]:
    return [
        Segment(id=f"s{n}", kind=b.kind, start=b.start, end=b.end, speaker=b.speaker)
        for n, b in enumerate(blocks, start=1)
    ]


def speaker_mentions(text: str, segments: list[Segment]) -> list[tuple[int, int, str]]:
    """Where each turn's label names its speaker: ``(start, end, canonical speaker)``.

    Role labels ("Host", "Question") name nobody and are left out; for a role-prefixed label
    ("Defence Minister Sergei Shoigu") only the name part is returned.
    """
    cues = load_cues()
    out: list[tuple[int, int, str]] = []
    for seg in segments:
        if seg.kind != "turn" or not seg.speaker:
            continue
        m = _LABEL.match(text, seg.start, seg.end)
        if not m or classify_label(m["label"], cues) in (None, "role"):
            continue
        name = display_name(m["label"], cues)
        at = text.rfind(name, m.start("label"), m.end("label"))
        if at >= 0:
            out.append((at, at + len(name), seg.speaker))
    return out


def parse_structure(text: str, title: str | None = None) -> list[Segment]:
    """Segments of ``text`` in document order; they never overlap."""
    return StructureParser(text, title).parse()
