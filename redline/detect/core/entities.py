"""Entity mentions by offset, for linking targets, actors and holders to entities."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from redline.document import Entity, Evidence
from redline.gazetteer import load_gazetteer


class EntityIndex:
    """Entity mentions by offset, to link target and actor phrases to entities."""

    def __init__(self, entities: list[Entity]) -> None:
        self.spans = sorted(
            ((s, e, ent) for ent in entities for s, e in ent.mentions), key=lambda x: (x[0], x[1])
        )
        self.starts = [s for s, _, _ in self.spans]
        self.weapon_starts = {s for s, _, ent in self.spans if ent.type == "WEAPON"}

    def own_side_spans(self, country: str | None) -> list[tuple[int, int]]:
        """The mentions of the speaker's own state, when the document says which it is (a UN
        delegation's ``country``, as an ISO 3166-1 alpha-3 code or a name: "ARG",
        "Argentina"): "Russia will respond" in Russia's speech is the speaker's side, as "we"
        is. The state and its places ("Moscow will answer"), not its people or firms."""
        code = country_code(country or "")
        return [(s, e) for s, e, ent in self.spans
                if code and ent.country == code and ent.type == "PLACE"]

    def within(self, start: int, end: int) -> list[Entity]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            if self.spans[i][1] <= end:
                out.append(self.spans[i][2])
            i += 1
        return out

    def antecedent(self, before: int, floor: int, types: tuple[str, ...]) -> Entity | None:
        """The nearest entity of ``types`` mentioned in ``[floor, before)``."""
        i = bisect.bisect_left(self.starts, before) - 1
        while i >= 0 and self.spans[i][0] >= floor:
            ent = self.spans[i][2]
            if ent.type in types and self.spans[i][1] <= before:
                return ent
            i -= 1
        return None


@lru_cache(maxsize=64)
def country_code(country: str) -> str | None:
    """An ISO 3166-1 alpha-3 code as given ("RUS"), or the code of the place the gazetteer
    knows by that name ("Russian Federation", "Россия")."""
    if not country.strip():
        return None
    if re.fullmatch(r"[A-Z]{3}", country.strip()):
        return country.strip()
    places = [m.entry for m in load_gazetteer().find(country) if m.entry.type == "PLACE"]
    return places[0].country if places else None


REPORTED = "whose stance it is: the text reports it, so it is theirs"


def held_by(text: str, start: int, end: int, index: EntityIndex,
            why: str) -> tuple[str, Evidence]:
    """Whose a reported or quoted stance is: the linked name of the person, organisation or
    group that ``text[start:end]`` names ("Dmitry Medvedev"), else the words as printed; with
    the evidence span that says so (DESIGN: a quotation is attributed to its speaker)."""
    named = [e for e in index.within(start, end) if e.type in ("PERSON", "ORG", "GROUP")]
    name = named[0].name if named else " ".join(text[start:end].split())
    return name, Evidence(start, end, text[start:end], why)
