"""What a long ingest tells the user while it runs and when it ends.

On a terminal: a rich progress bar with counts, rate and ETA, and problem lines printed above
it.  Elsewhere (a log file, CI, a pipe): a plain line to stderr every `PLAIN_INTERVAL` seconds,
so logs stay readable and small.  Either way the run ends with one summary line.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

PLAIN_INTERVAL = 10.0


@dataclass
class RunStats:
    """Counts for one ingest run; `line` renders the closing summary."""

    total: int | None = None
    stored: int = 0
    skipped: int = 0
    errors: int = 0
    findings: int = 0
    words: int = 0
    started: float = field(default_factory=time.monotonic)
    first_stored: float | None = None  # seconds from the start to the first stored document
    seconds: float = 0.0
    parent_peak_mb: float = 0.0
    worker_peak_mb: dict[int, float] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return self.stored + self.skipped + self.errors

    def elapsed(self) -> float:
        return self.seconds or time.monotonic() - self.started

    def line(self) -> str:
        secs = max(self.elapsed(), 1e-9)
        out = (
            f"ingest finished in {_duration(secs)}: {self.done} documents read, "
            f"{self.stored} stored, {self.skipped} already stored, {self.errors} errors; "
            f"{self.findings} findings; {self.stored / secs:.2f} documents/s, "
            f"{self.words / secs:,.0f} words/s"
        )
        if self.parent_peak_mb:
            out += f"; peak memory {self.parent_peak_mb:,.0f} MB (this process)"
        if self.worker_peak_mb:
            out += f", {max(self.worker_peak_mb.values()):,.0f} MB (largest worker)"
        return out


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


class Reporter:
    """Progress and problem lines for an ingest; a bar on a terminal, plain lines otherwise."""

    def __init__(self, stats: RunStats, *, stream: TextIO | None = None,
                 tty: bool | None = None, enabled: bool = True, label: str = "ingest") -> None:
        self.stats, self.label = stats, label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty() if tty is None else tty
        self._bar = self._task = None
        self._last = time.monotonic()
        if enabled and self.tty:
            self._start_bar()

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(file=self.stream)
        self._bar = Progress(
            TextColumn(f"[bold]{self.label}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
            TextColumn("{task.fields[note]}"), console=console, transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.stats.total, rate="", counts="",
                                        note="")

    def note(self, text: str) -> None:
        """What the run is doing now ("big.txt: English parse"), shown after the bar: one long
        document takes minutes, and its stages are the only progress there is to show."""
        if self._bar is not None:
            self._bar.update(self._task, note=text)

    def say(self, message: str) -> None:
        """One problem or note, as ``redline: ...`` on its own line (above the bar)."""
        if self._bar is not None:
            self._bar.console.print(f"redline: {message}", markup=False, highlight=False)
        else:
            print(f"redline: {message}", file=self.stream, flush=True)

    def update(self) -> None:
        """Refresh after each document; plain mode prints at most every `PLAIN_INTERVAL` s."""
        s = self.stats
        rate = s.done / max(s.elapsed(), 1e-9)
        if self._bar is not None:
            self._bar.update(self._task, completed=s.done, rate=f"{rate:.2f} docs/s",
                             counts=f"{s.findings} findings, {s.errors} errors")
            return
        now = time.monotonic()
        if self.enabled and now - self._last >= PLAIN_INTERVAL:
            self._last = now
            self.say(self._plain(rate))

    def _plain(self, rate: float) -> str:
        s = self.stats
        total = f"/{s.total}" if s.total else ""
        eta = ""
        if s.total and rate > 0:
            eta = f", ETA {_duration(max(s.total - s.done, 0) / rate)}"
        return (f"ingest: {s.done}{total} documents ({s.stored} stored, {s.skipped} already "
                f"stored, {s.errors} errors), {rate:.2f} documents/s{eta}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
