"""The real-speech corpus (tests/data/speech_*.jsonl) and `redline eval --task speech`.

The corpus files hold offsets and hashes, never text from ../shared: the structural checks run
everywhere; the checks that read the speeches skip, with a reason, where ../shared is absent.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from redline.cli import main
from redline.eval.agreement import agreement, kappa, sentence_label
from redline.eval.metrics import Confusion
from redline.eval.sources import SourceMissing, heldout_speeches, load_speeches, shared_data_dir
from redline.eval.speech import (
    FieldScores,
    Predicted,
    Sentence,
    corpus_path,
    keyword_pattern,
    load_sentences,
    read_corpus,
    score_fields,
    weights,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import speech_corpus  # noqa: E402

ACTIONS = speech_corpus.ACTIONS_11
MODALITIES = speech_corpus.MODALITIES
SIZES = {"en": (4000, 400), "ru": (1500, 0)}  # sentences, different speeches
HAS_SHARED = (shared_data_dir() / "un_general_debates.jsonl.gz").exists()
needs_shared = pytest.mark.skipif(not HAS_SHARED, reason="../shared/data is not on this machine")


def _records(lang: str) -> list[dict]:
    return read_corpus(corpus_path(lang))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_corpus_has_the_size_and_both_splits(lang):
    records = _records(lang)
    least, speeches = SIZES[lang]
    assert len(records) >= least
    assert len({r["source"] for r in records}) >= speeches
    assert {r["split"] for r in records} == {"dev", "test"}
    assert len({r["id"] for r in records}) == len(records)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_speech_and_its_translation_sit_in_one_split(lang):
    split_of: dict[str, set[str]] = {}
    for lang_ in ("en", "ru"):
        for r in _records(lang_):
            split_of.setdefault(speech_corpus.work_of(r["source"]), set()).add(r["split"])
    assert all(len(s) == 1 for s in split_of.values())


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_records_are_well_formed_and_hold_no_text(lang):
    for r in _records(lang):
        assert set(r) == {"id", "lang", "source", "start", "end", "sha256", "context", "split",
                          "sampling", "findings", "annotation"}
        assert r["lang"] == lang and 0 <= r["start"] < r["end"]
        assert re.fullmatch(r"[0-9a-f]{16}", r["sha256"])
        assert r["sampling"]["stratum"] in ("rule", "stance", "keyword", "near", "random")
        assert r["sampling"]["stratum_size"] >= 1
        before, after = r["context"]
        assert before is None or before[1] <= r["start"]
        assert after is None or after[0] >= r["end"]
        for f in r["findings"]:
            assert f["action"] in ACTIONS and f["modality"] in MODALITIES
            assert f["stance"] in ("own", "reported")
            assert isinstance(f["conditional"], bool) and isinstance(f["veiled"], bool)
            for span in (f["cue"], f["target"]):
                assert span is None or r["start"] <= span[0] < span[1] <= r["end"]
        # nothing from ../shared is stored: no string longer than an id or a method note
        strings = [v for v in _strings(r) if len(v) > 80]
        assert all(s.startswith(("today's", "a force word", "within two", "none of")) for s in
                   strings), strings


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.skipif(not heldout_speeches(), reason="../shared/heldout/speeches.txt is absent")
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_held_out_speech_is_in_the_corpus(lang):
    assert not {r["source"] for r in _records(lang)} & heldout_speeches()


def test_at_least_400_sentences_were_annotated_twice():
    twice = [r for lang in ("en", "ru") for r in _records(lang) if r["annotation"]["passes"] == 2]
    assert len(twice) >= 400


@needs_shared
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_sentence_matches_its_hash_and_spans_fall_inside(lang):
    sentences = load_sentences(_records(lang))  # raises CorpusError on a changed text
    for s in sentences:
        assert s.window[s.offset:s.offset + len(s.text)].replace(" ", "") == \
            s.text.replace("\r", "").replace(" ", "")


@needs_shared
def test_eval_speech_prints_the_figures_with_the_peer():
    result = CliRunner().invoke(main, ["eval", "--task", "speech", "--split", "test",
                                       "--lang", "en", "--limit", "40"])
    assert result.exit_code == 0, result.output
    assert "own call/threat/proposal" in result.output
    assert "weighted, running text" in result.output and "keywords (peer)" in result.output


@needs_shared
def test_eval_speech_json_has_both_languages():
    result = CliRunner().invoke(main, ["eval", "--task", "speech", "--limit", "15", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert [r["lang"] for r in report["languages"]] == ["en", "ru"]
    assert "redline/own_ctp/weighted" in report["languages"][0]["figures"]


def test_errors_are_refused_on_the_test_split():
    result = CliRunner().invoke(main, ["eval", "--task", "speech", "--split", "test", "--errors"])
    assert result.exit_code == 2
    assert "dev split only" in result.output


def test_a_missing_speech_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("REDLINE_SHARED_DATA", str(tmp_path))
    with pytest.raises(SourceMissing):
        load_speeches(["ungd-KEN-48-1993"])
    result = CliRunner().invoke(main, ["eval", "--task", "speech", "--lang", "en"])
    assert result.exit_code == 2
    assert "not here" in result.output and "Traceback" not in result.output


# --- the pieces, on sentences written for these tests ---------------------------------------

def _sentence(text: str, gold: list[dict], stratum: str = "rule", size: int = 10) -> Sentence:
    return Sentence(id=f"t-{abs(hash(text)) % 10**6}", lang="en", source="written", start=100,
                    end=100 + len(text), split="dev", stratum=stratum, stratum_size=size,
                    gold=gold, text=text, window=text)


def _gold(text: str, cue: str, modality: str = "threat", target: str | None = None, **kw):
    s = text.index(cue) + 100
    t = [text.index(target) + 100, text.index(target) + 100 + len(target)] if target else None
    return {"action": kw.get("action", "military_attack"), "modality": modality,
            "conditional": kw.get("conditional", False), "stance": kw.get("stance", "own"),
            "veiled": False, "cue": [s, s + len(cue)], "target": t}


def test_own_call_threat_or_proposal_is_the_headline_task():
    text = "We will strike the bridge."
    own = _sentence(text, [_gold(text, "strike")])
    reported = _sentence(text, [_gold(text, "strike", stance="reported")])
    report = _sentence(text, [_gold(text, "strike", modality="report")])
    assert own.gold_positive("own_ctp") and own.gold_positive("any")
    assert not reported.gold_positive("own_ctp") and reported.gold_positive("any")
    assert not report.gold_positive("own_ctp")


def test_fields_are_compared_on_the_finding_at_the_gold_cue():
    text = "If they cross the line, we will strike the bridge."
    s = _sentence(text, [_gold(text, "strike", target="the bridge", conditional=True)])
    cue = text.index("strike")
    bridge = (text.index("the bridge"), text.index("the bridge") + 10)
    elsewhere = Predicted("kill", "report", False, True, 0, 4, [])
    right = Predicted("military_attack", "threat", True, True, cue, cue + 6, [bridge])
    scores = FieldScores()
    score_fields(s, [elsewhere, right], scores)
    figures = scores.as_dict()
    assert figures["found"] == 1
    assert figures["action_accuracy"] == figures["modality_accuracy"] == 1.0
    assert figures["conditional_accuracy"] == figures["target_accuracy"] == 1.0


def test_weights_stand_for_the_stratum():
    a = _sentence("One sentence.", [], stratum="random", size=100)
    b = _sentence("Another sentence.", [], stratum="random", size=100)
    c = _sentence("We will strike.", [], stratum="rule", size=3)
    assert weights([a, b, c]) == {a.id: 50.0, b.id: 50.0, c.id: 3.0}


def test_counts_give_precision_recall_f1():
    counts = Confusion()
    for gold, pred in [(True, True), (True, False), (False, True), (False, False)]:
        counts.add(gold, pred, 2.0)
    assert counts.scores() == {"precision": 0.5, "recall": 0.5, "f1": 0.5,
                               "tp": 2.0, "fp": 2.0, "fn": 2.0, "tn": 2.0}


def test_keyword_peer_matches_whole_words_and_stems():
    assert keyword_pattern("en").search("They will bomb the city")
    assert not keyword_pattern("en").search("a bombastic speech")
    assert keyword_pattern("ru").search("Они бомбили город")
    assert not keyword_pattern("ru").search("Мирный договор подписан")


def test_kappa_and_sentence_labels():
    assert kappa([("a", "a"), ("b", "b")]) == 1.0
    assert kappa([("a", "b"), ("b", "a")]) == -1.0
    threat = [{"modality": "threat", "stance": "own"}, {"modality": "report", "stance": "own"}]
    assert sentence_label(threat, "modality") == "threat"
    assert sentence_label(threat, "own_ctp") == "yes"
    assert sentence_label([], "detection") == "none"
    row = agreement({"x": threat, "y": []}, {"x": threat, "y": []})
    assert row["detection"]["kappa"] == 1.0 and row["positive"] == [1, 1]


def test_locate_maps_normalised_phrases_back_to_raw_offsets():
    raw = "We will\r\n strike  the\nbridge."
    start, end = speech_corpus.locate("strike the bridge", raw, base=1000)
    assert raw[start - 1000:end - 1000] == "strike  the\nbridge"


def test_sentences_keep_offsets_and_cut_at_blank_lines():
    text = "A first sentence here.\n\nHeading without stop\nAnother one follows. Last"
    spans = speech_corpus.sentences(text)
    first_two = [text[s.start:s.end] for s in spans][:2]
    assert first_two == ["A first sentence here.", "Heading without stop\nAnother one follows."]
    assert all(text[s.start:s.end] == text[s.start:s.end].strip() for s in spans)


def test_strata_follow_rules_force_words_and_neighbours():
    rows = [{"source": "s", "i": i, "findings": f, "force_word": w}
            for i, (f, w) in enumerate([(0, False), (1, True), (0, True), (0, False), (0, False),
                                        (0, False)])]
    speech_corpus.stratify(rows)
    assert [r["stratum"] for r in rows] == ["near", "rule", "keyword", "near", "random", "random"]
    assert Counter(r["stratum"] for r in rows)["random"] == 2
