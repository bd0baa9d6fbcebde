"""Write redline's analyses of a fixed set of documents, to check that a change keeps the bytes.

    python benchmarks/snapshot.py --out ../snap-before     # before a restructuring
    python benchmarks/snapshot.py --out ../snap-after      # after it
    diff -r ../snap-before ../snap-after                    # every difference is intended, or a bug

The set: the written sentence sets (each sentence a document), the bundled examples, the Carlson
interview in both languages, and 200 UN General Debate speeches from ../shared/data (skipped,
with a note, where that folder is absent). One JSON file per document; the folder must be
outside the repository (it holds text from ../shared).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def documents(un_count: int) -> Iterator[tuple[str, str, str]]:
    """(name, language, text) for every document of the set, in a fixed order."""
    for name in ("events_en", "events_ru", "techniques_en", "techniques_ru"):
        lang = name[-2:]
        for line in (ROOT / "tests" / "data" / f"{name}.jsonl").read_text("utf-8").splitlines():
            rec = json.loads(line)
            yield f"{name}/{rec['id']}", lang, rec["text"]
    for path in sorted((ROOT / "examples").glob("*.txt")):
        yield f"examples/{path.stem}", "auto", path.read_text("utf-8")
    for path in sorted((ROOT / "tests" / "fixtures" / "parallel").glob("carlson-2024.*.txt")):
        yield f"parallel/{path.stem}", path.stem[-2:], path.read_text("utf-8")
    yield from _un_speeches(un_count)


def _un_speeches(count: int) -> Iterator[tuple[str, str, str]]:
    from redline.eval.sources import SourceMissing, iter_speeches

    try:
        records = list(iter_speeches("un_general_debates"))
    except SourceMissing as exc:
        print(f"snapshot: no UN speeches ({exc})", file=sys.stderr)
        return
    chosen = sorted(records, key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())[:count]
    for rec in sorted(chosen, key=lambda r: r["id"]):
        yield f"un/{rec['id']}", "en", rec["text"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--un", type=int, default=200, help="UN speeches to include")
    args = parser.parse_args()
    out = args.out.resolve()
    if ROOT in out.parents:
        parser.error("write the snapshot outside the repository")
    from redline.engine import analyze

    done = 0
    for name, lang, text in documents(args.un):
        path = out / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(analyze(text, lang=lang).to_json(), encoding="utf-8")
        done += 1
        if done % 200 == 0:
            print(f"snapshot: {done} documents", file=sys.stderr)
    print(f"snapshot: {done} documents -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
