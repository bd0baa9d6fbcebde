"""``redline eval --task speech``: redline against annotated sentences of real political speech.

The corpus (``tests/data/speech_{en,ru}.jsonl``, guide in ``docs/annotation.md``) holds one
record per sampled sentence: the speech it comes from and its offsets, a hash of its text, its
split and sampling stratum, and the gold findings. The text itself is read from the speech at
run time (`redline.eval.sources`) and checked against the hash.

Each sentence is analysed with one sentence of context on each side, as redline would read it
in running text, and redline's findings that start inside the sentence are its prediction.
Two detection tasks are scored at sentence level:

- **own call/threat/proposal** (the headline): the speaker's own side urges, threatens or offers
  an act of force (gold: a finding with ``stance: own`` and one of those modalities; redline:
  such a finding whose holder is the segment's speaker);
- **any act of force**: any gold finding / any redline finding.

A redline finding counts when redline asserts it: its confidence is at least the threshold
fitted with the learned scorer (`redline.detect.core.confidence.asserted`; 0.5 without one),
so a finding the scorer doubts is shown to users but not counted.

Figures are given on the sample, per sampling stratum, and weighted by stratum (each sentence
stands for ``stratum_size / sampled`` sentences of its split) as an estimate for running text.
The peer is the plain keyword list of ``--task threat``, run on the same sentences.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from redline.detect.core.confidence import asserted
from redline.detect.core.scorer import OWN_STANCES, stance_head
from redline.eval.metrics import Confusion
from redline.eval.sources import REPO_ROOT, load_records
from redline.languages import language_name

TASKS = ("own_ctp", "any")
TASK_TITLES = {"own_ctp": "own call/threat/proposal", "any": "any act of force"}
STRATA = ("rule", "stance", "keyword", "near", "random")


class CorpusError(ValueError):
    """The corpus file is malformed or does not match the speeches it points to."""


def corpus_path(lang: str) -> Path:
    return REPO_ROOT / "tests" / "data" / f"speech_{lang}.jsonl"


@dataclass(slots=True)
class Sentence:
    """One corpus sentence, its text read from its speech, and its gold findings."""

    id: str
    lang: str
    source: str
    start: int
    end: int
    split: str
    stratum: str
    stratum_size: int
    gold: list[dict[str, Any]]
    text: str = ""
    window: str = ""  # the sentence with one sentence of context on each side
    offset: int = 0  # where the sentence starts inside the window
    country: str | None = None  # the speech's own state, as its record gives it (UN speeches)

    def gold_positive(self, task: str) -> bool:
        if task == "any":
            return bool(self.gold)
        return any(f["stance"] == "own" and f["modality"] in OWN_STANCES for f in self.gold)


@dataclass(slots=True)
class Predicted:
    """A redline finding inside a corpus sentence (offsets relative to the sentence)."""

    action: str
    modality: str
    conditional: bool
    own: bool
    start: int
    end: int
    targets: list[tuple[int, int]]
    confidence: float = 1.0

    def positive(self, task: str, threshold: float) -> bool:
        """Counted for ``task``: a finding redline asserts (at least ``threshold`` sure)."""
        return self.confidence >= threshold and (
            task == "any" or (self.own and self.modality in OWN_STANCES))


# --- loading -------------------------------------------------------------------------------

def read_corpus(path: Path, split: str = "all") -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{path}: cannot read the corpus ({exc})") from exc
    return [r for r in records if split == "all" or r["split"] == split]


def load_sentences(records: Iterable[dict[str, Any]]) -> list[Sentence]:
    """Resolve each record's text from its speech and check it against the stored hash."""
    records = list(records)
    speeches = load_records(sorted({r["source"] for r in records}))
    out = []
    for r in records:
        speech = speeches[r["source"]]["text"]
        text = speech[r["start"]:r["end"]]
        if hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] != r["sha256"]:
            raise CorpusError(f"{r['id']}: the text at {r['source']} {r['start']}-{r['end']} "
                              "does not match its hash (the speech file has changed)")
        before, after = r["context"]
        lo = before[0] if before else r["start"]
        hi = after[1] if after else r["end"]
        sampling = r["sampling"]
        out.append(Sentence(
            id=r["id"], lang=r["lang"], source=r["source"], start=r["start"], end=r["end"],
            split=r["split"], stratum=sampling["stratum"],
            stratum_size=sampling["stratum_size"], gold=r["findings"], text=text,
            window=speech[lo:hi].replace("\r", " "), offset=r["start"] - lo,
            country=speeches[r["source"]].get("country")))
    return out


# --- redline's reading ---------------------------------------------------------------------

def _predict_one(item: tuple[str, str, int, int, tuple[str, ...], str | None]
                 ) -> list[Predicted]:
    window, lang, offset, length, without, country = item
    from redline.components import default_registry
    from redline.document import Document
    from redline.engine import analyze_document

    registry = None
    if without:  # a measure of redline without some components (the scorer, say)
        registry = default_registry()
        for name in without:
            registry.unregister(name)
    doc = Document(text=window, meta={"country": country} if country else {})
    analysis = analyze_document(doc, lang=lang, registry=registry)
    out = []
    for f in analysis.findings:
        if not offset <= f.start < offset + length:
            continue
        targets = [(t.start - offset, t.end - offset) for t in f.targets if t.start is not None]
        out.append(Predicted(f.action, f.modality, f.conditional, not analysis.reported(f),
                             f.start - offset, f.end - offset, targets, f.confidence))
    return out


def predict(sentences: list[Sentence], jobs: int = 1,
            progress: Callable[[int, int], None] | None = None,
            without: tuple[str, ...] = ()) -> dict[str, list[Predicted]]:
    """redline's findings in each sentence, read with its context (``without`` the named
    components)."""
    items = [(s.window, s.lang, s.offset, len(s.text), without, s.country) for s in sentences]
    results: list[list[Predicted]] = []
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            for res in pool.map(_predict_one, items, chunksize=16):
                results.append(res)
                _tick(progress, len(results), len(items))
    else:
        for item in items:
            results.append(_predict_one(item))
            _tick(progress, len(results), len(items))
    return {s.id: res for s, res in zip(sentences, results, strict=True)}


def _tick(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    if progress and (done % 250 == 0 or done == total):
        progress(done, total)


@lru_cache(maxsize=2)
def keyword_pattern(lang: str) -> re.Pattern[str]:
    """The peer: a plain list of violence words (``*`` ends a stem), whole words, any case."""
    name = "violence_keywords.txt" if lang == "en" else f"violence_keywords_{lang}.txt"
    raw = resources.files("redline").joinpath("data/peers", name).read_text("utf-8")
    words = [w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#")]
    alternatives = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
                    for w in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


# --- scoring -------------------------------------------------------------------------------

def _figures(counts: Confusion) -> dict[str, float]:
    p, r, f = counts.prf()
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "positives": round(counts.tp + counts.fn, 1)}


def weights(sentences: list[Sentence]) -> dict[str, float]:
    """Each sentence stands for stratum_size / sampled sentences of its split and stratum."""
    sampled = Counter((s.lang, s.split, s.stratum) for s in sentences)
    return {s.id: s.stratum_size / sampled[(s.lang, s.split, s.stratum)] for s in sentences}


@dataclass(slots=True)
class FieldScores:
    gold_findings: int = 0
    found: int = 0  # gold findings with a redline finding at their cue
    right: Counter = field(default_factory=Counter)
    with_target: int = 0
    confusion: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"gold_findings": self.gold_findings, "found": self.found}
        for name in ("action", "modality", "conditional", "stance"):
            out[f"{name}_accuracy"] = round(self.right[name] / self.found, 3) if self.found else 0
        out["target_accuracy"] = (round(self.right["target"] / self.with_target, 3)
                                  if self.with_target else 0)
        out["targets_scored"] = self.with_target
        return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_fields(s: Sentence, predicted: list[Predicted], scores: FieldScores) -> None:
    """Match each gold finding to the redline finding that covers its cue, then compare."""
    for g in s.gold:
        scores.gold_findings += 1
        cue = (g["cue"][0] - s.start, g["cue"][1] - s.start)
        at_cue = [p for p in predicted if _overlaps((p.start, p.end), cue)]
        if not at_cue:
            scores.confusion[(g["modality"], "-")] += 1
            continue
        best = max(at_cue, key=lambda p: (p.action == g["action"], p.modality == g["modality"]))
        scores.found += 1
        scores.confusion[(g["modality"], best.modality)] += 1
        scores.right["action"] += best.action == g["action"]
        scores.right["modality"] += best.modality == g["modality"]
        scores.right["conditional"] += best.conditional == g["conditional"]
        scores.right["stance"] += best.own == (g["stance"] == "own")
        if g.get("target"):
            scores.with_target += 1
            target = (g["target"][0] - s.start, g["target"][1] - s.start)
            scores.right["target"] += any(_overlaps(t, target) for t in best.targets)


def evaluate(sentences: list[Sentence], predicted: dict[str, list[Predicted]],
             threshold: float | None = None) -> dict[str, Any]:
    """All figures for one language: sample, weighted, per stratum, fields, keyword peer. A
    finding counts when at least ``threshold`` sure (default: `asserted`)."""
    lang = sentences[0].lang if sentences else "en"
    threshold = asserted(lang) if threshold is None else threshold
    peer = keyword_pattern(lang)
    w = weights(sentences)
    tables: dict[tuple[str, str, str], Confusion] = defaultdict(Confusion)
    fields = FieldScores()
    for s in sentences:
        preds = predicted[s.id]
        keyword_hit = bool(peer.search(s.text))
        for task in TASKS:
            gold = s.gold_positive(task)
            mine = any(p.positive(task, threshold) for p in preds)
            for system, pred in (("redline", mine), ("keywords", keyword_hit)):
                tables[(system, task, "sample")].add(gold, pred)
                tables[(system, task, "weighted")].add(gold, pred, w[s.id])
                tables[(system, task, s.stratum)].add(gold, pred)
        score_fields(s, preds, fields)
    return {
        "lang": lang,
        "sentences": len(sentences),
        "speeches": len({s.source for s in sentences}),
        "running_text_sentences": round(sum(w.values())),
        "counted_from_confidence": threshold,
        "strata": dict(Counter(s.stratum for s in sentences)),
        "figures": {f"{system}/{task}/{scope}": _figures(counts)
                    for (system, task, scope), counts in sorted(tables.items())},
        "fields": fields.as_dict(),
        "modality_confusion": {f"{g}->{p}": n for (g, p), n in sorted(fields.confusion.items())},
        "confidence": confidence_figures(sentences, predicted),
    }


def confidence_figures(sentences: list[Sentence],
                       predicted: dict[str, list[Predicted]]) -> dict[str, Any]:
    """How well confidence tells right findings from wrong ones: a finding is right when a
    gold finding at its span has its stance (own call/threat/proposal, prediction, report,
    denial or question). AUC (the chance that a right finding outranks a wrong one) and the
    expected calibration error over ten bins."""
    pairs = []
    for s in sentences:
        for p in predicted[s.id]:
            right = any(_overlaps((p.start, p.end), (g["cue"][0] - s.start, g["cue"][1] - s.start))
                        and stance_head(g["modality"], g["stance"] == "own")
                        == stance_head(p.modality, p.own) for g in s.gold)
            pairs.append((p.confidence, right))
    return {"findings": len(pairs), "right": sum(r for _, r in pairs),
            "auc": auc(pairs), "ece": round(calibration_error(pairs), 3)}


def auc(pairs: list[tuple[float, bool]]) -> float | None:
    """Mann-Whitney: the share of (right, wrong) pairs the score orders right (ties half);
    None when all findings are right or all wrong."""
    right = sorted(c for c, r in pairs if r)
    wrong = sorted(c for c, r in pairs if not r)
    if not right or not wrong:
        return None
    import bisect

    wins = sum(bisect.bisect_left(wrong, c) + 0.5 * (bisect.bisect_right(wrong, c)
                                                      - bisect.bisect_left(wrong, c))
               for c in right)
    return round(wins / (len(right) * len(wrong)), 3)


def calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error: |mean confidence - share right| per bin, weighted."""
    total = 0.0
    for b in range(bins):
        inside = [(c, r) for c, r in pairs
                  if (b / bins < c <= (b + 1) / bins) or (b == 0 and c == 0)]
        if inside:
            mean_c = sum(c for c, _ in inside) / len(inside)
            share = sum(r for _, r in inside) / len(inside)
            total += len(inside) / len(pairs) * abs(mean_c - share)
    return total


# --- report --------------------------------------------------------------------------------

def format_report(rep: dict[str, Any], split: str) -> str:
    lang_name = language_name(rep["lang"])
    lines = [
        f"Real-speech corpus, {lang_name}, split {split}: {rep['sentences']:,} sentences from "
        f"{rep['speeches']} speeches (standing for {rep['running_text_sentences']:,} sentences "
        "of running text)",
        "",
        f"  {'':38}{'redline':>22}{'keywords (peer)':>24}",
        f"  {'':38}{'P':>7}{'R':>7}{'F1':>7}  {'P':>7}{'R':>7}{'F1':>7}   gold+",
    ]
    figs = rep["figures"]
    for task in TASKS:
        for scope, label in (("sample", TASK_TITLES[task]),
                             ("weighted", "  weighted, running text")):
            mine, peer = figs[f"redline/{task}/{scope}"], figs[f"keywords/{task}/{scope}"]
            lines.append(f"  {label:38}{_prf(mine)}  {_prf(peer)}   {mine['positives']:g}")
    lines += ["", "  By stratum (n, then redline P/R/F1 for own c/t/p | any act):"]
    for stratum in STRATA:
        key = f"redline/own_ctp/{stratum}"
        if key not in figs:
            continue
        n = rep["strata"].get(stratum, 0)
        own, anyact = figs[key], figs[f"redline/any/{stratum}"]
        lines.append(f"    {stratum:8} n={n:<5} {_prf(own)}  (gold+ {own['positives']:g}) |"
                     f" {_prf(anyact)}  (gold+ {anyact['positives']:g})")
    fl = rep["fields"]
    lines += ["", f"  Fields: {fl['found']} of {fl['gold_findings']} gold findings have a redline "
              "finding at their cue; on those:",
              "    " + "  ".join(f"{n} {fl[n + '_accuracy']:.3f}" for n in
                                ("action", "modality", "conditional", "stance"))
              + f"  target {fl['target_accuracy']:.3f} (of {fl['targets_scored']})",
              "  Modality, gold -> redline ('-' = missed): "
              + ", ".join(f"{k} {v}" for k, v in rep["modality_confusion"].items())]
    cf = rep["confidence"]
    ranked = "n/a" if cf["auc"] is None else f"{cf['auc']:.3f}"
    lines.append(f"  Confidence: {cf['right']} of {cf['findings']} findings right (a gold finding "
                 f"at its span, with its stance); AUC {ranked}, ECE {cf['ece']:.3f}")
    return "\n".join(lines)


def _prf(fig: dict[str, float]) -> str:
    return f"{fig['precision']:7.3f}{fig['recall']:7.3f}{fig['f1']:7.3f}"


def errors(sentences: list[Sentence], predicted: dict[str, list[Predicted]],
           threshold: float | None = None) -> list[str]:
    """Each sentence where redline and the gold disagree on either task (dev split only)."""
    out = []
    for s in sentences:
        preds = predicted[s.id]
        gold = ", ".join(f"{g['action']}/{g['modality']}/{g['stance']}" for g in s.gold) or "-"
        mine = ", ".join(f"{p.action}/{p.modality}/{'own' if p.own else 'reported'}"
                         for p in preds) or "-"
        counted = asserted(s.lang) if threshold is None else threshold
        if any(s.gold_positive(t) != any(p.positive(t, counted) for p in preds)
               for t in TASKS):
            text = re.sub(r"\s+", " ", s.text)
            out.append(f"{s.id} [{s.stratum}] gold {gold} | redline {mine}\n    {text}")
    return out


def show(rid: str, lang: str | None = None) -> str:
    """A corpus sentence in its context, with its gold findings (for the guide's references)."""
    lang = lang or rid.split("-")[0]
    for rec in read_corpus(corpus_path(lang)):
        if rec["id"] == rid:
            s = load_sentences([rec])[0]
            gold = json.dumps(s.gold, ensure_ascii=False)
            context = re.sub(r"\s+", " ", s.window)
            return f"{rid} ({s.source}, {s.split}, {s.stratum})\n{context}\n>>> {s.text}\n{gold}"
    raise CorpusError(f"no sentence {rid} in {corpus_path(lang)}")
