"""Persuasion techniques: cues in English and Russian, spans, repetition, scoring, data set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import redline
from redline.eval.techniques import score_spans

DATA = Path(__file__).resolve().parent / "data"


def techniques(text: str, lang: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in redline.analyze(text, lang=lang).techniques:
        out.setdefault(t.technique, []).append(t.text)
    return out


@pytest.mark.parametrize(("text", "technique", "span"), [
    ("Either we stop them now or Europe burns.", "false_dilemma",
     "Either we stop them now or Europe burns"),
    ("The regime in Kyiv is just like the Nazis.", "guilt_by_association", "just like the Nazis"),
    ("Everyone knows that the election was stolen.", "appeal_to_popularity", "Everyone knows that"),
    ("And what about the US bombing of Yugoslavia?", "whataboutism",
     "And what about the US bombing of Yugoslavia"),
    ("The so-called experts are lying again.", "casting_doubt", "so-called experts"),
    ("Time is running out for Europe.", "appeal_to_time", "Time is running out"),
    ("Our great nation will never kneel.", "flag_waving", "Our great nation"),
    ("We will not negotiate. End of discussion.", "conversation_killer", "End of discussion"),
    ("It is the worst crisis in human history.", "exaggeration_minimisation",
     "the worst crisis in human history"),
    ("As any expert will tell you, sanctions never work.", "appeal_to_authority",
     "As any expert will tell you"),
    ("Либо мы остановим их сейчас, либо Европа сгорит.", "false_dilemma",
     "Либо мы остановим их сейчас, либо Европа сгорит"),
    ("Киевский режим держится на штыках.", "name_calling", "Киевский режим"),
    ("Они — наследники Гитлера.", "guilt_by_association", "наследники Гитлера"),
    ("А как же бомбардировки Белграда?", "whataboutism", "А как же бомбардировки Белграда"),
    ("Время уходит, и мы должны действовать.", "appeal_to_time", "Время уходит"),
    ("Так называемые эксперты снова лгут.", "casting_doubt", "Так называемые эксперты"),
])
def test_cue_marks_the_words_that_carry_it(text, technique, span):
    lang = "ru" if any("а" <= ch <= "я" for ch in text.lower()) else "en"
    assert span in techniques(text, lang).get(technique, [])


@pytest.mark.parametrize(("text", "lang"), [
    ("Talks between the delegations continued in Geneva on Monday.", "en"),
    ("Soviet troops entered Berlin in May 1945.", "en"),
    ("Переговоры делегаций продолжились в Женеве в понедельник.", "ru"),
])
def test_neutral_reporting_is_not_marked(text, lang):
    assert techniques(text, lang) == {}


def test_ordinary_either_or_is_not_a_false_dilemma():
    assert "false_dilemma" not in techniques("You can pay either by card or in cash.", "en")
    assert "false_dilemma" not in techniques("Оплатить можно либо картой, либо наличными.", "ru")


# Measured on the written sets (see benchmarks/RESULTS.md); the suite fails if they fall.
FLOORS = {"en": {"precision": 0.92, "f1": 0.68, "negatives_flagged": 3},
          "ru": {"precision": 0.88, "f1": 0.58, "negatives_flagged": 4}}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_labelled_sets_do_not_fall(lang):
    from redline.eval.events import load_jsonl
    from redline.eval.techniques import evaluate_techniques

    recs = load_jsonl(DATA / f"techniques_{lang}.jsonl")
    assert len(recs) >= (150 if lang == "en" else 100)
    rep = evaluate_techniques(recs, lang=lang)
    micro = rep["scores"]["micro"]
    assert micro["precision"] >= FLOORS[lang]["precision"], micro
    assert micro["f1"] >= FLOORS[lang]["f1"], micro
    assert rep["negatives_flagged"] <= FLOORS[lang]["negatives_flagged"], rep


def test_repetition_covers_each_occurrence_within_a_turn():
    text = "Ivan Petrov: We will win, we will win, we will win! Our people are strong."
    reps = [t for t in redline.analyze(text, lang="en").techniques if t.technique == "repetition"]
    said = [m.start() for m in re.finditer("(?i)we will win", text)]
    assert all(any(t.start <= at < t.end for t in reps) for at in said)
    assert not any("people" in t.text for t in reps)


@pytest.mark.parametrize("text, lang, marked", [
    ("Who murdered him? Who perpetrated the massacres?", "en", ["Who", "Who"]),
    ("We must act now. We must support them. We must not wait.", "en",
     ["We must", "We must", "We must"]),
    ("The meeting began at ten. The meeting ended at noon.", "en", []),
    ("If we eliminate threats, if we eliminate fear, peace follows.", "en", ["if we eliminate"]),
    ("Мы ждали-ждали ответа.", "ru", ["ждали-ждали"]),
    ("Это решение партии, партии президента.", "ru", []),
    ("Постепенно, постепенно раны заживут.", "ru", ["Постепенно, постепенно"]),
    ("Работали тысячи, именно тысячи специалистов.", "ru", ["тысячи, именно тысячи"]),
    # a noun said again before its apposition corrects itself; a noun coordinated with
    # itself by «и» is grammar; a phrase with a name in it is a list of names
    ("Он живёт в стране, стране – союзнике Франции.", "ru", []),
    ("Он связал судьбу и судьбу своей семьи с Россией.", "ru", []),
    # English reads a doubled phrase only as an emphatic word, a joined phrase or a chant
    ("I know, I know we have much to do.", "en", []),
    ("There are many, many others.", "en", ["many, many"]),
    ("It is low, very low.", "en", ["low, very low"]),
    ("Я знаю, знаю, что нам многое предстоит.", "ru", ["знаю, знаю"]),
    ("Невероятно – невероятно, но факт.", "ru", ["Невероятно – невероятно"]),
])
def test_repetition_for_emphasis_doubled_anaphora_clauses(text, lang, marked):
    reps = [t for t in redline.analyze(text, lang=lang).techniques if t.technique == "repetition"]
    assert [t.text for t in reps] == marked


def test_a_name_said_again_is_not_doubled_for_emphasis():
    """A list of states repeats a name's words ("the Republic of Korea, the Republic of ...");
    the clause-opener form still reads "the Republic of" (noted in RESULTS)."""
    text = ("Members: the Democratic People's Republic of Korea, the Republic of Korea, the "
            "Republic of the Marshall Islands.")
    doubled = [t for t in redline.analyze(text, lang="en").techniques
               if t.technique == "repetition" and "twice in a row" in t.why]
    assert doubled == []


@pytest.mark.parametrize("text, lang", [
    ("The United Nations met in May. The United Nations agreed in June.", "en"),
    ("They stood side by side, over and over again.", "en"),
    ("War crimes and crimes against humanity were committed.", "en"),
    ("Он пришёл чуть-чуть позже.", "ru"),
    ("Yusup Mamatov: Yusup Mamatov, deputy commander, reporting.", "en"),
])
def test_recurring_names_and_idioms_are_not_repetition(text, lang):
    assert "repetition" not in techniques(text, lang)


def test_spans_stay_inside_their_segment():
    text = "Host: Either this or that?\nGuest: Or nothing at all, end of story."
    a = redline.analyze(text, lang="en")
    seg = {s.id: s for s in a.segments}
    for t in a.techniques:
        assert seg[t.segment].start <= t.start <= t.end <= seg[t.segment].end
        assert text[t.start:t.end] == t.text


def test_semeval_span_scoring_gives_partial_credit():
    pred = {"loaded_language": [(0, 10)]}
    gold = {"loaded_language": [(5, 10)], "slogans": [(20, 30)]}
    s = score_spans([(pred, gold)])
    assert s["loaded_language"]["precision"] == 0.5 and s["loaded_language"]["recall"] == 1.0
    assert s["micro"]["recall"] == 0.5 and s["slogans"]["recall"] == 0.0


def test_repetition_across_a_long_speech_is_not_a_device():
    filler = " ".join(["Peace needs work and patience from every nation here."] * 12)
    text = f"The world is watching. {filler} The world is waiting. {filler} The world decides."
    reps = [t for t in redline.analyze(text, lang="en").techniques if t.technique == "repetition"]
    assert not any(t.text.lower() == "the world" for t in reps)
