"""The learned scorer and its join to the rules (redline/detect/core/{scorer,join}.py).

The join is tested with small stand-in models whose answers are fixed by their biases, so each
test says what the join does with a confident, a doubting or a disagreeing scorer whatever the
shipped model has learned; the shipped model is tested for what it must be (consistent with its
metadata and its training data, deterministic, offline).
"""

from __future__ import annotations

import json
import math
import sys
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import redline
from redline.detect.core import join, scorer
from redline.detect.core.scorer import DIM, FEATURE_VERSION, HEADS, Scorer, feature_names, hashed
from redline.report.html import render_html
from redline.report.text import render_text

REPO = Path(__file__).resolve().parents[1]


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def stand_in(act: float, own: float, prediction: float = 0.02, report: float = 0.02,
             negq: float = 0.02, languages: tuple[str, ...] = ("en", "ru")) -> Scorer:
    """A model that answers every sentence alike: ``act``, and each stance given an act."""
    given = {"act": act, "own": own, "prediction": prediction, "report": report, "negq": negq}
    meta = {
        "heads": list(HEADS), "languages": list(languages), "feature_version": FEATURE_VERSION,
        "dim": DIM, "thresholds": {"own": 0.5, "act": 0.5}, "asserted": 0.3,
        "calibration": {h: [[1.0, 0.8]] for h in HEADS},
        "join": {"intercept": -2.0, "rule": 0.0, "act": 4.0},
    }
    bias = np.array([_logit(given[h]) for h in HEADS])
    return Scorer(np.zeros((len(HEADS), 8)), bias, meta)


@pytest.fixture
def use_model(monkeypatch):
    """Install a stand-in model for one test."""
    def install(model: Scorer) -> None:
        monkeypatch.setattr(join, "load_scorer", lambda: model)
        monkeypatch.setattr(scorer, "load_scorer", lambda: model)
    return install


# --- the features and the shipped model ----------------------------------------------------------

def test_feature_hashing_is_pinned():
    """CRC-32 buckets: the same on every machine and every run (a changed hash would silently
    scramble the shipped weights, so the bucket of a known feature is pinned)."""
    idx, val = hashed(Counter({"w|war": 1}))
    assert idx.tolist() == [zlib.crc32(b"w|war") & (DIM - 1)] == [57541]
    assert val.tolist() == [1.0]


def test_features_read_words_ngrams_rules_and_probes():
    names = feature_names("We will strike.", [scorer.RuleSign("military_attack", "threat", True)],
                          "en", [("threat", True)])
    assert {"w|strike", "b|will strike", "c| st", "r|m|threat", "r|s|own",
            "p|threat|own", "lang|en"} <= set(names)
    assert "r|none" not in names


def test_the_shipped_model_matches_its_metadata():
    model = scorer.load_scorer()
    assert model is not None, "redline/data/scorer/ ships the trained model"
    meta = model.meta
    assert meta["feature_version"] == FEATURE_VERSION and meta["dim"] == DIM
    assert model.weights.shape == (len(HEADS), DIM) and tuple(meta["heads"]) == HEADS
    assert set(meta["calibration"]) == set(HEADS)
    assert 0 < meta["asserted"] < 1 and set(meta["thresholds"]) == {"own", "act"}


def test_the_shipped_model_was_trained_on_the_corpus_in_the_repository():
    """A changed corpus or written set needs a retrained model (scripts/train_scorer.py)."""
    from redline.eval.scorer_data import file_hash

    trained_on = scorer.load_scorer().meta["trained_on"]
    for name, path in (("corpus_en", "tests/data/speech_en.jsonl"),
                       ("corpus_ru", "tests/data/speech_ru.jsonl"),
                       ("events_en", "tests/data/events_en.jsonl"),
                       ("events_ru", "tests/data/events_ru.jsonl")):
        assert trained_on[name] == file_hash(REPO / path), f"{path} changed: retrain the scorer"


def test_probabilities_are_the_heads_over_the_hashed_features():
    """p(act) is the act head's logistic; a stance is p(act) times its head's (the stance
    heads are trained on sentences that hold an act)."""
    model = scorer.load_scorer()
    text, signs = "We will respond with everything we have.", [
        scorer.RuleSign("unspecified_force", "threat", True)]
    idx, val = hashed(feature_names(text, signs, "en"))
    z = model.weights[:, idx] @ val + model.bias
    given = 1 / (1 + np.exp(-z))
    probs = model.probabilities(text, signs, "en")
    assert probs["act"] == pytest.approx(given[0], abs=1e-4)
    assert probs["own"] == pytest.approx(given[0] * given[1], abs=1e-4)
    assert probs != model.probabilities(text, [], "en")  # the rules' readings are features


def test_a_model_for_other_features_is_refused():
    weights = np.zeros((len(HEADS), DIM))
    meta = {"feature_version": FEATURE_VERSION - 1, "heads": list(HEADS), "dim": DIM,
            "bias": [0.0] * len(HEADS)}
    with pytest.raises(ValueError, match="feature version"):
        scorer.check_model(weights, meta)
    with pytest.raises(ValueError, match="weights"):
        scorer.check_model(np.zeros((len(HEADS), 8)), {**meta, "feature_version": FEATURE_VERSION})
    scorer.check_model(weights, {**meta, "feature_version": FEATURE_VERSION})


def test_the_model_file_is_written_byte_for_byte_alike(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from train_scorer import write_model
    finally:
        sys.path.remove(str(REPO / "scripts"))
    weights = np.arange(len(HEADS) * 16, dtype=np.float64).reshape(len(HEADS), 16) / 7
    meta = {"heads": list(HEADS), "languages": ["en"], "b": 1, "a": 2}
    write_model(tmp_path / "one", weights, np.zeros(len(HEADS)), meta)
    write_model(tmp_path / "two", weights, np.zeros(len(HEADS)), meta)
    for name in ("weights.npy.gz", "model.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert (tmp_path / "one" / "weights.npy.gz").read_bytes()[4:8] == bytes(4)  # gzip: no mtime
    assert list(json.loads((tmp_path / "one" / "model.json").read_text())) == sorted(
        [*meta, "bias"])


# --- the join ------------------------------------------------------------------------------------

def test_a_confident_scorer_reads_what_no_rule_fires_on_and_says_so(use_model):
    use_model(stand_in(act=0.95, own=0.95))
    analysis = redline.analyze("Our measures will be swift and merciless.", lang="en")
    [f] = analysis.findings
    assert f.detector == "scorer" and f.modality == "threat"
    assert f.action == "unspecified_force" and f.confidence == pytest.approx(0.8)
    assert f.evidence[0].text == "measures" and "force of an unstated kind" in f.evidence[0].why
    assert "a trained model reads the speaker's own call, threat or proposal here (0.90" in (
        f.evidence[-1].why)
    assert "no codebook rule fired" in f.evidence[-1].why
    assert "read by the trained model alone" in render_text(analysis)
    assert "read by the trained model alone" in render_html(analysis)
    assert any("trained model" in e["why"] for e in analysis.to_dict()["findings"][0]["evidence"])


def test_a_scorer_finding_takes_its_action_from_the_first_word_of_force(use_model):
    use_model(stand_in(act=0.95, own=0.95))
    [f] = redline.analyze("The bombing must go on.", lang="en").findings
    assert f.detector == "scorer" and f.action == "military_attack"
    assert f.evidence[0].text == "bombing" and "first word of force" in f.evidence[0].why
    assert f.modality == "call"  # "must": the words that carry the stance make it a call


@pytest.mark.parametrize("text", ["He hung up the phone.", "We will execute the plan.",
                                  "We will attack the problem head-on."])
def test_where_the_rules_vetoed_every_word_of_force_the_scorer_stays_quiet(use_model, text):
    use_model(stand_in(act=0.99, own=0.99))
    assert redline.analyze(text, lang="en").findings == []


def test_an_unsure_scorer_makes_no_finding_of_its_own(use_model):
    use_model(stand_in(act=0.3, own=0.2))
    assert redline.analyze("Our measures will be swift and merciless.", lang="en").findings == []


def test_a_rule_finding_the_scorer_doubts_keeps_its_reading_and_loses_confidence(use_model):
    use_model(stand_in(act=0.01, own=0.01))
    analysis = redline.analyze("We will destroy Hamas.", lang="en")
    [f] = analysis.findings
    assert f.detector == "events_en" and f.action == "destroy" and f.modality == "threat"
    assert f.confidence < 0.3  # the stand-in's asserting threshold
    assert "the trained scorer doubts that the sentence holds an act of force (0.01)" in (
        f.evidence[-1].why)
    assert "doubted" in render_text(analysis)


def test_a_rule_finding_the_scorer_confirms_is_surer(use_model):
    use_model(stand_in(act=0.99, own=0.99))
    [f] = redline.analyze("We will destroy Hamas.", lang="en").findings
    assert f.modality == "threat" and f.confidence > 0.8
    assert not any("trained" in e.why for e in f.evidence)


def test_the_scorer_does_not_overrule_the_rules_stance(use_model):
    use_model(stand_in(act=0.95, own=0.05, prediction=0.95))
    [f] = redline.analyze("We will destroy Hamas.", lang="en").findings
    assert f.modality == "threat" and f.action == "destroy" and f.cameo == "1384"
    assert f.confidence > 0.8  # an act, as the rules read: the stance heads do not weigh


def test_russian_is_read_by_the_same_join(use_model):
    use_model(stand_in(act=0.95, own=0.95))
    [f] = redline.analyze("Меры будут быстрыми и беспощадными.", lang="ru").findings
    assert f.detector == "scorer" and f.text == "Меры будут быстрыми и беспощадными."


def test_without_the_scorer_the_rules_stand_alone(use_model):
    use_model(None)
    assert redline.analyze("Our measures will be swift and merciless.", lang="en").findings == []
    [f] = redline.analyze("We will destroy Hamas.", lang="en").findings
    assert f.detector == "events_en"


def test_a_language_the_model_does_not_serve_keeps_the_rules_confidence(use_model):
    from redline.components import default_registry
    from redline.detect.core.confidence import ASSERTED, asserted

    text = "Мы уничтожим их базы."
    registry = default_registry()
    registry.unregister("scorer")
    alone = redline.analyze(text, lang="ru", registry=registry).findings
    use_model(stand_in(act=0.01, own=0.01, languages=("en",)))
    assert asserted("ru") == ASSERTED and asserted("en") == 0.3
    assert [(f.confidence, len(f.evidence)) for f in redline.analyze(text, lang="ru").findings] \
        == [(f.confidence, len(f.evidence)) for f in alone] != []


@pytest.mark.parametrize(("text", "blocked"), [("He hung up the phone.", True),
                                               ("We will execute the plan.", True),
                                               ("Our measures will be swift.", False),
                                               ("The weather is fine.", False)])
def test_training_sees_the_vetoes_the_join_sees(use_model, text, blocked):
    """What `scripts/train_scorer.py` simulates (an example `blocked`) is what the join does."""
    from redline.eval.scorer_data import rule_signs

    [(signs, _, _, seen)] = rule_signs([(text, "en", 0, len(text))], jobs=1)
    assert not signs and seen is blocked
    use_model(stand_in(act=0.95, own=0.95))  # sure of every sentence: only a veto stops it
    assert bool(redline.analyze(text, lang="en").findings) is not blocked


def test_the_tfidf_peer_is_not_starved_by_the_order_of_a_set():
    """A set whose positives come first (as in some shared sets) still trains every fold on
    both classes: the peer redline is measured against must be a fair one."""
    from redline.eval.threat import tfidf_peer

    texts = [f"we will burn down house number {i} tonight" for i in range(12)] + [
        f"the weather on day {i} was mild and sunny" for i in range(48)]
    golds = [True] * 12 + [False] * 48
    answers = tfidf_peer()(texts, golds)
    assert sum(a == g for a, g in zip(answers, golds, strict=True)) >= 57
