"""The real-speech technique set (tests/data/techniques_real_*.jsonl) and the word tagger.

The set holds offsets and hashes, never text from ../shared: its structural checks run
everywhere; the checks that read the speeches skip, with a reason, where ../shared is absent.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

import redline
from redline.detect import tagger
from redline.eval.sources import heldout_speeches, load_speeches, shared_data_dir
from redline.eval.techniques import REAL_TECHNIQUES, real_set_path

DATA = Path(__file__).resolve().parent / "data"
HAS_SHARED = (shared_data_dir() / "un_general_debates.jsonl.gz").exists()
needs_shared = pytest.mark.skipif(not HAS_SHARED, reason="../shared/data is not on this machine")
FIELDS = {"id", "lang", "source", "start", "end", "sha256", "context", "split", "stratum",
          "techniques"}


def _records(lang: str) -> list[dict]:
    return [json.loads(line) for line in real_set_path(lang).read_text("utf-8").splitlines()]


# --- the set ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_set_has_1500_sentences_hold_no_text_and_label_the_eight(lang):
    recs = _records(lang)
    assert len(recs) >= 1500
    assert {r["split"] for r in recs} == {"dev", "test"}
    assert sum(r["split"] == "test" for r in recs) >= 500
    for r in recs:
        assert set(r) == FIELDS
        for t in r["techniques"]:
            assert t["technique"] in REAL_TECHNIQUES
            assert r["start"] <= t["start"] < t["end"] <= r["end"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_splits_are_by_whole_speech_and_agree_with_the_speech_corpus(lang):
    recs = _records(lang)
    split_of: dict[str, set[str]] = {}
    for r in recs:
        split_of.setdefault(r["source"], set()).add(r["split"])
    assert all(len(s) == 1 for s in split_of.values())
    corpus = [json.loads(line) for line in (DATA / f"speech_{lang}.jsonl").read_text("utf-8")
              .splitlines()]
    split_in_corpus = {r["id"]: r["split"] for r in corpus}
    speech_split = {r["source"]: r["split"] for r in corpus}
    for r in recs:
        if r["id"] in split_in_corpus:
            assert split_in_corpus[r["id"]] == r["split"]
        else:  # the extension's sentences outside the corpus: of its dev speeches, dev
            assert r["stratum"] == "extension" and r["split"] == "dev"
            assert speech_split[r["source"]] == "dev"


@pytest.mark.skipif(not heldout_speeches(), reason="../shared/heldout/speeches.txt is absent")
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_held_out_speech_is_in_the_set(lang):
    assert not {r["source"] for r in _records(lang)} & heldout_speeches()


@needs_shared
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_sentence_matches_its_hash(lang):
    recs = _records(lang)
    texts = load_speeches({r["source"] for r in recs})
    for r in recs:
        sentence = texts[r["source"]][r["start"]:r["end"]]
        assert hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:16] == r["sha256"]


# --- the tagger -----------------------------------------------------------------------------

def test_the_shipped_tagger_loads_with_its_vectors():
    model = tagger.load_tagger()
    assert model is not None and model.vectors is not None
    assert {"loaded_language", "name_calling"} <= set(model.techniques)
    for lang, shipped in model.thresholds.items():  # on in a language: precise there (CV)
        chosen = model.meta["cross_validation"][lang]["chosen_in_sample"]
        for tech, threshold in zip(model.techniques, shipped, strict=True):
            if threshold <= 1.0:
                assert chosen[tech]["precision"] >= model.meta["min_precision"]


def test_thresholds_per_language_and_the_older_single_form():
    meta = {"techniques": ["loaded_language", "name_calling"],
            "thresholds": {"loaded_language": {"en": 0.5}, "name_calling": 0.3}}
    assert tagger.thresholds_of(meta, "en").tolist() == [0.5, 0.3]
    assert tagger.thresholds_of(meta, "ru").tolist() == [2.0, 0.3]  # off in Russian


def _words(tagged: str) -> list[tagger.Word]:
    """Words from 'form/POS' pairs, at made-up offsets one apart."""
    out, at = [], 0
    for pair in tagged.split():
        form, pos = pair.rsplit("/", 1)
        out.append(tagger.Word(at, at + len(form), form, form.lower(), pos))
        at += len(form) + 1
    return out


@pytest.mark.parametrize("shape, run, phrase", [
    ("word", (2, 2), (2, 2)),
    ("determiner", (2, 2), (1, 2)),                  # "the Pretoria"
    ("noun_phrase", (2, 2), (1, 2)),                 # DET before a name, no noun after it
    ("noun_phrase_compound", (2, 2), (1, 3)),        # "the Pretoria regime"
    ("adjective_head", (6, 6), (6, 7)),              # "malicious theories"
    ("noun_phrase", (6, 6), (5, 7)),                 # "its malicious theories"
])
def test_a_run_widens_to_the_phrase_shape(shape, run, phrase):
    words = _words("Yet/ADV the/DET Pretoria/PROPN regime/NOUN spreads/VERB its/DET "
                   "malicious/ADJ theories/NOUN ./PUNCT")
    assert tagger.widen(words, *run, tagger.PHRASE_SHAPES[shape]) == phrase


def test_widened_runs_that_meet_are_one_phrase_with_the_best_score():
    words = _words("a/DET cruel/ADJ regime/NOUN and/CCONJ corrupt/ADJ elites/NOUN")
    scores = [None, 0.9, 0.1, None, 0.7, 0.2]
    shape = tagger.PHRASE_SHAPES["adjective_head"]
    assert tagger.tagged_phrases(words, scores, 0.5, shape) == [(1, 2, 1, True),
                                                                (4, 5, 4, True)]
    scores = [None, 0.9, 0.6, None, 0.7, 0.8]
    assert tagger.tagged_phrases(words, scores, 0.5, tagger.PHRASE_SHAPES["noun_phrase"]) == [
        (0, 2, 1, True), (4, 5, 5, False)]  # "corrupt elites": both words scored, no widening
    words = _words("cruel/ADJ regime/NOUN elites/NOUN")  # the second run widens into the first
    assert tagger.tagged_phrases(words, [0.9, 0.1, 0.8], 0.5,
                                 tagger.PHRASE_SHAPES["noun_phrase"]) == [(0, 2, 0, True)]


def test_the_why_says_when_the_phrase_rule_widened_a_span():
    words = _words("the/DET criminal/ADJ junta/NOUN")
    wide = tagger.TaggedSpan("name_calling", 0, 2, 2, True, 0.8, "the word 'junta'")
    assert "marked as the phrase around 'junta'" in tagger._why(wide, words)
    scored = wide._replace(widened=False)  # every word of it scored above the threshold
    assert "phrase around" not in tagger._why(scored, words)


def test_a_model_without_phrase_shapes_reads_single_words():
    meta = {"techniques": ["loaded_language"], "thresholds": {"loaded_language": 0.5}}
    assert tagger.shapes_of(meta, "en") == [tagger.PHRASE_SHAPES["word"]]
    meta["phrases"] = {"loaded_language": {"ru": "noun_phrase"}}
    assert tagger.shapes_of(meta, "ru") == [tagger.PHRASE_SHAPES["noun_phrase"]]
    assert tagger.shapes_of(meta, "en") == [tagger.PHRASE_SHAPES["word"]]


TEXT = ("Speaker: The criminal junta in the capital has unleashed a bloody campaign of terror "
        "against peaceful villages, and its cynical masters applaud this savagery.")


def test_tagger_spans_say_a_model_read_them_and_keep_offsets():
    a = redline.analyze(TEXT, lang="en")
    learned = [t for t in a.techniques if t.detector == "technique_tagger"]
    assert learned, [(t.technique, t.text) for t in a.techniques]
    for t in learned:
        assert TEXT[t.start:t.end] == t.text
        assert "a trained model reads it" in t.why and "score" in t.why
        assert 0 < t.confidence <= 1


def test_the_tagger_never_doubles_a_cue_of_the_same_technique():
    a = redline.analyze(TEXT, lang="en")
    for t in a.techniques:
        for u in a.techniques:
            if t is not u and t.technique == u.technique:
                assert t.end <= u.start or u.end <= t.start


def test_the_same_text_gives_the_same_spans():
    first = [t.to_dict() for t in redline.analyze(TEXT, lang="en").techniques]
    assert first == [t.to_dict() for t in redline.analyze(TEXT, lang="en").techniques]


def test_without_a_shipped_model_there_are_no_tagger_spans(monkeypatch):
    monkeypatch.setattr(tagger, "load_tagger", lambda: None)
    assert not [t for t in redline.analyze(TEXT, lang="en").techniques
                if t.detector == "technique_tagger"]


@pytest.mark.parametrize("word, near, far, lang", [
    ("barbaric", "brutal", "table", "en"),
    ("варварский", "жестокий", "стол", "ru"),
])
def test_word_vectors_put_charged_words_together(word, near, far, lang):
    vectors = tagger.load_vectors()
    a, b, c = (vectors.of(tagger.Word(0, 0, w, w, "ADJ"), lang) for w in (word, near, far))
    assert float(a @ b) > float(a @ c) + 0.2



def test_a_russian_lemma_without_yo_finds_its_vector():
    """The parser's lemmas drop «ё» ("бомбежка"); the table keeps it ("бомбёжка")."""
    table = tagger.WordVectors(np.eye(3), ["ru|бомбёжка", "ru|все", "ru|всё"])
    as_parsed = tagger.Word(0, 0, "бомбежек", "бомбежка", "NOUN")
    assert table.of(as_parsed, "ru") @ np.eye(3)[0] == 1.0
    # two words that fold alike: the first listed (the more frequent) is kept
    assert table.of(tagger.Word(0, 0, "всё", "всё", "PRON"), "ru") @ np.eye(3)[1] == 1.0
    assert not table.of(tagger.Word(0, 0, "стол", "стол", "NOUN"), "ru").any()

def test_span_and_segment_lookups_use_sorted_spans():
    """Both lookups bisect, so a document of many segments stays linear."""
    spans = [(0, 5), (10, 15), (20, 25)]
    assert tagger._overlaps(spans, 3, 4) and tagger._overlaps(spans, 14, 18)
    assert not tagger._overlaps(spans, 5, 10) and not tagger._overlaps(spans, 16, 20)
    assert not tagger._overlaps([], 1, 2)
    segments = [(0, 10), (20, 30)]
    assert tagger._inside(0, segments) and tagger._inside(25, segments)
    assert not tagger._inside(15, segments) and not tagger._inside(30, segments)


def test_no_technique_is_read_inside_an_editors_square_brackets():
    """A translator's gloss is not the speaker's persuasion; the same words outside are."""
    glossed = "Speaker: They struck the city with the Oreshnik [a barbaric, bloody weapon]."
    plain = "Speaker: They struck the city with a barbaric, bloody weapon."
    inside = glossed.index("[")
    assert not [t for t in redline.analyze(glossed, lang="en").techniques if t.start > inside]
    assert redline.analyze(plain, lang="en").techniques
    assert tagger.editorial_spans("a [b] c [d\ne]") == [(2, 5)]
    assert tagger.inside_any([(2, 5)], 3, 4) and not tagger.inside_any([(2, 5)], 4, 7)
