"""Quotations whose source is named are that source's words (DESIGN: attributed to them)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redline
from redline.eval.threat import redline_decide
from redline.quotes import find_quotes


@pytest.mark.parametrize("text, source", [
    ('"Kill the unbelievers wherever you find them" - Koran.', "Koran"),
    ('rt : " white people need to die . " " - by bill kristol "', "bill kristol"),
    ('National Review: white working class towns "deserve to die"', "National Review"),
    ('According to Medvedev, "we must strike Kyiv".', "Dmitry Medvedev"),
    ("“We will wipe them off the map,” — Medvedev", "Dmitry Medvedev"),
])
def test_a_quoted_call_is_its_sources(text, source):
    (f,) = redline.analyze(text, lang="en").findings
    assert f.speaker == source
    assert any("quoted from" in e.why for e in f.evidence)
    assert redline_decide(text)[0] is False  # the author quotes it, does not make it


@pytest.mark.parametrize("text", [
    'He called it "a plan to kill us all".',  # no source named: not guessed at
    'Hang them all. "Justice" they say.',
    '"Hang them" - and I mean it.',  # "and" names no one
])
def test_a_quote_without_a_named_source_is_not_attributed(text):
    assert all(f.speaker is None for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text", [
    'I said: "we will kill every one of you traitors"',  # the speaker quoting themselves
    'To the traitors: "we will hang you all"', '"We will hang you all" - me',
    '"We will hang you all" -- I mean it.', '"We will hang you all" - every last one of you.',
    'Reminder: "we will hang you all"',
])
def test_the_authors_own_threat_cannot_be_passed_off_as_a_quote(text):
    assert redline_decide(text)[0] is True


@pytest.mark.parametrize("text", ["«Мы ударим по Киеву», — заявил я.",
                                  "Я: «Мы ударим по Киеву»."])
def test_a_russian_speaker_quoting_themselves_is_no_source(text):
    assert find_quotes(text) == []


def test_a_quoted_command_before_its_reporting_verb_is_the_reporters():
    (f,) = redline.analyze('"Kill them all," Medvedev said.', lang="en").findings
    assert f.speaker == "Dmitry Medvedev"


def test_a_speaker_turn_keeps_its_label():
    text = 'Host: What did he say?\n\nSmith: "We will strike Kyiv tomorrow" - Medvedev said so.'
    found = redline.analyze(text, lang="en").findings
    assert found and all(f.speaker == "Smith" for f in found)


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab :-—"“”«»\n\r\u00e9\U0001f600 by')), max_size=80))
def test_quote_spans_are_offsets_into_the_text(text):
    for q in find_quotes(text):
        assert 0 <= q.start <= q.end <= len(text)
        assert " ".join(text[q.source_start:q.source_end].split()) == q.source


@pytest.mark.parametrize("line, n", [
    ('" a b " - Koran ' * 20000, 20000),  # hostile input: each check reads a bounded stretch
    ("“a" * 25000, 0),  # unclosed marks: the walk stops at the first with no closing one
    ('"!"' * 20000, 0),  # punctuation runs before a dash are read at most 8 long
])
def test_lines_of_thousands_of_quotes_are_read_in_one_pass(line, n):
    quotes = find_quotes(line)
    assert len(quotes) == n and all(q.source == "Koran" for q in quotes)
