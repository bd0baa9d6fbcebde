"""The gazetteer: known entities with canonical English names, kept as data.

Entries live in ``data/gazetteer/*.jsonl`` (one entity per line; see the README there).  Aliases
are matched on token boundaries, case-sensitively, so "US" never fires on "us".  Russian
aliases are written in the nominative; Cyrillic tokens are compared by their pymorphy3 lemmas,
so "Киева", "Зеленскому" and "Владимира Путина" reach "Киев", "Зеленский" and "Владимир
Путин".  Matching walks a token trie: linear in the text, whatever the number of aliases.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

TOKEN = re.compile(r"\w+|[^\w\s]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_APOSTROPHES = {"’": "'", "ʼ": "'"}  # "People’s Republic" is "People's Republic"
_MAX_GAP = 2  # characters of plain space allowed between the tokens of one alias


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    name: str
    type: str
    kind: str | None
    country: str | None
    aliases: tuple[str, ...]
    patronymic: tuple[str, ...] = ()  # "Vladimirovich", "Владимирович": makes address forms


def address_forms(entry: GazetteerEntry) -> set[str]:
    """First name plus patronymic, the polite Russian form of address ("Vladimir
    Vladimirovich", "Сергей Викторович"), for every first name the entry is spelled with.

    Forms are built, not listed, so that each transliteration of a first name ("Sergei",
    "Sergey") meets each of the patronymic's, and only in the same script; Russian cases come
    from lemma matching, as for every Cyrillic alias.
    """
    firsts: set[str] = set()
    for surface in (entry.name, *entry.aliases):
        toks = surface.split()
        if len(toks) >= 2 and "." not in toks[0] and toks[0][:1].isupper():
            firsts.add(toks[0])
    return {
        f"{first} {patr}"
        for first in firsts
        for patr in entry.patronymic
        if bool(_CYRILLIC.search(first)) == bool(_CYRILLIC.search(patr))
    }


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entry: str | None = None  # gazetteer id when an alias ends here


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entry: GazetteerEntry


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def token_keys(token: str) -> tuple[str, ...]:
    """Keys a text token can match: itself, plus lower-cased lemmas for Cyrillic words."""
    if not _CYRILLIC.search(token):
        return (_APOSTROPHES.get(token, token),)
    keys = {token.lower()}
    # pymorphy3 calls unicodedata.name(), which fails on letters without a name (Tangut)
    with contextlib.suppress(ValueError):
        keys.update(p.normal_form.replace("ё", "е") for p in _morph().parse(token))
    keys.add(token.lower().replace("ё", "е"))
    return tuple(sorted(keys))


def alias_key(token: str) -> str:
    """The one key an alias token is stored under (the first lemma for Cyrillic words)."""
    if not _CYRILLIC.search(token):
        return _APOSTROPHES.get(token, token)
    try:
        return _morph().parse(token)[0].normal_form.replace("ё", "е")
    except ValueError:
        return token.lower()


class Gazetteer:
    """All gazetteer entries and a token trie over their names and aliases."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.entries = {e.id: e for e in entries}
        self._root = _Node()
        for entry in entries:
            for surface in (entry.name, *entry.aliases):
                self._add(surface, entry.id)
        for form, entry_id in sorted(_unique_address_forms(entries).items()):
            self._add(form, entry_id)

    def _add(self, surface: str, entry_id: str) -> None:
        node = self._root
        for tok in TOKEN.findall(surface):
            node = node.children.setdefault(alias_key(tok), _Node())
        if node.entry is None:  # the first entity to claim an alias keeps it
            node.entry = entry_id

    def find(self, text: str) -> list[Match]:
        """Longest, leftmost, non-overlapping alias matches in ``text``."""
        toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        out: list[Match] = []
        i = 0
        while i < len(toks):
            hit = self._longest_at(text, toks, i)
            if hit is None:
                i += 1
                continue
            j, entry_id = hit
            out.append(Match(toks[i][0], toks[j][1], self.entries[entry_id]))
            i = j + 1
        return out

    def _longest_at(
        self, text: str, toks: list[tuple[int, int, str]], i: int
    ) -> tuple[int, str] | None:
        frontier = [self._root]
        best: tuple[int, str] | None = None
        j = i
        while frontier and j < len(toks):
            start, _, tok = toks[j]
            if j > i and not _joinable(text[toks[j - 1][1] : start]):
                break
            if tok[:1].islower() and j == i and _CYRILLIC.search(tok):
                return None  # Russian names are capitalised: "путина" is a fishing season
            nxt = [
                child
                for node in frontier
                for key in token_keys(tok)
                if (child := node.children.get(key)) is not None
            ]
            for node in nxt:
                if node.entry is not None:
                    best = (j, node.entry)
                    break
            frontier = nxt
            j += 1
        return best


def _unique_address_forms(entries: list[GazetteerEntry]) -> dict[str, str]:
    """Address form -> entry id, leaving out a form two people share: "Sergei Vladimirovich"
    must name one person or none."""
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for form in address_forms(entry):
            owners.setdefault(form, set()).add(entry.id)
    return {form: next(iter(ids)) for form, ids in owners.items() if len(ids) == 1}


def _joinable(gap: str) -> bool:
    """Tokens of one alias may be separated by at most a little plain space."""
    return len(gap) <= _MAX_GAP and "\n" not in gap


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read every ``data/gazetteer/*.jsonl`` file shipped with the package."""
    folder = resources.files("redline").joinpath("data/gazetteer")
    entries: list[GazetteerEntry] = []
    files = sorted(folder.iterdir(), key=lambda p: p.name) if folder.is_dir() else []
    for item in files:
        if not item.name.endswith(".jsonl"):
            continue
        for line in item.read_text("utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                entries.append(
                    GazetteerEntry(
                        id=raw["id"],
                        name=raw["name"],
                        type=raw["type"],
                        kind=raw.get("kind"),
                        country=raw.get("country"),
                        aliases=tuple(raw.get("aliases", ())),
                        patronymic=tuple(raw.get("patronymic", ())),
                    )
                )
    return Gazetteer(entries)


@lru_cache(maxsize=1)
def acronyms() -> frozenset[str]:
    """One-word names written in capitals ("NATO", "WHO", "US"): shouting, they stay names."""
    return frozenset(
        surface
        for entry in load_gazetteer().entries.values()
        for surface in (entry.name, *entry.aliases)
        if surface.isupper() and " " not in surface
    )
