"""Shared fixtures: the fixtures folder, an in-process CLI runner and a (sparing) subprocess runner.

The in-process runner is the default: spaCy is loaded once per test session.  Use
``run_subprocess`` only where a real process matters (bytes on standard input, the exit status
and the absence of a traceback as the user would see them), since every spawn loads spaCy again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def kremlin_pages() -> Path:
    """The raw en.kremlin.ru pages of ../shared/data/transcripts (read there, never copied
    into the repository); tests that need them skip where ../shared is absent."""
    from redline.eval.sources import shared_data_dir

    folder = shared_data_dir() / "transcripts"
    if not folder.is_dir():
        pytest.skip("../shared/data/transcripts is not on this machine")
    return folder


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The user's own document, ../shared/seed/interview.txt (read there, never copied into
    the repository: its rights are not ours); tests that need it skip where it is absent."""
    from redline.eval.sources import shared_data_dir

    path = shared_data_dir().parent / "seed" / "interview.txt"
    if not path.is_file():
        pytest.skip("../shared/seed/interview.txt is not on this machine")
    return path


@pytest.fixture(scope="session")
def seed_interview(seed_path: Path) -> str:
    return seed_path.read_text("utf-8")


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., Result]:
    """Run ``redline ARGS...`` in this process; returns click's `Result`.

    ``result.stdout`` and ``result.stderr`` are separate (click 8.3).  An exception other than
    ``SystemExit`` -- what a user would see as a traceback -- fails the test at once.
    """
    from redline.cli import main

    def run(*args: str, input: bytes | str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(main, [str(a) for a in args], input=input)
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            import traceback

            tb = "".join(traceback.format_exception(exc))
            pytest.fail(f"redline {' '.join(map(str, args))} raised {exc!r}\n{tb}")
        return result

    return run


def _run_subprocess(*args: str, input: bytes | None = None,
                    cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m redline.cli ARGS...`` as a real process; stdout/stderr decoded as UTF-8."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "redline.cli", *map(str, args)],
        input=input if input is not None else b"", capture_output=True,
        cwd=cwd or REPO, env=env, timeout=timeout, check=False,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


@pytest.fixture(scope="session")
def run_subprocess() -> Callable[..., subprocess.CompletedProcess]:
    return _run_subprocess
