"""Training examples for the learned scorer, read the way the scorer reads sentences at run time.

Every example is a sentence (or a short post) with the rules' signs at the scoring stage and
labels for the heads it has gold for (`redline.detect.core.scorer.HEADS`). Three sources:

- the real-speech corpus (`tests/data/speech_*.jsonl`), each sentence analysed with one
  sentence of context on each side: every head;
- the written sentence sets (`tests/data/events_*.jsonl`): every head;
- the labelled dev halves of ``../shared/data`` (threatgram, latent_hatred, openai_moderation):
  the ``own`` head (does the author threaten or call for violence?), and the ``act`` head for
  the posts that do.

`Example.key` groups examples that must stay on one side of a cross-validation split (a speech,
a data set's record).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.detect.core.scorer import OWN_STANCES, RuleSign
from redline.eval.sources import REPO_ROOT, shared_data_dir
from redline.eval.speech import Sentence, corpus_path, load_sentences, read_corpus

THREAT_SETS = ("threatgram", "latent_hatred", "openai_moderation")


@dataclass(slots=True)
class Example:
    text: str
    lang: str
    signs: list[RuleSign]
    labels: dict[str, bool]  # head -> gold; heads without gold are absent
    source: str  # "corpus", "written", or a data set's name
    key: str  # cross-validation group
    rules: list[tuple[int, int, float]] = field(default_factory=list)  # span, confidence
    probes: list[tuple[str, bool]] = field(default_factory=list)  # stances read at force words
    blocked: bool = False  # the rules vetoed every word of force: no finding of the scorer's
    split: str = "train"  # the corpus's dev/test; "train" for the other sources
    meta: dict[str, Any] = field(default_factory=dict)


def sentence_labels(findings: Iterable[dict[str, Any]], own_of: Callable[[dict], bool]
                    ) -> dict[str, bool]:
    """Every head's gold from a sentence's gold findings."""
    found = list(findings)
    return {
        "act": bool(found),
        "own": any(own_of(f) and f["modality"] in OWN_STANCES for f in found),
        "prediction": any(f["modality"] == "prediction" for f in found),
        "report": any(f["modality"] == "report" or (not own_of(f) and f["modality"]
                                                    in OWN_STANCES) for f in found),
        "negq": any(f["modality"] in ("negated", "question") for f in found),
    }


# --- the rules' signs at the scoring stage ---------------------------------------------------

class _Recorder:
    """A score-stage component that keeps the findings as the scorer would see them."""

    name, stage, languages = "signs_recorder", "score", frozenset()

    def __init__(self) -> None:
        self.findings: list[tuple[int, int, float, RuleSign]] = []
        self.probes: list[Any] = []
        self.vetoed: set[int] = set()

    def run(self, ctx: Any) -> None:
        from redline.detect.core.pack import PROBES, VETOES

        self.findings = [(f.start, f.end, f.confidence,
                          RuleSign(f.action, f.modality, f.speaker is None))
                         for f in ctx.analysis.findings]
        self.probes = list(ctx.scratch.get(PROBES, []))
        self.vetoed = {v.start for v in ctx.scratch.get(VETOES, [])}


Found = tuple[list[RuleSign], list[tuple[int, int, float]], list[tuple[str, bool]], bool]


def _signs(item: tuple[str, str, int, int]) -> Found:
    """Signs (and spans, relative to ``lo``, and confidences) of the findings that start inside
    ``text[lo:hi]`` of an analysed text, the stances read at its words of force, and whether
    the rules vetoed all of them (as `redline.detect.core.join.all_vetoed` decides)."""
    from redline.components import default_registry
    from redline.engine import analyze

    text, lang, lo, hi = item
    registry = default_registry()
    registry.unregister("scorer")  # the signs the scorer itself reads: the rules' alone
    recorder = _Recorder()
    registry.register(recorder)
    analyze(text, lang=lang, registry=registry)
    inside = [(s, e, c, sign) for s, e, c, sign in recorder.findings if lo <= s < hi]
    here = [p for p in sorted(recorder.probes, key=lambda p: p.start) if lo <= p.start < hi]
    vetoed = {v for v in recorder.vetoed if lo <= v < hi}
    blocked = bool(vetoed) and all(p.start in vetoed for p in here)
    return ([sign for *_, sign in inside], [(s - lo, e - lo, c) for s, e, c, _ in inside],
            [(p.modality, p.own) for p in here], blocked)


def rule_signs(items: list[tuple[str, str, int, int]], jobs: int = 2) -> list[Found]:
    if jobs <= 1:
        return [_signs(i) for i in items]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_signs, items, chunksize=32))


# --- the sources -------------------------------------------------------------------------------

def corpus_examples(lang: str, jobs: int = 2) -> list[Example]:
    sentences: list[Sentence] = load_sentences(read_corpus(corpus_path(lang)))
    signs = rule_signs([(s.window, s.lang, s.offset, s.offset + len(s.text))
                        for s in sentences], jobs)
    return [Example(text=s.text.replace("\r", " "), lang=lang, signs=sg[0], rules=sg[1],
                    probes=sg[2], blocked=sg[3],
                    labels=sentence_labels(s.gold, lambda f: f["stance"] == "own"),
                    source="corpus", key=s.source, split=s.split,
                    meta={"id": s.id, "stratum": s.stratum, "stratum_size": s.stratum_size,
                          "gold": s.gold, "start": s.start})
            for s, sg in zip(sentences, signs, strict=True)]


def written_examples(lang: str, jobs: int = 2) -> list[Example]:
    import json

    path = REPO_ROOT / "tests" / "data" / f"events_{lang}.jsonl"
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    signs = rule_signs([(r["text"], lang, 0, len(r["text"])) for r in records], jobs)
    out = []
    for r, sg in zip(records, signs, strict=True):
        reported = "reported_speech" in r.get("tags", [])
        labels = sentence_labels(r.get("events") or [], lambda f, rep=reported: not rep)
        out.append(Example(text=r["text"], lang=lang, signs=sg[0], rules=sg[1], probes=sg[2],
                           blocked=sg[3],
                           labels=labels, source="written", key=f"written-{r['id']}"))
    return out


def threat_examples(name: str, jobs: int = 2, limit: int | None = None) -> list[Example]:
    """A labelled dev half: whole posts, for the ``own`` head (a threat of or call for violence
    by the author, by the set's gold rule); a positive post also holds an act of force, a
    negative one may or may not."""
    from redline.eval.threat import gold_rule, read_records
    from redline.lang.identify import identify_language

    path = shared_data_dir() / f"{name}.dev.jsonl.gz"
    records = list(read_records(path, limit))
    rule, _ = gold_rule(records)
    labelled = [(r, g) for r in records if (g := rule(r)) is not None]
    langs = [identify_language(r["text"]) for r, _ in labelled]
    signs = rule_signs([(r["text"], lg, 0, len(r["text"])) for (r, _), lg
                        in zip(labelled, langs, strict=True)], jobs)
    return [Example(text=r["text"], lang=lg, signs=sg[0], rules=sg[1], probes=sg[2],
                    blocked=sg[3],
                    labels={"own": g, "act": True} if g else {"own": g}, source=name,
                    key=f"{name}-{r['id']}", meta={"id": r["id"]})
            for (r, g), lg, sg in zip(labelled, langs, signs, strict=True)]


def file_hash(path: Path) -> str:
    """SHA-256 of a training input, as recorded in the model's metadata."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def training_inputs() -> dict[str, Path]:
    """Every file the scorer is trained on, by name: the data, and the codebooks and
    confidence maps whose readings are among its features."""
    inputs = {f"corpus_{lang}": corpus_path(lang) for lang in ("en", "ru")}
    inputs |= {f"events_{lang}": REPO_ROOT / "tests" / "data" / f"events_{lang}.jsonl"
               for lang in ("en", "ru")}
    inputs |= {f"codebook_{lang}": REPO_ROOT / "redline" / "detect" / lang / "codebook.toml"
               for lang in ("en", "ru")}
    maps = REPO_ROOT / "redline" / "data" / "calibration"
    inputs |= {f"calibration_{lang}": maps / f"{lang}.json" for lang in ("en", "ru")
               if (maps / f"{lang}.json").exists()}
    inputs |= {name: shared_data_dir() / f"{name}.dev.jsonl.gz" for name in THREAT_SETS}
    return inputs


def all_examples(jobs: int = 2, progress: Callable[[str], None] | None = None
                 ) -> Iterator[Example]:
    for lang in ("en", "ru"):
        for make in (corpus_examples, written_examples):
            if progress:
                progress(f"{make.__name__} {lang}")
            yield from make(lang, jobs)
    for name in THREAT_SETS:
        if progress:
            progress(f"threat_examples {name}")
        yield from threat_examples(name, jobs)
