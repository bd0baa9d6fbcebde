"""Build the real-speech technique set: batches for annotators, then merge their labels.

    python scripts/technique_corpus.py batches --work ../technique-annotation
    python scripts/technique_corpus.py merge   --work ../technique-annotation

The sentences are a deterministic sample of the real-speech corpus (`tests/data/speech_*.jsonl`),
so they keep its splits by whole speech, its strata and its exclusion of the held-out
speeches. The work folder holds text read from ``../shared`` and must stay outside the
repository; ``merge`` writes `tests/data/techniques_real_{en,ru}.jsonl`, which hold offsets and
hashes, never text. ``docs/annotation-techniques.md`` is the guide.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from redline.eval.sources import REPO_ROOT, load_speeches

SEED = "redline-technique-set-v1"
PER_LANGUAGE = {"en": 1600, "ru": 1600}
BATCH = 200
TECHNIQUES = ("loaded_language", "name_calling", "repetition", "casting_doubt",
              "exaggeration_minimisation", "flag_waving", "appeal_to_fear", "whataboutism")
DATA = REPO_ROOT / "tests" / "data"


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join((SEED, *parts)).encode()).hexdigest()


def corpus(lang: str) -> list[dict]:
    with (DATA / f"speech_{lang}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def drawn(lang: str) -> list[dict]:
    """The sample: the first PER_LANGUAGE corpus sentences in hash order, which keeps the
    corpus's proportions of splits and strata up to chance."""
    return sorted(corpus(lang), key=lambda r: _key("draw", r["id"]))[:PER_LANGUAGE[lang]]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _view(r: dict, text: str) -> dict:
    before, after = r["context"]
    at = (lambda span: _clean(text[span[0]:span[1]]) if span else "")  # noqa: E731
    return {"id": r["id"], "before": at(before), "sentence": _clean(text[r["start"]:r["end"]]),
            "after": at(after)}


def batches(work: Path) -> None:
    folder = work / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    for lang in PER_LANGUAGE:
        rows = drawn(lang)
        texts = load_speeches({r["source"] for r in rows})
        views = [_view(r, texts[r["source"]]) for r in rows]
        for b in range(0, len(views), BATCH):
            path = folder / f"{lang}{b // BATCH + 1:02d}.jsonl"
            path.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n"
                                    for v in views[b:b + BATCH]), encoding="utf-8")
        print(f"{lang}: {len(views)} sentences in {folder}", file=sys.stderr)


def _normalised(raw: str) -> tuple[str, list[int]]:
    """The whitespace-normalised text and, for each of its characters, the raw offset."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(raw):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
        else:
            chars.append(ch)
            where.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def locate(phrase: str, raw: str, base: int, occurrence: int = 1) -> tuple[int, int]:
    """Offsets in the speech of the ``occurrence``-th copy of a phrase in a raw sentence."""
    norm, where = _normalised(raw)
    wanted = _clean(phrase)
    i = -1
    for _ in range(max(occurrence, 1)):
        i = norm.find(wanted, i + 1)
        if i < 0:
            i = norm.lower().find(wanted.lower())
            if i < 0:
                raise ValueError(f"{phrase!r} not in the sentence")
    return base + where[i], base + where[i + len(wanted) - 1] + 1


def _labels(work: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for path in sorted((work / "labels").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found[row["id"]] = row.get("techniques", [])
    return found


def merge(work: Path) -> None:
    labels = _labels(work)
    problems = Counter()
    for lang in PER_LANGUAGE:
        rows = [r for r in drawn(lang) if r["id"] in labels]
        texts = load_speeches({r["source"] for r in rows})
        out = []
        for r in sorted(rows, key=lambda r: r["id"]):
            raw = texts[r["source"]][r["start"]:r["end"]]
            spans = set()
            for t in labels[r["id"]]:
                if t.get("technique") not in TECHNIQUES:
                    problems["unknown technique"] += 1
                    continue
                try:
                    s, e = locate(t["text"], raw, r["start"], int(t.get("occurrence", 1)))
                except (ValueError, KeyError):
                    problems["span not in sentence"] += 1
                    continue
                spans.add((t["technique"], s, e))
            out.append({"id": r["id"], "lang": lang, "source": r["source"], "start": r["start"],
                        "end": r["end"], "sha256": r["sha256"], "context": r["context"],
                        "split": r["split"], "stratum": r["sampling"]["stratum"],
                        "techniques": [{"technique": k, "start": s, "end": e}
                                       for s, e, k in sorted((s, e, k) for k, s, e in spans)]})
        path = DATA / f"techniques_real_{lang}.jsonl"
        path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out),
                        encoding="utf-8")
        kinds = Counter(t["technique"] for o in out for t in o["techniques"])
        print(f"{lang}: {len(out)} sentences, {sum(kinds.values())} spans {dict(kinds)}",
              file=sys.stderr)
    if problems:
        print(f"dropped: {dict(problems)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("batches", "merge"))
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.work.resolve().is_relative_to(REPO_ROOT):
        parser.error("--work must lie outside the repository (it holds text from ../shared)")
    {"batches": batches, "merge": merge}[args.step](args.work)


if __name__ == "__main__":
    main()
