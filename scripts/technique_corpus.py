"""Build the real-speech technique set: batches for annotators, then merge their labels.

    python scripts/technique_corpus.py batches --work ../technique-annotation
    python scripts/technique_corpus.py extend  --work ../technique-annotation   # more dev
    python scripts/technique_corpus.py merge   --work ../technique-annotation
    python scripts/technique_corpus.py audit   --work ../technique-annotation   # cue hits to read
    python scripts/technique_corpus.py precision --work ../technique-annotation  # from judgements
    python scripts/technique_corpus.py agree   --work ../technique-annotation   # two passes

The sentences are a deterministic sample of the real-speech corpus (`tests/data/speech_*.jsonl`),
so they keep its splits by whole speech, its strata and its exclusion of the held-out
speeches. ``extend`` adds training sentences to the dev split only (the test split stays as it
was): English, more dev sentences of the corpus; Russian, whose corpus dev split is nearly all
drawn, also other sentences of the corpus's dev speeches. The work folder holds text read from
``../shared`` and must stay outside the repository; ``merge`` writes
`tests/data/techniques_real_{en,ru}.jsonl`, which hold offsets and hashes, never text.
``docs/annotation-techniques.md`` is the guide.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from speech_corpus import normalised_map  # scripts/: the corpus builder's offset map

from redline.detect.techniques import _cue_spans, _repetitions, load_cues
from redline.document import Segment
from redline.eval.sources import REPO_ROOT, heldout_speeches, iter_speeches, load_speeches
from redline.eval.techniques import cue_rule_spans, score_spans

SEED = "redline-technique-set-v1"
PER_LANGUAGE = {"en": 1600, "ru": 1600}
EXTENSION = {"en": 2600, "ru": 3600}  # dev sentences added by `extend` (three rounds)
EXTENSION_STRATUM = "extension"  # a dev speech's sentence outside the speech corpus
MIN_WORDS, MAX_WORDS = 4, 120  # the speech corpus's bounds on a sampled sentence
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


def extension(lang: str) -> list[dict]:
    """Dev sentences added for training: the corpus's undrawn dev sentences in hash order,
    then (when they run out) sentences of the corpus's dev speeches that the corpus did not
    sample, also in hash order. Never a test-split speech: the split is by whole speech."""
    first = {r["id"] for r in drawn(lang)}
    rows = [r for r in corpus(lang) if r["split"] == "dev" and r["id"] not in first]
    rows.sort(key=lambda r: _key("extend", r["id"]))
    rows = rows[:EXTENSION[lang]]
    if len(rows) < EXTENSION[lang]:
        rows += _unsampled(lang)[:EXTENSION[lang] - len(rows)]
    return rows


def _unsampled(lang: str) -> list[dict]:
    """Sentences of the corpus's dev speeches that the corpus did not sample, as records of
    its shape, in hash order (ids ``<lang>-t<source>-<start>``)."""
    from speech_corpus import sentences, words

    rows = corpus(lang)
    test = _test_works()
    dev = sorted({r["source"] for r in rows if r["split"] == "dev"} - test)
    taken = {(r["source"], r["start"]) for r in rows}
    texts = load_speeches(dev)
    out = []
    for source in dev:
        text = texts[source]
        sents = sentences(text)
        for i, s in enumerate(sents):
            if (source, s.start) in taken or not MIN_WORDS <= words(text[s.start:s.end]) <= \
                    MAX_WORDS:
                continue
            around = [[sents[j].start, sents[j].end] if 0 <= j < len(sents) else None
                      for j in (i - 1, i + 1)]
            out.append({"id": f"{lang}-t{source}-{s.start}", "lang": lang, "source": source,
                        "start": s.start, "end": s.end, "context": around, "split": "dev",
                        "sha256": hashlib.sha256(text[s.start:s.end].encode()).hexdigest()[:16],
                        "sampling": {"stratum": EXTENSION_STRATUM}})
    return sorted(out, key=lambda r: _key("extend", r["id"]))


def labelled_rows(lang: str) -> list[dict]:
    """Every sentence given to annotators: the first sample, then the extension."""
    return drawn(lang) + extension(lang)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _view(r: dict, text: str) -> dict:
    before, after = r["context"]
    at = (lambda span: _clean(text[span[0]:span[1]]) if span else "")  # noqa: E731
    return {"id": r["id"], "before": at(before), "sentence": _clean(text[r["start"]:r["end"]]),
            "after": at(after)}


def batches(work: Path, pick=drawn, prefix: str = "") -> None:
    """Batches of BATCH sentences for annotators (``batches/<lang><prefix>NN.jsonl``)."""
    folder = work / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    for lang in PER_LANGUAGE:
        rows = pick(lang)
        texts = load_speeches({r["source"] for r in rows})
        views = [_view(r, texts[r["source"]]) for r in rows]
        for b in range(0, len(views), BATCH):
            path = folder / f"{lang}{prefix}{b // BATCH + 1:02d}.jsonl"
            path.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n"
                                    for v in views[b:b + BATCH]), encoding="utf-8")
        print(f"{lang}: {len(views)} sentences in {folder}", file=sys.stderr)


def extend(work: Path) -> None:
    """Batches of the extension (``batches/<lang>xNN.jsonl``)."""
    batches(work, extension, "x")


def locate(phrase: str, raw: str, base: int, occurrence: int = 1) -> tuple[int, int]:
    """Offsets in the speech of the ``occurrence``-th copy of a phrase in a raw sentence."""
    norm, where = normalised_map(raw)
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


def _merged_before(lang: str) -> dict[str, dict]:
    """The set as merged so far, by id: a merge adds to it and never loses a sentence whose
    labels are not in the work folder (an earlier round's, say)."""
    path = DATA / f"techniques_real_{lang}.jsonl"
    if not path.exists():
        return {}
    return {r["id"]: r for r in map(json.loads, path.read_text("utf-8").splitlines())}


def merge(work: Path) -> None:
    labels = _labels(work)
    problems = Counter()
    for lang in PER_LANGUAGE:
        before = _merged_before(lang)
        rows = [r for r in labelled_rows(lang) if r["id"] in labels]
        texts = load_speeches({r["source"] for r in rows})
        out = [rec for i, rec in before.items() if i not in labels]
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
        out.sort(key=lambda o: o["id"])
        path = DATA / f"techniques_real_{lang}.jsonl"
        path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out),
                        encoding="utf-8")
        kinds = Counter(t["technique"] for o in out for t in o["techniques"])
        print(f"{lang}: {len(out)} sentences, {sum(kinds.values())} spans {dict(kinds)}",
              file=sys.stderr)
    if problems:
        print(f"dropped: {dict(problems)}", file=sys.stderr)


def _passes(work: Path, folder: str, batch: str) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """One pass's spans of a batch, by sentence, in offsets of the batch's sentence text."""
    sentences = {json.loads(line)["id"]: json.loads(line)["sentence"] for line in
                 (work / "batches" / f"{batch}.jsonl").read_text("utf-8").splitlines()}
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for line in (work / folder / f"{batch}.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        spans: dict[str, list[tuple[int, int]]] = {}
        for t in row["techniques"]:
            try:
                s, e = locate(t["text"], sentences[row["id"]], 0, int(t.get("occurrence", 1)))
            except ValueError:
                continue
            spans.setdefault(t["technique"], []).append((s, e))
        out[row["id"]] = spans
    return out


def agree(work: Path) -> None:
    """Agreement of the second pass (``labels2/``) with the first on the batches both read:
    the SemEval span score of one against the other, and Cohen's kappa on whether a sentence
    holds a technique at all."""
    for path in sorted((work / "labels2").glob("*.jsonl")):
        first, second = _passes(work, "labels", path.stem), _passes(work, "labels2", path.stem)
        both = sorted(first.keys() & second.keys())
        scores = score_spans((second[i], first[i]) for i in both)
        a = [bool(first[i]) for i in both]
        b = [bool(second[i]) for i in both]
        po = sum(x == y for x, y in zip(a, b, strict=True)) / len(both)
        pa, pb = sum(a) / len(both), sum(b) / len(both)
        pe = pa * pb + (1 - pa) * (1 - pb)
        kappa = (po - pe) / (1 - pe) if pe < 1 else 1.0
        print(f"{path.stem}: {len(both)} sentences; any technique kappa {kappa:.3f}")
        for tech, row in scores.items():
            print(f"  {tech:28} F1 {row['f1']:.3f}  (first {row['gold']}, second "
                  f"{row['predicted']})")


# --- the precision audit of every cue -------------------------------------------------------

AUDIT_UN = 200  # UN General Debate speeches read by the audit
AUDIT_FOLDER = "audit"
AUDIT_SAMPLE, AUDIT_MIN_HITS = 20, 20  # hits read per cue, and the hits a cue needs to be read
REACH = 160  # characters of context on each side of a hit


def _test_works() -> set[str]:
    """Speeches of the corpus's test split (and their translations): the audit never reads
    them, so that the technique set's test split stays unseen."""
    out = set()
    for lang in PER_LANGUAGE:
        out |= {r["source"] for r in corpus(lang) if r["split"] == "test"}
    return out


def audit_pool(lang: str) -> list[dict]:
    """Real speech for the audit: 200 UN speeches drawn by hash (English), the Kremlin
    transcripts and the Carlson interview; never a held-out or a test-split speech."""
    skip = heldout_speeches() | _test_works()
    if lang == "en":
        un = [r for r in iter_speeches("un_general_debates") if r["id"] not in skip]
        un = sorted(un, key=lambda r: _key("audit", r["id"]))[:AUDIT_UN]
        rest = [r for r in iter_speeches("kremlin_transcripts") if r["id"] not in skip]
        carlson = REPO_ROOT / "tests/fixtures/parallel/carlson-2024.en.txt"
        return un + rest + [{"id": "carlson-2024-en", "text": carlson.read_text("utf-8")}]
    rest = [r for r in iter_speeches("kremlin_ru") if r["id"] not in skip]
    return rest + [{"id": r["id"], "text": r["text"]} for r in iter_speeches("carlson")
                   if r["lang"] == "ru"]


def cue_keys(lang: str) -> list[str]:
    """One name per cue in file order: `technique/terms#N` for a term list (each term is read
    as its own cue), `technique/regex#N` for a pattern."""
    path = REPO_ROOT / "redline" / "data" / "techniques" / f"{lang}.toml"
    raw = tomllib.loads(path.read_text("utf-8"))
    return [f"{e['technique']}/{'terms' if 'terms' in e else 'regex'}#{n}"
            for n, e in enumerate(raw.get("cue", []))]


def _hits(lang: str, record: dict) -> list[tuple[str, int, int]]:
    """Every cue hit of a speech: (cue name, start, end); a term list names the term. Each
    cue is run alone over the whole text to name its hits; a hit counts where an analysis
    marks it too, so the audit reads what redline shows."""
    cues, repetition = load_cues(lang)
    text = record["text"]
    seg = Segment("s1", "turn", 0, len(text))
    shown = set(cue_rule_spans(text, lang))
    out = []
    for key, cue in zip(cue_keys(lang), cues, strict=True):
        for t in _cue_spans(text, seg, (cue,)):
            name = f"{key}:{t.text.lower()}" if "/terms#" in key else key
            out.append((name, t.start, t.end))
    if repetition is not None:
        form = {why: name for name, why in repetition.why.items()}
        out += [(f"repetition/{form[t.why]}", t.start, t.end)
                for t in _repetitions(text, seg, repetition)]
    return [(name, s, e) for name, s, e in out if (name.split("/")[0], s, e) in shown]


def audit(work: Path, folder_name: str = AUDIT_FOLDER) -> None:
    """Every cue's hits over real speech; for each cue with at least 20, 20 drawn by hash,
    each in its context, for a reader to judge (``audit/<lang>.jsonl``)."""
    folder = work / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    for lang in PER_LANGUAGE:
        hits: dict[str, list[dict]] = {}
        speeches = audit_pool(lang)
        for rec in speeches:
            text = rec["text"]
            for name, s, e in _hits(lang, rec):
                left, right = max(0, s - REACH), min(len(text), e + REACH)
                hits.setdefault(name, []).append({
                    "hit": f"{rec['id']}:{s}-{e}", "cue": name,
                    "context": _clean(text[left:s]) + " [[" + text[s:e] + "]] "
                    + _clean(text[e:right])})
        rows, counts = [], {}
        for name in sorted(hits):
            counts[name] = len(hits[name])
            if len(hits[name]) >= AUDIT_MIN_HITS:
                rows += sorted(hits[name], key=lambda h: _key("hit", h["hit"]))[:AUDIT_SAMPLE]
        (folder / f"{lang}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        (folder / f"{lang}-counts.json").write_text(json.dumps(counts, indent=1,
                                                               ensure_ascii=False))
        read = sum(1 for n in counts if counts[n] >= AUDIT_MIN_HITS)
        print(f"{lang}: {len(speeches)} speeches, {sum(counts.values())} hits of {len(counts)} "
              f"cues; {read} cues with >= {AUDIT_MIN_HITS} hits, {len(rows)} hits to read",
              file=sys.stderr)


def precision(work: Path, folder_name: str = AUDIT_FOLDER) -> None:
    """Precision per cue from the readers' judgements (``judgements/<lang>*.jsonl``: one
    ``{"hit": ..., "correct": true|false}`` a line), as a table."""
    for lang in PER_LANGUAGE:
        cue_of = {json.loads(line)["hit"]: json.loads(line)["cue"] for line in
                  (work / folder_name / f"{lang}.jsonl").read_text("utf-8").splitlines()}
        counts = json.loads((work / folder_name / f"{lang}-counts.json").read_text("utf-8"))
        judged: dict[str, list[bool]] = {}
        judged_in = work / ("judgements" if folder_name == AUDIT_FOLDER
                            else f"{folder_name}-judgements")
        for path in sorted(judged_in.glob(f"{lang}*.jsonl")):
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    judged.setdefault(cue_of[row["hit"]], []).append(bool(row["correct"]))
        print(f"| {lang} cue | hits in the audit corpus | read | precision |")
        print("|---|---:|---:|---:|")
        for name in sorted(judged, key=lambda n: (sum(judged[n]) / len(judged[n]), n)):
            marks = judged[name]
            print(f"| `{name}` | {counts[name]} | {len(marks)} | {sum(marks) / len(marks):.2f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("batches", "extend", "merge", "audit", "precision",
                                         "agree"))
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--audit-folder", default=AUDIT_FOLDER,
                        help="audit, precision: the sub-folder of the audit round")
    args = parser.parse_args(argv)
    if args.work.resolve().is_relative_to(REPO_ROOT):
        parser.error("--work must lie outside the repository (it holds text from ../shared)")
    if args.step in ("audit", "precision"):
        {"audit": audit, "precision": precision}[args.step](args.work, args.audit_folder)
        return
    {"batches": batches, "extend": extend, "merge": merge, "agree": agree}[args.step](args.work)


if __name__ == "__main__":
    main()
