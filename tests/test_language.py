"""Language identification: a wrong "not supported" silently drops every finding."""

from __future__ import annotations

import pytest

from redline.lang.identify import identify_language

# Lower-cased, hashtag-heavy English of the kind lingua's low-accuracy mode alone calls
# Swedish, German or Romanian (written for this test, in the style of comment threads).
ENGLISH_COMMENTS = [
    "black male assassinates 5 white men in kansas city posting online kill all whites ! "
    "is worse than #charlottesville",
    "namaste india ! #markzuckerberg founder and ceo of #facebook begins his india visit "
    "with internet org summit in delhi",
    "senate republicans wave white flag n amnesty via #stopexecutiveamnesty #tcot #pjnet",
    "radical radical radical radical radical muslims cheer terror bombings in boston via",
    "Fuck you backstabbing RINOS, and fuck you leftoids, peices of shit. Y'all belong in "
    "gitmo for treason",
]

OTHER = [
    ("Wij zijn er weer bij! Het team staat klaar, een nieuwe coach, maar een ander "
     "kampioen worden. Want hoe gaaf en kort haha.", "nl"),
    ("En outre, notre étude s'est plus particulièrement concentrée sur les deux fosses "
     "dépotoirs de ce site, afin de déterminer leur chronologie.", "fr"),
    ("Ми готові до переговорів, але ми не віддамо жодного сантиметра нашої землі.", "uk"),
    ("Мы готовы к переговорам, но не отдадим ни сантиметра нашей земли, никогда.", "ru"),
]


@pytest.mark.parametrize("text", ENGLISH_COMMENTS)
def test_lower_cased_english_comments_stay_english(text):
    assert identify_language(text) == "en"


@pytest.mark.parametrize(("text", "code"), OTHER)
def test_other_languages_are_told_apart(text, code):
    assert identify_language(text) == code


@pytest.mark.parametrize(("text", "code"), [("NATO", "en"), ("", "und"), ("Удар!", "ru")])
def test_short_texts_take_the_scripts_default(text, code):
    assert identify_language(text) == code
