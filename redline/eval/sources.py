"""The speeches the real-speech corpus points into, read where they live.

The corpus (``tests/data/speech_{en,ru}.jsonl``) stores no text from ``../shared``: each
record names its speech by ``source`` id and gives character offsets into that speech's
``text``, exactly as the data file decodes it (raw ``str`` indices; UN texts keep their ``\\r``).
This module finds a speech by id. Speeches from ``../shared/data`` are read at run time; texts
the repository may carry itself (the Carlson interview, CC BY 4.0) are read from the repository.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
_ID = re.compile(r'"id": "([^"]+)"')


@dataclass(frozen=True, slots=True)
class Collection:
    """A set of speeches: where it lives and how its ids look."""

    name: str
    lang: str
    prefix: str  # the ids of this collection start with it
    path: str  # relative to the shared data folder, or "repo:" + a path in the repository
    licence: str


COLLECTIONS = (
    Collection("un_general_debates", "en", "ungd-", "un_general_debates.jsonl.gz", "CC0 1.0"),
    Collection("kremlin_transcripts", "en", "kremlin-en-", "kremlin_transcripts.jsonl.gz",
               "CC BY 4.0, President of Russia official website, en.kremlin.ru"),
    Collection("kremlin_ru", "ru", "kremlin-ru-", "kremlin_ru.jsonl.gz",
               "CC BY 4.0, President of Russia official website, kremlin.ru"),
    Collection("carlson", "ru", "carlson-2024-", "repo:tests/fixtures/parallel",
               "CC BY 4.0, President of Russia official website, kremlin.ru"),
)


class SourceMissing(LookupError):
    """A speech the corpus points to is not on this machine (``../shared`` absent)."""


def shared_data_dir() -> Path:
    """``$REDLINE_SHARED_DATA``, else ``../shared/data`` beside the repository."""
    return Path(os.environ.get("REDLINE_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")


def collection_of(source: str) -> Collection:
    for coll in COLLECTIONS:
        if source.startswith(coll.prefix):
            return coll
    raise KeyError(f"no collection holds speech ids like {source!r}")


def _iter_collection(coll: Collection, wanted: set[str] | None) -> Iterator[dict]:
    """The records of one collection, parsing only the lines whose id is wanted."""
    if coll.path.startswith("repo:"):
        folder = REPO_ROOT / coll.path.removeprefix("repo:")
        for path in sorted(folder.glob("carlson-2024.*.txt")):
            ident = coll.prefix + path.name.split(".")[1]
            if wanted is None or ident in wanted:
                lang = path.name.split(".")[1]
                yield {"id": ident, "text": path.read_text("utf-8"), "lang": lang,
                       "title": "Interview to Tucker Carlson", "date": "2024-02-06"}
        return
    path = shared_data_dir() / coll.path
    if not path.exists():
        raise SourceMissing(f"{path} is not here: the corpus reads its speeches from "
                            "../shared/data at run time (or from $REDLINE_SHARED_DATA)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            head = _ID.search(line, 0, 300)
            if wanted is not None and head is not None and head.group(1) not in wanted:
                continue  # parse only the lines wanted: the UN file is 199 M characters
            record = json.loads(line)
            if wanted is None or record["id"] in wanted:
                yield record


def iter_speeches(collection: str) -> Iterator[dict]:
    """Every speech of a collection, in file order."""
    coll = next(c for c in COLLECTIONS if c.name == collection)
    yield from _iter_collection(coll, None)


def load_records(sources: Iterable[str]) -> dict[str, dict]:
    """The records (text and metadata) of the named speeches, by id; `SourceMissing` when a
    file or a speech is absent."""
    by_coll: dict[Collection, set[str]] = {}
    for source in sources:
        by_coll.setdefault(collection_of(source), set()).add(source)
    found: dict[str, dict] = {}
    for coll, wanted in by_coll.items():
        for record in _iter_collection(coll, wanted):
            found[record["id"]] = record
    missing = sorted(set().union(*by_coll.values()) - found.keys()) if by_coll else []
    if missing:
        raise SourceMissing(f"speeches not found: {', '.join(missing[:5])}")
    return found


def load_speeches(sources: Iterable[str]) -> dict[str, str]:
    """The texts of the named speeches, by id."""
    return {ident: record["text"] for ident, record in load_records(sources).items()}


def describe(record: dict) -> str:
    """A line saying what a speech is, for annotators and reports."""
    if record["id"].startswith("ungd-"):
        who = ", ".join(x for x in (record.get("speaker"), record.get("speaker_post")) if x)
        return (f"UN General Debate {record.get('year')}, {record.get('country') or ''}"
                + (f" ({who})" if who else ""))
    title = record.get("title") or record.get("title_en") or record["id"]
    return f"{title}, {record.get('date') or 'undated'}"


@lru_cache(maxsize=1)
def heldout_speeches() -> frozenset[str]:
    """Ids listed in ``../shared/heldout/speeches.txt``: never sampled, never annotated."""
    path = shared_data_dir().parent / "heldout" / "speeches.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text("utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))
