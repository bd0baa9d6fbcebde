"""Modality as a table of named rules: the same engine for every language.

A language pack reads the clause around a trigger once and lists its rules in order; each rule
looks at the clause and either decides the stance (`decide`: the modality, the token that
decided it and a plain reason, which becomes an evidence span) or passes. The first rule that
decides wins; when none does, the act is stated as fact: a report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from redline.detect.core.findings import Reading


class Readable(Protocol):
    """A clause as the rules see it: at least the reading they fill in."""

    r: Reading


C = TypeVar("C", bound=Readable)
Rule = Callable[[C], bool]


def decide(r: Reading, modality: str, cue: Any, why: str) -> bool:
    """Settle the stance: ``cue`` is the token that decided it, ``why`` says how."""
    r.modality, r.cue = modality, (cue, why)
    return True


def apply_rules(clause: C, rules: Sequence[Callable[[C], bool]], fallback: Any) -> Reading:
    """The first rule that decides; a statement of fact (report) when none does."""
    if not any(rule(clause) for rule in rules):
        decide(clause.r, "report", fallback, "stated as fact")
    return clause.r
