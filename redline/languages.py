"""The languages redline analyses: whatever the registry has components for.

A language is added by registering its components (a parse and a detector, usually a language
pack of `redline.detect`); nothing else names languages. The command line, the corpus store and
the web app ask here which codes they may accept.
"""

from __future__ import annotations

import click

from redline.registry import Registry


def shared_registry() -> Registry:
    """The registry `redline.analyze` uses (built-ins plus anything registered since)."""
    from redline.components import shared_registry

    return shared_registry()


def language_codes(reg: Registry | None = None) -> tuple[str, ...]:
    """Every language some registered component serves, sorted."""
    reg = reg or shared_registry()
    return tuple(sorted({code for comp in reg.ordered() for code in comp.languages}))


def language_name(code: str, reg: Registry | None = None) -> str:
    """A language's name as its parse component gives it ("English"), else its code."""
    reg = reg or shared_registry()
    for comp in reg.ordered():
        if comp.stage == "parse" and code in comp.languages:
            return getattr(comp, "label", "") or code
    return code


def check_language(code: str, *, auto: bool = True) -> str:
    """``code`` lower-cased when redline analyses it (or ``auto``); a ValueError naming the
    choices otherwise."""
    code = code.strip().lower()
    choices = (("auto",) if auto else ()) + language_codes()
    if code not in choices:
        raise ValueError(f"unknown language {code!r}: choose {', '.join(choices)}")
    return code


class Language(click.ParamType):
    """A language code redline analyses (the registry decides: `redline components`), or
    ``auto`` where the command identifies it. Checked when the command runs, so that a
    language pack registered by a plugin is accepted."""

    name = "language"

    def __init__(self, auto: bool = True) -> None:
        self.auto = auto

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        try:
            return check_language(str(value), auto=self.auto)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "auto|CODE" if self.auto else "CODE"
