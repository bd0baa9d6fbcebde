"""Quotations whose source is named are that source's words (DESIGN: attributed to them)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import redline
from redline.evaluate_threat import redline_decide
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


def test_a_line_of_thousands_of_quotes_is_read_in_one_pass():
    line = '" a b " - Koran ' * 20000  # hostile input: each check reads a bounded stretch
    quotes = find_quotes(line)
    assert len(quotes) == 20000 and {q.source for q in quotes} == {"Koran"}
