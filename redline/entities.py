"""Entities with canonical names: gazetteer matches first, statistical NER for the rest.

Every mention of one referent -- in any spelling or language -- ends up in one `Entity`.
Gazetteer entries give the canonical English name, type and country; NER spans that no entry
covers become entities keyed by their normalised text, and a lone surname ("Smith") joins the
one full name that ends with it ("John Smith").
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from redline.document import Analysis, Entity
from redline.gazetteer import Gazetteer, load_gazetteer

# spaCy OntoNotes labels -> contract types
NER_TYPES = {
    "PERSON": "PERSON",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "ORG": "ORG",
    "NORP": "GROUP",
    "EVENT": "EVENT",
}
_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:['’]s|['’])$")


@dataclass(frozen=True, slots=True)
class NerSpan:
    """A named-entity span from a statistical tagger, in document offsets."""

    start: int
    end: int
    label: str
    normal: str | None = None  # the name in the nominative, when the tagger gives it


def link_entities(
    text: str,
    ner: Iterable[NerSpan] = (),
    speakers: Iterable[tuple[int, int, str]] = (),
    gazetteer: Gazetteer | None = None,
) -> list[Entity]:
    """All entities of ``text``, ordered by first mention, with ids e1, e2, ...

    ``speakers`` are the names in speaker labels with their canonical speaker name: a label
    the gazetteer does not know still makes its speaker a PERSON, with every label a mention.
    Every tagger span is kept here, for the detectors read actors and targets from it ("Three
    Ukrainian navy boats"); `index_entities` decides which reach the index.
    """
    gaz = gazetteer or load_gazetteer()
    ner = list(ner)
    people = sorted((s.start, s.end) for s in ner if s.label == "PERSON")
    by_key: dict[str, Entity] = {}
    taken: list[tuple[int, int]] = []
    for m in gaz.find(text):
        e = m.entry
        if e.type != "PERSON" and _inside_longer(people, m.start, m.end):
            continue  # "George Washington" is a person, not the capital
        ent = by_key.setdefault(
            e.id,
            Entity(
                id="",
                name=e.name,
                type=e.type,
                country=e.country,
                kind=e.kind,
                key=e.id,
                sources=["gazetteer"],
            ),
        )
        ent.mentions.append((m.start, m.end))
        taken.append((m.start, m.end))
    known = sorted(taken)
    for start, end, name in speakers:
        if not _overlaps(known, start, end):
            key = f"PERSON:{name.casefold()}"
            ent = by_key.setdefault(
                key, Entity(id="", name=name, type="PERSON", key=key, sources=["speaker"])
            )
            ent.mentions.append((start, end))
            taken.append((start, end))
    _add_ner(text, ner, taken, by_key)
    _join_first_names(by_key)
    entities = [e for e in by_key.values() if e.mentions]
    for ent in entities:
        ent.mentions.sort()
        ent.aliases = _aliases(text, ent)
    entities.sort(key=lambda e: (e.mentions[0], e.name))
    for n, ent in enumerate(entities, start=1):
        ent.id = f"e{n}"
    return entities


def _add_ner(
    text: str, ner: Iterable[NerSpan], taken: list[tuple[int, int]], by_key: dict[str, Entity]
) -> None:
    taken_sorted = sorted(taken)
    found: list[tuple[str, int, int, str]] = []
    for span in sorted(ner, key=lambda s: (s.start, s.end)):
        etype = NER_TYPES.get(span.label)
        if etype is None or _overlaps(taken_sorted, span.start, span.end):
            continue
        trimmed = _trim(text, span.start, span.end)
        if trimmed is not None:
            # a nominative form from the tagger merges "Петрова" and "Петров" under one name
            found.append((etype, *trimmed, span.normal or text[trimmed[0]:trimmed[1]]))
    surnames = _surname_owners(found, by_key)
    for etype, start, end, surface in found:
        key = f"{etype}:{surface.casefold()}"
        if " " not in surface and etype in _SURNAME_TYPES and surface.casefold() in surnames:
            key = surnames[surface.casefold()]
        ent = by_key.get(key)
        if ent is None:
            ent = by_key[key] = Entity(id="", name=surface, type=etype, key=key, sources=["ner"])
        elif ent.type == etype and len(surface.split()) > len(ent.name.split()):
            ent.name = surface
        ent.mentions.append((start, end))


# A lone capitalised word the tagger calls a group or an organisation is often a surname.
_SURNAME_TYPES = frozenset({"PERSON", "GROUP", "ORG"})


def _surname_owners(
    found: list[tuple[str, int, int, str]], by_key: dict[str, Entity]
) -> dict[str, str]:
    """Surname -> key of the only multi-word person ending in it (ambiguous ones left out)."""
    owners: dict[str, set[str]] = {}
    full = [(f"PERSON:{name.casefold()}", name) for t, _, _, name in found
            if t == "PERSON" and " " in name]
    full += [(k, e.name) for k, e in by_key.items() if e.type == "PERSON" and " " in e.name]
    for key, name in full:
        owners.setdefault(name.split()[-1].casefold(), set()).add(key)
    return {s: next(iter(keys)) for s, keys in owners.items() if len(keys) == 1}


def index_entities(text: str, entities: list[Entity]) -> tuple[list[Entity], dict[str, str]]:
    """The entities that reach the index (`_indexable`), renumbered e1, e2, ... in order, and
    each kept entity's old id -> new id."""
    lowered = frozenset(_WORD_RUN.findall(text))  # once per text: the check stays linear
    kept = [e for e in entities if _indexable(text, e, lowered)]
    ids: dict[str, str] = {}
    for n, ent in enumerate(kept, start=1):
        ids[ent.id] = f"e{n}"
        ent.id = f"e{n}"
    return kept, ids


def prune_index(analysis: Analysis) -> None:
    """Keep only indexable entities in ``analysis``, once the detectors have read them all; a
    finding's actor or target whose entity left the index keeps its words, not the link."""
    kept, ids = index_entities(analysis.text, analysis.entities)
    for f in analysis.findings:
        for p in (f.actor, *f.targets):
            if p is not None and p.entity is not None:
                p.entity = ids.get(p.entity)
    analysis.entities = kept


@dataclass(frozen=True, slots=True)
class NerChecks:
    """The checks of ``data/entities.toml``: what a tagger-only name must show."""

    types: frozenset[str]
    particles: frozenset[str]
    adjective_endings: tuple[str, ...]
    titles: tuple[str, ...]
    common: frozenset[str]
    heads: dict[str, str]  # head word -> contract type


@lru_cache(maxsize=1)
def load_checks() -> NerChecks:
    raw = tomllib.loads(
        resources.files("redline").joinpath("data/entities.toml").read_text("utf-8")
    )["ner"]
    heads = {word: etype for etype, words in raw["heads"].items() for word in words}
    return NerChecks(
        types=frozenset(raw["types"]),
        particles=frozenset(raw["particles"]),
        adjective_endings=tuple(raw["adjective_endings"]),
        titles=tuple(sorted(raw["titles"], key=len, reverse=True)),
        common=frozenset(raw["common"]),
        heads=heads,
    )


def _indexable(text: str, ent: Entity, lowered: frozenset[str] = frozenset()) -> bool:
    """Gazetteer and speaker entities always; a name only the tagger found must read as a
    name (`_written_as_name`) and show one more sign: a head word of a known type (which
    also fixes its type), the shape of a full personal name, a second mention, or a title.
    The small English model calls "Russophobic" an organisation and "Cheburashka" a place;
    one capitalised word, once, is not enough to index."""
    if ent.sources != ["ner"]:
        return True
    checks = load_checks()
    if not _written_as_name(ent.name, checks) or _common_word(text, ent.name, checks, lowered):
        return False
    head = _head_type(ent.name, checks)
    if head is not None:
        ent.type = head
    if ent.type not in checks.types:
        return False
    return (
        head is not None
        or _full_personal_name(ent)
        or len(ent.mentions) > 1
        or any(_titled(text, start, checks) for start, _ in ent.mentions)
    )


_NAME_CHARS = re.compile(r"^[\w .’'&-]+$")


def _written_as_name(name: str, checks: NerChecks) -> bool:
    """Capitalised words (particles aside), plain name characters, no adjective ending on a
    one-word name ("Russophobic", "Ukrainian"), no shouting beyond acronym length."""
    words = name.split()
    if not words or not _NAME_CHARS.match(name) or not words[0][:1].isupper():
        return False
    if not all(w[:1].isupper() or w[:1].isdigit() or w in checks.particles for w in words):
        return False
    if len(words) == 1 and name.casefold().endswith(checks.adjective_endings):
        return False
    return not (name.isupper() and len(name.replace(" ", "")) > 6)


_WORD_RUN = re.compile(r"[\w-]+")


def _common_word(text: str, name: str, checks: NerChecks,
                 lowered: frozenset[str] = frozenset()) -> bool:
    """A word that is no name: listed as common, or one word the text also writes in lower
    case ("the State" beside "a state", "East" beside "east").  ``lowered``: the text's runs of
    word characters, read once, so that the check costs no pass over the text per entity."""
    if name in checks.common:
        return True
    if " " in name or name.isupper():
        return False
    low = name.lower()
    if _WORD_RUN.fullmatch(low):
        return low in (lowered or frozenset(_WORD_RUN.findall(text)))
    return re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", text) is not None


def _head_type(name: str, checks: NerChecks) -> str | None:
    """The type a head word gives: the last word ("Danube River"), or the first before "of"
    ("Kingdom of Poland")."""
    words = name.split()
    if len(words) < 2:
        return None
    if len(words) >= 3 and words[1] in ("of", "of the"):
        return checks.heads.get(words[0])
    return checks.heads.get(words[-1])


def _full_personal_name(ent: Entity) -> bool:
    """ "Ivan Golunov": a person named by two or three capitalised words."""
    return ent.type == "PERSON" and 2 <= len(ent.name.split()) <= 3


def _titled(text: str, start: int, checks: NerChecks) -> bool:
    """A title stands just before the mention: "President Kuchma", "Princess Olga"."""
    before = text[max(0, start - 40) : start].rstrip()
    return any(
        before.endswith(t) and (len(before) == len(t) or not before[-len(t) - 1].isalnum())
        for t in checks.titles
    )


def _join_first_names(by_key: dict[str, Entity]) -> None:
    """A lone first name the tagger calls a person ("Donald", "Barack") joins the one person
    of the document whose full name opens with it; shared first names join nobody."""
    owners: dict[str, list[Entity]] = {}
    for ent in by_key.values():
        if ent.type == "PERSON" and len(ent.name.split()) >= 2:
            owners.setdefault(ent.name.split()[0].casefold(), []).append(ent)
    for key, ent in list(by_key.items()):
        if ent.sources != ["ner"] or ent.type != "PERSON" or " " in ent.name:
            continue
        found = owners.get(ent.name.casefold(), [])
        if len(found) == 1 and found[0] is not ent:
            found[0].mentions.extend(ent.mentions)
            del by_key[key]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop a leading "the" and a possessive "'s"; refuse spans that are not names."""
    surface = text[start:end]
    lead = _LEADING.match(surface)
    if lead:
        start += lead.end()
    trail = _TRAILING.search(text[start:end])
    if trail:
        end -= len(trail.group())
    surface = text[start:end]
    if (
        end - start < 2
        or end - start > 80
        or "\n" in surface
        or not any(c.isupper() for c in surface)
        or not surface[0].isalnum()
        or not surface[-1].isalnum()
    ):
        return None
    return start, end


def _overlaps(sorted_spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(sorted_spans, (start, -1))
    for j in (i - 1, i):
        if 0 <= j < len(sorted_spans):
            s, e = sorted_spans[j]
            if s < end and start < e:
                return True
    return i < len(sorted_spans) and sorted_spans[i][0] < end


def _inside_longer(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when a span in ``spans`` (sorted) covers ``start:end`` and is longer."""
    i = bisect.bisect_right(spans, (start, end + 10**9))
    return any(s <= start and end <= e and e - s > end - start for s, e in spans[max(0, i - 3) : i])


def _aliases(text: str, ent: Entity) -> list[str]:
    """Distinct surface forms of the entity in this document, other than its name."""
    seen: list[str] = []
    for s, e in ent.mentions:
        form = text[s:e]
        if form != ent.name and form not in seen:
            seen.append(form)
    return seen
