"""Build the real-speech corpus: survey speeches, sample sentences, merge annotations.

    python scripts/speech_corpus.py survey --work ../annotation     # segment + run today's rules
    python scripts/speech_corpus.py sample --work ../annotation     # strata, splits, batches
    python scripts/speech_corpus.py merge  --work ../annotation     # labels -> tests/data/*.jsonl
    python scripts/speech_corpus.py agree  --work ../annotation     # Cohen's kappa, two passes

The work folder holds text read from ``../shared`` (annotation batches) and must stay outside
the repository; only ``merge`` writes into it, and what it writes holds offsets and hashes,
never the text. Everything is deterministic: the same data and the same code give the same
sample, byte for byte. ``docs/annotation.md`` is the guide; ``tests/data/README.md`` describes
the files and the sampling design.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from redline.eval.agreement import agreement, disagreements
from redline.eval.sources import (
    REPO_ROOT,
    collection_of,
    describe,
    heldout_speeches,
    iter_speeches,
    load_records,
    load_speeches,
)

SEED = "redline-speech-corpus-v1"
UN_PER_DECADE = 70  # UN General Debate speeches drawn per decade of the pool
MIN_WORDS, MAX_WORDS = 4, 120  # sentences outside this range are not sampled
DEV_SHARE = 0.6  # of each collection's force talk (FORCE_TALK), by whole works
FORCE_TALK = {"rule": 5, "keyword": 1}
STRATA = ("rule", "stance", "keyword", "near", "random")
STRATUM_METHOD = {
    "rule": "today's rules find an act of force in the sentence",
    "stance": "a force word and a stance cue (must, will, ready to ...), no rule finding",
    "keyword": "a force word (sampling list), but no rule finding",
    "near": "within two sentences of a rule finding, no force word",
    "random": "none of the above: running text",
}
# Sentences drawn per stratum and language (fewer if the stratum is smaller).
ALLOCATION = {
    "en": {"rule": 1100, "keyword": 1500, "near": 600, "random": 1250},
    "ru": {"rule": 450, "keyword": 1100, "near": 300, "random": 300},
}
FORCE_WORDS = {
    # The sampling instrument for the "keyword" stratum: broad on purpose (it decides where
    # annotators look, not what counts). Matched case-insensitively at word starts.
    "en": r"""attack strik struck bomb shell missile rocket nuclear atomic weapon armed arms\b
        war\b wars\b warfare warring invad invasion occup annex aggress kill murder massacre
        genocide slaughter extermin execut assassin destroy destruct annihilat obliterat
        wipe troops militar army armies force violen terror hostage kidnap abduct seiz
        blockade sanction retaliat reprisal retribution punish raid shoot shot\b combat
        fight battle hostilit offensive bloodshed tortur rape cleansing deport expel
        intervene intervention struggle consequences respond response crush repel defen
        deter mobili alert readiness drone artillery tank\b tanks\b guerrill insurg
        liberat revenge avenge bloodbath eliminat eradicat""",
    "ru": r"""удар атак бомб обстрел ракет ядерн атомн оруж войн воен вторж оккуп аннекс
        агресс убий убив убит уничтож истреб геноцид казн расстрел террор заложник похищ
        захват блокад санкц возмезд ответ отпор наказ силов сил армия армии арми войск
        боев бой\b бои\b сражен насили пыт депорт мобилиз наступл разгром дрон беспилот
        снаряд артиллер танк угроз сдерж оборон ликвид зачист стрел штурм освобод
        карател обстрел диверс взорв взрыв""",
}


# The "stance" stratum (`extend`): where the speaker's own calls, threats and proposals are
# likeliest among the sentences the rules miss -- a force word and a word of urging, resolve or
# condition. Carved out of the keyword stratum after the first sample.
STANCE_CUES = {
    "en": r"""must should shall will 'll ’ll would need needs have\s+to has\s+to let\s+us let's
        let’s ought call\s+(?:for|on|upon) calls\s+(?:for|on|upon) urge demand ready prepared
        determined reserve hesitate no\s+choice propose suggest option any\s+aggression if
        unless warn threaten""",
    "ru": r"""должн надо нужно необходимо следует пора давайте давай будем будет будут ответ
        готов вынужд оставля призыва призыв требу если любой любая любое любые угрожа
        предупрежда""",
}
EXTENSION = {"en": 1000, "ru": 400}  # stance sentences added by `extend`


def stance_pattern(lang: str) -> re.Pattern[str]:
    cues = STANCE_CUES[lang].split()
    return re.compile(r"(?<!\w)(?:" + "|".join(cues) + r")(?!\w)" if lang == "en"
                      else r"(?<!\w)(?:" + "|".join(cues) + ")", re.IGNORECASE)


def force_pattern(lang: str) -> re.Pattern[str]:
    stems = FORCE_WORDS[lang].split()
    return re.compile(r"(?<!\w)(?:" + "|".join(stems) + ")", re.IGNORECASE)


# --- segmentation --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


def sentences(text: str) -> list[Sentence]:
    """razdel's sentences (offsets kept), also cut at blank lines; spans hold no outer space."""
    from razdel import sentenize

    out: list[Sentence] = []
    for sent in sentenize(text):
        start = sent.start
        for piece in re.split(r"(\n[ \t\r]*\n)", text[sent.start:sent.stop]):
            stripped = piece.strip()
            if stripped and not re.fullmatch(r"\n[ \t\r]*\n", piece):
                lead = len(piece) - len(piece.lstrip())
                out.append(Sentence(start + lead, start + lead + len(stripped)))
            start += len(piece)
    return out


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


# --- the pool ------------------------------------------------------------------------------

def _key(*parts: str) -> str:
    return hashlib.sha256("|".join((SEED, *parts)).encode()).hexdigest()


def un_pool() -> list[str]:
    """UN General Debate speeches: UN_PER_DECADE a decade, drawn by hash, held-out ones out."""
    held = heldout_speeches()
    by_decade: dict[int, list[str]] = defaultdict(list)
    for rec in iter_speeches("un_general_debates"):
        if rec["id"] not in held:
            by_decade[int(rec["year"]) // 10].append(rec["id"])
    chosen: list[str] = []
    for decade in sorted(by_decade):
        ids = sorted(by_decade[decade], key=lambda i: _key("un", i))
        chosen.extend(sorted(ids[:UN_PER_DECADE]))
    return chosen


def _heldout_dates() -> set[str]:
    """Dates of the held-out kremlin.ru texts ('kremlin 2022-09-21 Address ...')."""
    return {line.split()[1] for line in heldout_speeches() if line.startswith("kremlin ")}


def pool(lang: str) -> list[str]:
    held_dates = _heldout_dates()
    if lang == "en":
        kremlin = [r["id"] for r in iter_speeches("kremlin_transcripts")
                   if r.get("date") not in held_dates]
        return un_pool() + sorted(kremlin)
    kremlin = [r["id"] for r in iter_speeches("kremlin_ru")
               if r.get("date") not in held_dates and r["id"] != "kremlin-ru-69390"]
    return [*sorted(kremlin), "carlson-2024-ru"]


def work_of(source: str) -> str:
    """Speeches that are one work (a text and its translation) share a split."""
    if source.startswith(("kremlin-en-", "kremlin-ru-")):
        return "kremlin-" + source.split("-", 2)[2]
    if source.startswith("carlson-2024-"):
        return "carlson-2024"
    return source


# --- survey: segment and run today's rules -------------------------------------------------

def _survey_one(args: tuple[str, str, str]) -> list[dict]:
    source, text, lang = args
    from redline.engine import analyze

    analysis = analyze(text.replace("\r", " "), lang=lang)  # same length: offsets hold
    sents = sentences(text)
    flagged = [0] * len(sents)
    starts = [s.start for s in sents]
    import bisect

    for f in analysis.findings:
        i = bisect.bisect_right(starts, f.start) - 1
        if i >= 0 and f.start < sents[i].end:
            flagged[i] += 1
    pattern = force_pattern(lang)
    rows = []
    for i, s in enumerate(sents):
        segment = analysis.segment_at(s.start)
        rows.append({
            "source": source, "i": i, "start": s.start, "end": s.end,
            "words": words(text[s.start:s.end]), "findings": flagged[i],
            "force_word": bool(pattern.search(text[s.start:s.end])),
            "speaker": segment.speaker if segment else None,
            "segment_kind": segment.kind if segment else None,
        })
    return rows


def survey(work: Path, lang: str, jobs: int) -> None:
    sources = pool(lang)
    texts = load_speeches(sources)
    out = work / f"survey_{lang}.jsonl"
    done = 0
    with out.open("w", encoding="utf-8") as fh, ProcessPoolExecutor(jobs) as ex:
        tasks = ((s, texts[s], lang) for s in sources)
        for rows in ex.map(_survey_one, tasks, chunksize=2):
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            done += 1
            if done % 25 == 0:
                print(f"survey {lang}: {done}/{len(sources)} speeches", file=sys.stderr)
    print(f"survey {lang}: {len(sources)} speeches -> {out}", file=sys.stderr)


# --- sample --------------------------------------------------------------------------------

def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def stratify(rows: list[dict]) -> None:
    """Give each row its stratum (rows of one speech are consecutive and in order)."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_source[row["source"]].append(row)
    for sents in by_source.values():
        flagged = {r["i"] for r in sents if r["findings"]}
        for r in sents:
            near = any(abs(r["i"] - j) <= 2 for j in flagged)
            r["stratum"] = ("rule" if r["findings"] else "keyword" if r["force_word"]
                            else "near" if near else "random")


def assign_splits(rows: list[dict], fixed: dict[str, str] | None = None) -> dict[str, str]:
    """Whole works to dev or test, per collection, so that dev holds about DEV_SHARE of the
    sentences where force is talked of (rule and keyword strata, weighted by FORCE_TALK):
    works in hash order, each to the split furthest below its share. ``fixed`` works (a
    translation already placed) keep their split, so that a text and its translation are
    never on both sides."""
    size: Counter[str] = Counter()
    for r in rows:  # a sentence the rules flag counts as much as five with a force word
        size[work_of(r["source"])] += FORCE_TALK.get(r["stratum"], 0)
    coll_of = {work_of(r["source"]): collection_of(r["source"]).name for r in rows}
    split: dict[str, str] = {}
    for coll in sorted(set(coll_of.values())):
        works = sorted((w for w in coll_of if coll_of[w] == coll), key=lambda w: _key("split", w))
        works.sort(key=lambda w: w not in (fixed or {}))  # placed works first
        have: Counter[str] = Counter()
        for w in works:
            total = sum(have.values()) + size[w]
            dev_gap = DEV_SHARE * total - have["dev"]
            test_gap = (1 - DEV_SHARE) * total - have["test"]
            choice = "dev" if dev_gap >= test_gap else "test"
            split[w] = (fixed or {}).get(w, choice)
            have[split[w]] += size[w]
    return split


def all_splits(work: Path) -> dict[str, dict[str, str]]:
    """Splits for both languages: Russian first (fewer, larger works), then English with the
    works the two share already placed."""
    placed: dict[str, str] = {}
    out: dict[str, dict[str, str]] = {}
    for lang in ("ru", "en"):
        rows = list(read_jsonl(work / f"survey_{lang}.jsonl"))
        stratify(rows)
        out[lang] = assign_splits(rows, fixed=placed)
        placed.update(out[lang])
    return out


def sample(work: Path, lang: str) -> None:
    rows = list(read_jsonl(work / f"survey_{lang}.jsonl"))
    stratify(rows)
    split_of = all_splits(work)[lang]
    eligible = [r for r in rows if MIN_WORDS <= r["words"] <= MAX_WORDS]
    population: Counter[tuple[str, str]] = Counter(
        (split_of[work_of(r["source"])], r["stratum"]) for r in eligible)
    chosen: list[dict] = []
    for stratum in ALLOCATION[lang]:  # the first four strata ("stance": `extend`)
        pool_rows = [r for r in eligible if r["stratum"] == stratum]
        pool_rows.sort(key=lambda r: _key("draw", r["source"], str(r["start"])))
        chosen.extend(pool_rows[: ALLOCATION[lang][stratum]])
    speeches = load_records(sorted({r["source"] for r in chosen}))
    chosen.sort(key=lambda r: (r["source"], r["start"]))
    records, views = _drawn(lang, chosen, 1, rows, split_of, population, speeches)
    _write_jsonl(work / f"sample_{lang}.jsonl", records)
    _write_batches(work, f"{lang}-", views)
    counts = Counter((rec["split"], rec["sampling"]["stratum"]) for rec in records)
    print(f"sample {lang}: {len(records)} sentences from "
          f"{len({r['source'] for r in records})} speeches; {dict(sorted(counts.items()))}",
          file=sys.stderr)


def extend(work: Path, lang: str) -> None:
    """Add the "stance" stratum: keyword sentences with a stance cue move to it (first sample
    included: it was uniform within the keyword stratum, so it stays uniform within both), and
    EXTENSION more are drawn from it. Ids of the first sample are kept; new batches are
    written as ``<lang>-xNN``."""
    rows = list(read_jsonl(work / f"survey_{lang}.jsonl"))
    stratify(rows)
    split_of = all_splits(work)[lang]
    speeches = load_records(sorted({r["source"] for r in rows}))
    cue = stance_pattern(lang)
    for r in rows:
        if r["stratum"] == "keyword" and cue.search(
                speeches[r["source"]]["text"][r["start"]:r["end"]]):
            r["stratum"] = "stance"
    eligible = [r for r in rows if MIN_WORDS <= r["words"] <= MAX_WORDS]
    population: Counter[tuple[str, str]] = Counter(
        (split_of[work_of(r["source"])], r["stratum"]) for r in eligible)
    old = list(read_jsonl(work / f"sample_{lang}.jsonl"))
    have = {(rec["source"], rec["start"]) for rec in old}
    stratum_of = {(r["source"], r["start"]): r["stratum"] for r in rows}
    for rec in old:
        stratum = stratum_of[(rec["source"], rec["start"])]
        rec["sampling"] = {"stratum": stratum,
                           "stratum_size": population[(rec["split"], stratum)],
                           "method": STRATUM_METHOD[stratum]}
    pool_rows = [r for r in eligible if r["stratum"] == "stance"
                 and (r["source"], r["start"]) not in have]
    pool_rows.sort(key=lambda r: _key("draw-stance", r["source"], str(r["start"])))
    added = sorted(pool_rows[:EXTENSION[lang]], key=lambda r: (r["source"], r["start"]))
    first = max(int(rec["id"].split("-")[1]) for rec in old) + 1
    records, views = _drawn(lang, added, first, rows, split_of, population, speeches)
    old.extend(records)
    _write_jsonl(work / f"sample_{lang}.jsonl", old)
    _write_batches(work, f"{lang}-x", views)
    counts = Counter((rec["split"], rec["sampling"]["stratum"]) for rec in old)
    print(f"extend {lang}: {len(added)} stance sentences added, {len(old)} in all; "
          f"{dict(sorted(counts.items()))}", file=sys.stderr)


def _drawn(lang: str, picked: list[dict], first: int, rows: list[dict],
           split_of: dict[str, str], population: Counter[tuple[str, str]],
           speeches: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """Corpus records and annotation views of the ``picked`` survey rows, numbered from
    ``first`` (``rows``: the whole survey, for each sentence's neighbours)."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_source[r["source"]].append(r)
    records, views = [], []
    for n, r in enumerate(picked, start=first):
        rid = f"{lang}-{n:05d}"
        sents, text = by_source[r["source"]], speeches[r["source"]]["text"]
        split = split_of[work_of(r["source"])]
        records.append(_record(rid, lang, r, sents, split, population, text))
        views.append(_view(rid, r, sents, text) | {"speech": describe(speeches[r["source"]])})
    return records, views


def _span(sents: list[dict], i: int) -> list[int] | None:
    return [sents[i]["start"], sents[i]["end"]] if 0 <= i < len(sents) else None


def _record(rid: str, lang: str, r: dict, sents: list[dict], split: str,
            population: Counter, text: str) -> dict:
    sentence = text[r["start"]:r["end"]]
    return {
        "id": rid, "lang": lang, "source": r["source"],
        "start": r["start"], "end": r["end"],
        "sha256": hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:16],
        "context": [_span(sents, r["i"] - 1), _span(sents, r["i"] + 1)],
        "split": split,
        "sampling": {"stratum": r["stratum"], "stratum_size": population[(split, r["stratum"])],
                     "method": STRATUM_METHOD[r["stratum"]]},
    }


def _view(rid: str, r: dict, sents: list[dict], text: str) -> dict:
    """What an annotator reads: two sentences before, the sentence, one after (no stratum)."""
    def at(i: int) -> str:
        return text[sents[i]["start"]:sents[i]["end"]] if 0 <= i < len(sents) else ""

    clean = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    return {
        "id": rid, "source": r["source"], "speaker": r.get("speaker"),
        "before": clean(at(r["i"] - 2) + " " + at(r["i"] - 1)),
        "sentence": clean(at(r["i"])), "after": clean(at(r["i"] + 1)),
    }


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


BATCH = 200


def _write_batches(work: Path, prefix: str, views: list[dict]) -> None:
    """Annotation batches in hash order, so that strata and speeches are mixed."""
    folder = work / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    views = sorted(views, key=lambda v: _key("batch", v["id"]))
    for b in range(0, len(views), BATCH):
        _write_jsonl(folder / f"{prefix}{b // BATCH + 1:02d}.jsonl", views[b:b + BATCH])


# --- labels: check, merge, agree ------------------------------------------------------------

ACTIONS_11 = ("nuclear_attack", "mass_violence", "destroy", "kill", "invade", "annex",
              "military_attack", "abduct", "seize", "coerce", "assault", "force_posture",
              "unspecified_force")
MODALITIES = ("call", "threat", "proposal", "prediction", "report", "negated", "question")
FIELDS = {"action", "modality", "conditional", "stance", "cue", "target", "veiled"}


def batch_views(work: Path) -> dict[str, dict]:
    views: dict[str, dict] = {}
    for path in sorted((work / "batches").glob("*.jsonl")):
        for view in read_jsonl(path):
            view["batch"] = path.stem
            views[view["id"]] = view
    return views


def label_problems(labels: list[dict], views: dict[str, dict], batch: str | None) -> list[str]:
    """Everything wrong with a labels file, one line each (empty when it is sound)."""
    problems: list[str] = []
    seen: set[str] = set()
    for lab in labels:
        rid = lab.get("id")
        view = views.get(rid)
        if view is None:
            problems.append(f"{rid}: no such sentence in the batches")
            continue
        if rid in seen:
            problems.append(f"{rid}: labelled twice")
        seen.add(rid)
        if not isinstance(lab.get("findings"), list):
            problems.append(f"{rid}: 'findings' must be a list")
            continue
        for n, f in enumerate(lab["findings"]):
            problems.extend(f"{rid} finding {n}: {p}" for p in _finding_problems(f, view))
    if batch is not None:
        strays = sorted(i for i in seen if views[i]["batch"] != batch)
        problems.extend(f"{i}: belongs to batch {views[i]['batch']}, not {batch}" for i in strays)
        missing = sorted(i for i, v in views.items() if v["batch"] == batch and i not in seen)
        problems.extend(f"{i}: not labelled" for i in missing)
    return problems


def _finding_problems(f: dict, view: dict) -> list[str]:
    out = []
    if set(f) - FIELDS - {"note"} or not {"action", "modality", "stance", "cue"} <= set(f):
        out.append(f"fields must be {sorted(FIELDS)}, got {sorted(f)}")
    if f.get("action") not in ACTIONS_11:
        out.append(f"unknown action {f.get('action')!r}")
    if f.get("modality") not in MODALITIES:
        out.append(f"unknown modality {f.get('modality')!r}")
    if f.get("stance") not in ("own", "reported"):
        out.append("stance must be 'own' or 'reported'")
    for key in ("conditional", "veiled"):
        if not isinstance(f.get(key, False), bool):
            out.append(f"{key} must be true or false")
    sentence = view["sentence"]
    for key in ("cue", "target"):
        value = f.get(key)
        if value is None and key == "target":
            continue
        if not isinstance(value, str) or not value.strip() or _norm(value) not in sentence:
            out.append(f"{key} {value!r} is not in the sentence")
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def check(work: Path, labels_path: Path, batch_file: Path | None = None) -> int:
    """Problems of a labels file against its batch (or against ``batch_file``: a review)."""
    views = batch_views(work)
    labels = list(read_jsonl(labels_path))
    batch = views[labels[0]["id"]]["batch"] if labels and labels[0].get("id") in views else None
    if batch_file is not None:
        wanted = {v["id"] for v in read_jsonl(batch_file)}
        views = {i: dict(v, batch=batch_file.stem) if i in wanted else v
                 for i, v in views.items()}
        batch = batch_file.stem
    problems = label_problems(labels, views, batch)
    for p in problems:
        print(p)
    print(f"{labels_path.name}: {len(labels)} sentences labelled, {len(problems)} problems"
          f" (batch {batch})")
    return 1 if problems else 0


def _labels(folder: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(folder.glob("*.jsonl")) if folder.exists() else []:
        for lab in read_jsonl(path):
            out[lab["id"]] = lab
    return out


def normalised_map(raw: str) -> tuple[str, list[int]]:
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


def locate(phrase: str, raw: str, base: int) -> list[int]:
    """Absolute offsets of a normalised phrase inside a raw sentence starting at ``base``."""
    norm, where = normalised_map(raw)
    i = norm.find(_norm(phrase))
    if i < 0:
        raise ValueError(f"{phrase!r} not in sentence")
    j = i + len(_norm(phrase)) - 1
    return [base + where[i], base + where[j] + 1]


def merge(work: Path, lang: str) -> None:
    """Final labels (adjudicated, else reviewed, else first pass) as offsets into the
    speeches."""
    first, second = _labels(work / "labels" / "pass1"), _labels(work / "labels" / "pass2")
    decided = _labels(work / "labels" / "adjudicated")
    reviewed = _labels(work / "labels" / "review")
    records = list(read_jsonl(work / f"sample_{lang}.jsonl"))
    texts = load_speeches(sorted({r["source"] for r in records}))
    out, unlabelled = [], 0
    for rec in records:
        lab = decided.get(rec["id"]) or reviewed.get(rec["id"]) or first.get(rec["id"])
        if lab is None:
            unlabelled += 1
            continue
        raw = texts[rec["source"]][rec["start"]:rec["end"]]
        rec = dict(rec)
        rec["findings"] = [_gold(f, raw, rec["start"]) for f in lab["findings"]]
        rec["annotation"] = {"passes": 1 + (rec["id"] in second),
                             "adjudicated": rec["id"] in decided,
                             "reviewed": rec["id"] in reviewed}
        out.append(rec)
    path = REPO_ROOT / "tests" / "data" / f"speech_{lang}.jsonl"
    _write_jsonl(path, out)
    print(f"merge {lang}: {len(out)} records -> {path} ({unlabelled} not labelled yet)",
          file=sys.stderr)


def _gold(f: dict, raw: str, base: int) -> dict:
    return {
        "action": f["action"], "modality": f["modality"],
        "conditional": bool(f.get("conditional", False)), "stance": f["stance"],
        "veiled": bool(f.get("veiled", False)),
        "cue": locate(f["cue"], raw, base),
        "target": locate(f["target"], raw, base) if f.get("target") else None,
    }


def _of_language(labels: dict[str, list], lang: str) -> dict[str, list]:
    return {i: f for i, f in labels.items() if lang == "all" or i.startswith(lang + "-")}


def agree(work: Path) -> dict:
    """Kappa per language and overall, and the ids to adjudicate."""
    first, second = _labels(work / "labels" / "pass1"), _labels(work / "labels" / "pass2")
    one = {i: lab["findings"] for i, lab in first.items()}
    two = {i: lab["findings"] for i, lab in second.items()}
    report: dict = {}
    for lang in ("en", "ru", "all"):
        report[lang] = agreement(_of_language(one, lang), _of_language(two, lang))
    report["disagreements"] = disagreements(one, two)
    return report


def stats(lang: str) -> str:
    """Markdown tables of a merged corpus file, for tests/data/README.md."""
    records = list(read_jsonl(REPO_ROOT / "tests" / "data" / f"speech_{lang}.jsonl"))
    lines = [f"**{lang}**: {len(records)} sentences from "
             f"{len({r['source'] for r in records})} speeches; "
             f"{sum(bool(r['findings']) for r in records)} hold an act of force "
             f"({sum(len(r['findings']) for r in records)} findings); "
             f"{sum(r['annotation']['passes'] == 2 for r in records)} annotated twice.", "",
             "| split | rule | stance | keyword | near | random | all | with an act | own c/t/p |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for split in ("dev", "test"):
        rows = [r for r in records if r["split"] == split]
        per = Counter(r["sampling"]["stratum"] for r in rows)
        own = sum(any(f["stance"] == "own" and f["modality"] in MODALITIES[:3]
                      for f in r["findings"]) for r in rows)
        lines.append(f"| {split} | " + " | ".join(str(per[s]) for s in STRATA)
                     + f" | {len(rows)} | {sum(bool(r['findings']) for r in rows)} | {own} |")
    table = Counter((f["action"], f["modality"]) for r in records for f in r["findings"])
    lines += ["", "| action | " + " | ".join(MODALITIES) + " | all |",
              "|---|" + "---:|" * (len(MODALITIES) + 1)]
    for action in ACTIONS_11:
        row = [table[(action, m)] for m in MODALITIES]
        if sum(row):
            lines.append(f"| {action} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    flags = Counter()
    for r in records:
        for f in r["findings"]:
            flags["reported"] += f["stance"] == "reported"
            flags["conditional"] += f["conditional"]
            flags["veiled"] += f["veiled"]
            flags["with target"] += f["target"] is not None
    lines += ["", "Findings: " + ", ".join(f"{k} {v}" for k, v in flags.items()) + "."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["survey", "sample", "extend", "check", "merge",
                                            "agree", "stats"])
    parser.add_argument("--labels", type=Path, help="check: the labels file to check")
    parser.add_argument("--batch-file", type=Path, help="check: the batch it answers (reviews)")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--lang", choices=["en", "ru", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    work = args.work.resolve()
    if REPO_ROOT in work.parents or work == REPO_ROOT:
        parser.error("the work folder holds text from ../shared: keep it outside the repository")
    work.mkdir(parents=True, exist_ok=True)
    if args.command == "check":
        raise SystemExit(check(work, args.labels, args.batch_file))
    if args.command == "agree":
        print(json.dumps(agree(work), indent=1))
        return
    langs = ["en", "ru"] if args.lang == "both" else [args.lang]
    for lang in langs:
        if args.command == "survey":
            survey(work, lang, args.jobs)
        elif args.command == "sample":
            sample(work, lang)
        elif args.command == "extend":
            extend(work, lang)
        elif args.command == "stats":
            print(stats(lang) + "\n")
        else:
            merge(work, lang)


if __name__ == "__main__":
    main()
