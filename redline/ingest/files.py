"""Open input files safely: regular files only, read with a bound.

A named pipe would block the batch until a writer came, a device such as ``/dev/zero`` never
ends, and a file in ``/proc`` reports size 0 whatever it holds: every reader of a file on disk
goes through `open_regular` (and `read_bounded` for one-document files).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
         (stat.S_ISDIR, "a directory"))


def file_kind(mode: int) -> str:
    """What a non-regular file is, for the message that skips it."""
    return next((kind for test, kind in KINDS if test(mode)), "a special file")


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file.

    The file is opened without blocking and checked on the open descriptor, so a named pipe
    (which would wait for a writer forever) or a device (``/dev/zero`` never ends) is refused
    even when it replaced a regular file after the caller looked at it.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"not a regular file ({file_kind(mode)})")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of a regular file, or None when it holds more than ``max_bytes`` (a file in
    /proc reports size 0 and a file can grow after it was measured: the read itself is
    bounded)."""
    with open_regular(path) as fh:
        data = fh.read(max_bytes + 1)
    return None if len(data) > max_bytes else data
