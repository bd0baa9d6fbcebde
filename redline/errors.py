"""Errors that reach the user as one clear line, never as a traceback."""


class RedlineError(Exception):
    """Base class: the message is meant for the user as is."""


class InputError(RedlineError):
    """An input could not be read: names the input and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        source = printable(source)
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


def printable(name: str) -> str:
    """A file name fit for a one-line message: control characters shown as escapes."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)
