"""The learned scorer joined to the rules: one confidence from both, and findings rules miss.

For every sentence the scorer (`redline.detect.core.scorer`) gives p(an act of force) and, per
stance, p(an act of force with that stance). Then:

- a rule finding keeps what the rules read: action, stance, actor, targets, severity, CAMEO
  code and evidence. Its confidence becomes the fitted joint of its own and the scorer's
  p(act), so a finding the scorer doubts drops, and an evidence line says why. (The scorer
  does not overrule the stance: on the corpus's dev split that would put 7 more findings in
  100 in the right stance, but it undoes readings the written sets pin down, "They're going
  to kill him" among them);
- a sentence where no rule fired but the scorer is confident gets a finding of its own: its
  action is that of the first codebook word of force in the sentence (or unspecified force),
  its stance the scorer's, and its evidence says that a trained model read it, with the
  score. Confident means, for the speaker's own stance, past its head's threshold, and for a
  prediction, an act past the act head's threshold with a prediction the likeliest stance;
  and either way, calibrated, more likely right than wrong (`ALONE`). Reports, denials and
  questions are left to the rules (`scorer_head`).
  Where the rules read the sentence's words of force and vetoed each by its sense ("hung up
  the phone", "execute the plan"), the scorer makes no finding: the codebook knows those
  idioms, n-grams do not.

Thresholds, the join and the calibration of each head are fitted on the corpus's dev split
(out of fold) by ``scripts/train_scorer.py`` and stored in the model's metadata.
"""

from __future__ import annotations

import bisect
import math

from redline.detect.core.codebook import Codebook, Trigger, load_codebook
from redline.detect.core.confidence import rules_only
from redline.detect.core.findings import Reading, cameo_code
from redline.detect.core.pack import PROBES, VETOES, probe_trigger
from redline.detect.core.scorer import HEAD_MEANING, Scorer, load_scorer, signs_of
from redline.document import Evidence, Finding
from redline.lang.views import SentenceView, sentence_views
from redline.registry import Context
from redline.vocabulary import vocabulary

ALONE = 0.5  # how sure, calibrated, a finding of the scorer's alone must be


class ScoreJoin:
    """The score-stage component: the scorer read over every sentence of the document."""

    name, stage, languages = "scorer", "score", frozenset()

    def run(self, ctx: Context) -> None:
        model = load_scorer()
        if model is None or ctx.language not in model.languages or rules_only():
            return
        book = _codebook(ctx.language)
        findings = sorted(ctx.analysis.findings, key=lambda f: f.start)
        starts = [f.start for f in findings]
        probes = sorted(ctx.scratch.get(PROBES, []), key=lambda p: p.start)
        probe_starts = [p.start for p in probes]
        vetoed = sorted({v.start for v in ctx.scratch.get(VETOES, [])})
        for sent in sentence_views(ctx.chunks):
            lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
            inside = findings[lo:hi]
            lo, hi = (bisect.bisect_left(probe_starts, sent.start),
                      bisect.bisect_left(probe_starts, sent.end))
            read = [(p.modality, p.own) for p in probes[lo:hi]]
            text = ctx.text[sent.start:sent.end]
            probs = model.probabilities(text, signs_of(inside), ctx.language, read)
            for f in inside:
                _join(f, probs, model)
            if inside or all_vetoed([p.start for p in probes[lo:hi]], sent, vetoed):
                continue
            if found := _scorer_finding(sent, text, probs, model, book, vetoed):
                ctx.add_finding(found)


def all_vetoed(probe_starts: list[int], sent: SentenceView, vetoed: list[int]) -> bool:
    """Whether the rules vetoed a word of force in the sentence (``vetoed``: sorted document
    offsets) and read no other one."""
    inside = set(vetoed[bisect.bisect_left(vetoed, sent.start):
                        bisect.bisect_left(vetoed, sent.end)])
    return bool(inside) and all(p in inside for p in probe_starts)


def _codebook(language: str) -> Codebook | None:
    try:
        return load_codebook(language)
    except FileNotFoundError:
        return None  # a pack registered from outside: its act is unspecified force


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-min(max(z, -60.0), 60.0)))


def _join(f: Finding, probs: dict[str, float], model: Scorer) -> None:
    """The rule's confidence and the scorer's p(an act of force), joined by the fitted
    logistic map. The stance heads stay out of it: on the corpus they would rank findings
    better (AUC 0.83 against 0.75), but only by learning that the rules' own-stance readings
    of speeches are rarely right, which would doubt every plain call in a comment thread."""
    coef = model.meta["join"]
    z = coef["intercept"] + coef["rule"] * f.confidence + coef["act"] * probs["act"]
    f.confidence = round(_sigmoid(z), 3)
    if f.confidence < model.meta["asserted"]:  # what the summary marks "doubted"
        first = f.evidence[0] if f.evidence else Evidence(f.start, f.end, f.text, "")
        f.evidence.append(Evidence(
            first.start, first.end, first.text,
            f"the trained scorer doubts that the sentence holds an act of force "
            f"({probs['act']:.2f}) → confidence {f.confidence:.2f}"))


def scorer_head(probs: dict[str, float], thresholds: dict[str, float]) -> str | None:
    """The head a finding of the scorer's own speaks for: the speaker's own stance past its
    threshold, else a prediction when an act is past its threshold and a prediction is the
    likeliest stance. The model alone makes no report, denial or question of force: nearly all
    its findings would be those, three in four naming an act on the corpus's dev split, but an
    n-gram model does not read a speech and its translation alike, and they cut the agreement
    of the Carlson interview's Russian and English analyses from 83% to 60%."""
    if probs["own"] >= thresholds["own"]:
        return "own"
    others = ("prediction", "report", "negq")
    if probs["act"] >= thresholds["act"] and max(others, key=lambda h: (probs[h], h)) == (
            "prediction"):
        return "prediction"
    return None


def _scorer_finding(sent: SentenceView, text: str, probs: dict[str, float], model: Scorer,
                    book: Codebook | None, vetoed: list[int]) -> Finding | None:
    """A finding from the scorer alone, when it is confident enough."""
    head = scorer_head(probs, model.meta["thresholds"])
    if head is None:
        return None
    confidence = calibrated(probs[head], model.meta["calibration"][head])
    if confidence < ALONE:
        return None
    trig, word = _force_word(sent, text, book, vetoed)
    modality = _modality(head, sent, book)
    evidence = []
    if word is not None:
        evidence.append(Evidence(word[0], word[1], word[2],
                                 f"'{word[2]}' names an act of "
                                 f"{vocabulary().action(trig.action).why}, the first word of "
                                 "force in the sentence (no codebook rule read it)"))
    evidence.append(Evidence(
        sent.start, sent.end, text,
        f"a trained model reads {HEAD_MEANING[head]} here ({probs[head]:.2f}; an act of force "
        f"{probs['act']:.2f}); no codebook rule fired → {modality}"))
    return Finding(start=sent.start, end=sent.end, text=text, action=trig.action,
                   modality=modality, severity=trig.severity,
                   confidence=confidence,
                   evidence=evidence,
                   cameo=cameo_code(trig, Reading(modality=modality, first_person=head == "own")),
                   detector="scorer")


def _force_word(sent: SentenceView, text: str, book: Codebook | None, vetoed: list[int]
                ) -> tuple[Trigger, tuple[int, int, str] | None]:
    """The first codebook word of force in the sentence the rules did not veto (a word of the
    probes, as the packs read them: a trigger word, or a word of force whose kind is not said,
    which stands for unspecified force), and its trigger; else unspecified force, no word."""
    if book is not None:
        unsaid, vetoes = book.word("probe_words"), set(vetoed)
        for w in sent.words:
            if w.start in vetoes or not (w.lemma in book.singles or w.lemma in unsaid):
                continue
            trig = (book.singles.get(w.lemma) or [probe_trigger()])[0]
            return trig, (w.start, w.end, text[w.start - sent.start:w.end - sent.start])
    return probe_trigger(), None


def _modality(head: str, sent: SentenceView, book: Codebook | None) -> str:
    """The scorer's stance as a modality: an own stance is a call, a proposal or a threat by
    the words that carry it."""
    if head == "own":
        lemmas = {w.lemma for w in sent.words}
        if book is not None and lemmas & (book.cue("call_aux") | book.cue("call_governors")):
            return "call"
        if book is not None and lemmas & (book.cue("proposal_aux")
                                          | book.cue("proposal_governors")):
            return "proposal"
        return "threat"
    return head  # a prediction


def calibrated(p: float, steps: list[list[float]]) -> float:
    """The fitted step map from a head's probability to the share of such findings right."""
    for upper, share in steps:
        if p <= upper + 1e-9:
            return share
    return steps[-1][1] if steps else round(p, 3)
