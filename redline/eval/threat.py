"""Document-level evaluation: does a text contain a threat of, or a call for, violence?

``redline eval DATA.jsonl[.gz] --task threat`` reads one of the labelled sets in
``../shared/data`` (or any JSONL with the same fields), maps its labels to a yes/no gold answer
(`GOLD_RULES`), and scores redline next to three simple peers measured in the same run:
a keyword list, empath's violence categories, and alt-profanity-check.  It prints precision,
recall, F1, a confusion table and a reliability table of redline's confidence.

redline says yes when a finding has modality call, threat or proposal (the speaker urges,
threatens or proposes it), severity 4 or more, and a CAMEO code of force -- not CAMEO's
non-force families (131-133 threats of non-force, 17x coercion such as arrest), so "lock her up"
is not a threat of violence while "hang her" is.  Reports, predictions, denials and questions
say no.  So does someone else's call or threat that the text reports ("the sheikh calls for
genocide", "a man arrested for threatening to kill"): redline attributes it to them (its
`speaker` is theirs, not the segment's), and the document's author has not made it.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from redline.detect.core.confidence import asserted
from redline.eval.metrics import Confusion
from redline.vocabulary import vocabulary

POSITIVE_MODALITIES = frozenset({"call", "threat", "proposal"})
MIN_SEVERITY = 4  # the ladder's first rung of force
NON_FORCE_CAMEO = ("131", "132", "133", "17")


# Seizing assets or "taking our country back" and sanctions are force against things, not
# violence against people (the vocabulary's `violence = false`).
NOT_VIOLENCE = frozenset(vocabulary().actions) - vocabulary().actions_where("violence")
# Forecasting someone's death ("he will hang", "you are going to die") is a veiled threat.
PREDICTED_HARM = vocabulary().actions_where("forecast_threatens")


def is_threat_of_force(finding: Any) -> bool:
    """A call, threat or proposal of violence, or a forecast of killing (module docstring)."""
    stance = finding.modality in POSITIVE_MODALITIES or (
        finding.modality == "prediction" and finding.action in PREDICTED_HARM)
    return (stance and finding.severity >= MIN_SEVERITY and finding.action not in NOT_VIOLENCE
            and not (finding.cameo or "").startswith(NON_FORCE_CAMEO))


def _threatgram(r: dict[str, Any]) -> bool | None:
    return r.get("threat_level") == 2


def _latent_hatred(r: dict[str, Any]) -> bool | None:
    """Stage-2 label where there is one; not-hate posts are no; other hate posts unknown.

    Only implicit-hate posts got the stage-2 classes.  An explicit-hate post ("hang him") or an
    implicit one left out of stage 2 has no threatening label at all, so counting it as "no"
    would score every threat among them as a false alarm.
    """
    if r.get("threatening") is not None:
        return bool(r["threatening"])
    return False if r.get("hate_class") == "not_hate" else None


def _openai(r: dict[str, Any]) -> bool | None:
    if r.get("violence") is None and r.get("hate_threatening") is None:
        return None
    return bool(r.get("violence")) or bool(r.get("hate_threatening"))


# source -> (rule, how the rule reads, in the report)
GOLD_RULES: dict[str, tuple[Callable[[dict[str, Any]], bool | None], str]] = {
    "threatgram": (_threatgram, "threat_level == 2 (explicit violence or a call for it)"),
    "latent_hatred": (_latent_hatred, "threatening (implicit commitment to harm); not_hate = no; "
                      "hate posts without a stage-2 label skipped"),
    "openai_moderation": (_openai, "violence or hate_threatening true; unknown labels skipped"),
}


def read_records(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """JSON lines from a plain or gzip file, streamed."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def gold_rule(records: list[dict[str, Any]]) -> tuple[Callable, str]:
    source = next((r.get("source") for r in records if r.get("source")), None)
    if source in GOLD_RULES:
        return GOLD_RULES[source]
    if records and "label" in records[0]:
        return (lambda r: bool(r["label"])), "label field"
    raise ValueError(f"unknown data set {source!r}: expected one of {sorted(GOLD_RULES)} "
                     "or records with a boolean 'label'")


# --- peers ----------------------------------------------------------------------------------

# A peer answers yes or no for every text; only a trained peer reads the gold labels, and then
# only the other folds' (cross-validation).
Peer = Callable[[list[str], list[bool]], list[bool]]
FOLDS = 5


def keyword_peer() -> Peer:
    raw = resources.files("redline").joinpath("data/peers/violence_keywords.txt").read_text("utf-8")
    words = [w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#")]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
    return lambda texts, golds: [bool(pattern.search(t)) for t in texts]


def tfidf_peer() -> Peer:
    """TF-IDF (word 1-2 and character 3-5 grams) and logistic regression, trained on the set
    itself: each text is answered by the model of the other four folds (5-fold, stratified,
    shuffled with a fixed seed: folds taken in file order leave a set's clustered positives
    out of training and made the peer look far weaker than it is, 0.09 against 0.57 F1 on
    latent_hatred)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline, make_union

    def run(texts: list[str], golds: list[bool]) -> list[bool]:
        if len(set(golds)) < 2 or min(golds.count(True), golds.count(False)) < FOLDS:
            return [False] * len(texts)
        model = make_pipeline(
            make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                       sublinear_tf=True, min_df=2)),
            LogisticRegression(solver="liblinear", C=4.0, class_weight="balanced"))
        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
        return [bool(p) for p in cross_val_predict(model, texts, golds, cv=folds)]

    return run


def empath_peer() -> Peer:
    from empath import Empath  # evaluation-only dependency (pip install redline[dev])

    lex = Empath()
    cats = ["violence", "war", "weapon", "kill", "aggression"]

    def tok(doc: str) -> list[str]:
        return re.findall(r"[a-z']+", doc.lower())

    def run(texts: list[str], golds: list[bool]) -> list[bool]:
        return [sum(lex.analyze(t, categories=cats, tokenizer=tok).values()) > 0 for t in texts]

    return run


def profanity_peer() -> Peer:
    from profanity_check import predict_prob  # evaluation-only dependency

    return lambda texts, golds: [p > 0.5 for p in predict_prob(texts)] if texts else []


PEERS: dict[str, Callable[[], Peer]] = {
    "keywords": keyword_peer, "empath": empath_peer, "alt-profanity-check": profanity_peer,
    "tfidf-lr-cv": tfidf_peer}


# --- redline --------------------------------------------------------------------------------

def redline_decide(text: str, lang: str = "en") -> tuple[bool, float, str]:
    """Yes/no, the confidence of the strongest qualifying finding (0 when none), and the
    language the text was analysed in (``lang="auto"`` identifies it, as `redline analyze`
    does; a language redline does not read yet gets no findings, so it counts as no)."""
    from redline.engine import analyze

    analysis = analyze(text, lang=lang)
    found = [f for f in analysis.findings if is_threat_of_force(f) and not analysis.reported(f)
             and f.confidence >= asserted(analysis.document.language)]
    return bool(found), max((f.confidence for f in found), default=0.0), \
        analysis.document.language


def reliability(pairs: list[tuple[float, bool]], bins: int = 5) -> list[dict[str, Any]]:
    """Confidence bins of redline's positive answers: how often the gold label agrees."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [g for c, g in pairs if lo < c <= hi or (b == 0 and c == lo > 0)]
        if inside:
            rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside),
                         "precision": round(sum(inside) / len(inside), 3),
                         "mean_confidence": round(sum(c for c, _ in pairs
                                                      if lo < c <= hi) / len(inside), 3)})
    return rows


def evaluate_threat(path: Path, limit: int | None = None, lang: str = "auto",
                    peers: tuple[str, ...] = tuple(PEERS),
                    progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Score redline and the peers on one labelled set; returns a JSON-able report."""
    records = list(read_records(path, limit))
    rule, rule_text = gold_rule(records)
    labelled = [(r["text"], g) for r in records if (g := rule(r)) is not None]
    texts = [t for t, _ in labelled]
    golds = [g for _, g in labelled]
    systems: dict[str, Confusion] = {}
    red = Confusion()
    pairs: list[tuple[float, bool]] = []
    languages: Counter[str] = Counter()
    # "auto" identifies each text, as `redline analyze` would: the sets' own `lang` field is
    # set per data set, not checked per message (../shared/data/README.md)
    for n, (text, gold) in enumerate(labelled, start=1):
        pred, conf, found_lang = redline_decide(text, lang)
        languages[found_lang] += 1
        red.add(gold, pred)
        if pred:
            pairs.append((conf, gold))
        if progress is not None and n % 500 == 0:
            progress(n, len(labelled))
    systems["redline"] = red
    for name in peers:
        conf_m = Confusion()
        for gold, pred in zip(golds, PEERS[name]()(texts, golds), strict=True):
            conf_m.add(gold, pred)
        systems[name] = conf_m
    return {"data": str(path), "documents": len(labelled), "positives": sum(golds),
            "gold_rule": rule_text,
            "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
            "systems": {k: v.scores() for k, v in systems.items()},
            "reliability": reliability(pairs)}


def format_threat_report(rep: dict[str, Any]) -> str:
    lines = [f"threat: {rep['data']}: {rep['documents']} documents, {rep['positives']} positive "
             f"({rep['gold_rule']})",
             f"  {'system':22}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>7}{'fp':>7}"
             f"{'fn':>7}{'tn':>7}"]
    other = {("no letters" if k == "und" else k): n
             for k, n in rep.get("languages", {}).items() if k not in ("en", "ru")}
    if other:
        lines.insert(1, "  redline read each document in its own language; not supported, so "
                        "scored no: " + ", ".join(f"{k} {n}" for k, n in other.items()))
    for name, s in rep["systems"].items():
        lines.append(f"  {name:22}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}"
                     f"{s['tp']:>7}{s['fp']:>7}{s['fn']:>7}{s['tn']:>7}")
    lines.append("  redline reliability (confidence of positive answers -> share truly positive):")
    for row in rep["reliability"]:
        lines.append(f"    {row['bin']}  n={row['n']:<6} mean conf {row['mean_confidence']:.2f}"
                     f"  precision {row['precision']:.2f}")
    return "\n".join(lines)
