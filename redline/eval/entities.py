"""Precision and recall of the entity index against hand-annotated documents.

The gold annotation (``tests/data/entities_gold.jsonl``) holds references only: a document id,
and for each entity a reader wants indexed its canonical name, contract type and the other
names it may be indexed under ("also"). No text from ``../shared`` is stored; the documents are
read where they live at run time (`redline.eval.sources`, plus the user's seed document in
``../shared/seed``), and a document that is absent is skipped, not scored. ``docs/entities.md``
is the annotation guide.

Scoring: an index entry is correct when its type is the gold type and its name (case-folded)
is the gold name or one of its "also" names. A second entry for an entity already matched (a
split: "Cheburashka" and "Cheburashkas") is an error, as is an entry that matches nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from redline.eval.sources import REPO_ROOT, SourceMissing, load_records, shared_data_dir

GOLD = REPO_ROOT / "tests" / "data" / "entities_gold.jsonl"
SEED_ID = "seed-interview"


@dataclass(frozen=True, slots=True)
class GoldEntity:
    name: str
    type: str
    also: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {n.casefold() for n in (self.name, *self.also)}


@dataclass(slots=True)
class DocScore:
    doc: str
    gold: int = 0
    predicted: int = 0
    correct: int = 0  # predicted entries matching a gold entity (first match only)
    found: int = 0  # gold entities matched by some entry
    false_positives: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def as_dict(self) -> dict:
        return {"doc": self.doc, "gold": self.gold, "predicted": self.predicted,
                "correct": self.correct, "found": self.found,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "false_positives": self.false_positives, "missed": self.missed}


def load_gold(path: Path = GOLD) -> dict[str, list[GoldEntity]]:
    """Document id -> its gold entities, in file order."""
    gold: dict[str, list[GoldEntity]] = defaultdict(list)
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            also = tuple(raw.get("also", ()))
            gold[raw["doc"]].append(GoldEntity(raw["name"], raw["type"], also))
    return dict(gold)


def load_text(doc: str) -> str:
    """The text of an annotated document; `SourceMissing` when it is not on this machine."""
    if doc == SEED_ID:
        path = shared_data_dir().parent / "seed" / "interview.txt"
        if not path.is_file():
            raise SourceMissing(f"{path} is not here")
        return path.read_text("utf-8")
    return load_records([doc])[doc]["text"]


def score_document(doc: str, gold: list[GoldEntity], index: list[tuple[str, str]]) -> DocScore:
    """Score one document's index, a list of (name, type) entries."""
    score = DocScore(doc, gold=len(gold), predicted=len(index))
    matched: set[int] = set()
    for name, etype in index:
        hit = next((i for i, g in enumerate(gold)
                    if g.type == etype and name.casefold() in g.names()), None)
        if hit is None or hit in matched:
            split = " [split]" if hit is not None else ""
            score.false_positives.append(f"{name} ({etype}){split}")
            continue
        matched.add(hit)
        score.correct += 1
    score.found = len(matched)
    score.missed = [f"{g.name} ({g.type})" for i, g in enumerate(gold) if i not in matched]
    return score


def evaluate(gold_path: Path = GOLD) -> tuple[list[DocScore], list[str]]:
    """Scores of every annotated document on this machine, and the ids skipped as absent."""
    from redline.engine import analyze

    scores: list[DocScore] = []
    skipped: list[str] = []
    for doc, gold in load_gold(gold_path).items():
        try:
            text = load_text(doc)
        except SourceMissing:
            skipped.append(doc)
            continue
        analysis = analyze(text, lang="en")
        scores.append(score_document(doc, gold, [(e.name, e.type) for e in analysis.entities]))
    return scores, skipped


def overall(scores: list[DocScore]) -> DocScore:
    """Micro-averaged totals over documents."""
    total = DocScore("overall")
    for s in scores:
        total.gold += s.gold
        total.predicted += s.predicted
        total.correct += s.correct
        total.found += s.found
    return total


def format_report(scores: list[DocScore], skipped: list[str], errors: bool = False) -> str:
    lines = [f"{'document':<22} {'gold':>5} {'index':>6} {'P':>6} {'R':>6}"]
    for s in [*scores, overall(scores)] if scores else []:
        lines.append(f"{s.doc:<22} {s.gold:>5} {s.predicted:>6} "
                     f"{s.precision:>6.3f} {s.recall:>6.3f}")
        if errors and s.doc != "overall":
            lines += [f"    + {fp}" for fp in s.false_positives]
            lines += [f"    - {m}" for m in s.missed]
    if skipped:
        lines.append(f"skipped (not on this machine): {', '.join(skipped)}")
    return "\n".join(lines)
