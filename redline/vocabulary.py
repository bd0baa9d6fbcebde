"""The contract's vocabulary — actions, modalities, techniques — read from one data file.

``data/vocabulary.toml`` names each action with its wording, default severity and CAMEO codes,
and the few properties that detectors and measures ask of an action ("is it violence against
people?", "does a forecast of it threaten?"). Code asks those questions of the vocabulary and
never spells an action's name, so that adding an action is a data change.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Action:
    """One action of the contract and what redline knows about it."""

    name: str
    meaning: str
    why: str
    severity: int
    cameo_threat: str
    cameo_done: str
    violence: bool = True
    forecast_threatens: bool = False
    upgrades: bool = False
    weapon_use: bool = False
    no_answer_severity: int | None = None
    small_target_severity: int | None = None
    total_raises: bool = False
    whole_comment_demand: bool = False
    things_are_figures: bool = False
    unspecified: bool = False
    nuclear_raises: bool = False
    # Actions this one gives way to in one sentence and stance ("*": any other action).
    gives_way_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    actions: dict[str, Action]
    modalities: dict[str, str]  # name -> meaning
    techniques: tuple[str, ...]
    big_target_kinds: frozenset[str]  # gazetteer kinds: destroying one is destroying a city

    def action(self, name: str) -> Action:
        try:
            return self.actions[name]
        except KeyError:
            raise KeyError(f"{name!r} is not an action of the vocabulary "
                           f"({', '.join(self.actions)})") from None

    def actions_where(self, flag: str) -> frozenset[str]:
        """Names of the actions with a true ``flag`` ("violence", "upgrades", ...)."""
        return frozenset(a.name for a in self.actions.values() if getattr(a, flag))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = tomllib.loads(
        resources.files("redline").joinpath("data/vocabulary.toml").read_text("utf-8"))
    actions = {}
    for entry in raw["action"]:
        entry = dict(entry)
        threat, done = entry.pop("cameo")
        entry["gives_way_to"] = tuple(entry.get("gives_way_to", ()))
        actions[entry["name"]] = Action(cameo_threat=threat, cameo_done=done, **entry)
    modalities = {m["name"]: m["meaning"] for m in raw["modality"]}
    return Vocabulary(actions, modalities, tuple(raw["techniques"]["names"]),
                      frozenset(raw["targets"]["big_kinds"]))


ACTIONS: tuple[str, ...] = tuple(vocabulary().actions)
MODALITIES: tuple[str, ...] = tuple(vocabulary().modalities)
TECHNIQUES: tuple[str, ...] = vocabulary().techniques
