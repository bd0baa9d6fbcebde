"""Stances as speeches put them (issue 16): duties and necessities, rights reserved, support
for another's force, acts urged to end, acts another party owns, proposals and views reported,
bodies of the speaker's own. Each general rule has its own sentences here, written for these
tests (constructed, with invented places where a name is needed; no corpus text);
`redline eval --task speech --split dev` measures the rules on real speech.
"""

from __future__ import annotations

import pytest

import redline


def readings(text: str, lang: str = "en") -> list[tuple[str, str, bool]]:
    analysis = redline.analyze(text, lang=lang)
    return [(f.action, f.modality, not analysis.reported(f)) for f in analysis.findings]


def first(text: str, lang: str = "en") -> tuple[str, str, bool]:
    found = readings(text, lang)
    assert found, text
    return found[0]


@pytest.mark.parametrize("text, action, modality, own", [
    # a copula's predicate of duty or need urges what it governs
    ("It is necessary to strike them.", "military_attack", "call", True),
    ("It is our duty to do all we can to destroy them.", "destroy", "call", True),
    ("It is essential that we destroy them.", "destroy", "call", True),
    ("It has become imperative for the rebels to step up their armed struggle.",
     "military_attack", "call", True),
    ("He said it was necessary to bomb Kyiv.", "military_attack", "call", False),  # backshifted
    # ... but not a past need, a purpose, or a denied one
    ("It was necessary to destroy the city in 1944.", "destroy", "report", True),
    ("They calculate how many hours are necessary to drop bombs on Moscow.",
     "military_attack", "report", True),
    ("It is not necessary to strike them.", "military_attack", "negated", True),
    # a right reserved threatens
    ("We reserve the right to strike them.", "military_attack", "threat", True),
    ("Our military doctrine says Ruritania reserves the right to use nuclear weapons.",
     "nuclear_attack", "threat", True),  # the speaker's own doctrine is the speaker's side
    # support for force is a call, held by whoever supports it
    ("We support the armed struggle of the island's people.", "military_attack", "call", True),
    ("The United States supports the Israeli bombing of Gaza.", "military_attack", "call",
     False),
    # a proposal another party made is theirs
    ("We are worried that the neighbouring state has proposed that the province should be "
     "annexed.", "annex", "call", False),
    # a modal on a verb of stance: the call is its subject's
    ("It is outrageous that a retired general should openly be calling for the occupation of "
     "the port.", "invade", "call", False),
    ("We must call for the occupation of the island.", "invade", "call", True),
    # an aim is its owner's plan
    ("The raid was aimed at destroying our young state.", "destroy", "proposal", False),
    # "consider X as Y" judges X, it plans nothing
    ("Some villagers had considered the invasion as a rescue.", "invade", "report", True),
    # a long determined subject before a comma is no vocative: no imperative follows it
    ("The invasion, including the occupation of the coast, demonstrate contempt for the law.",
     "invade", "report", True),
    # a gerund of support inside a phrase names, it urges nothing
    ("We think the habit of supporting one strongman and keeping his rule by military force is "
     "dangerous.", "military_attack", "report", True),
])
def test_stances_speeches_take(text, action, modality, own):
    assert first(text) == (action, modality, own)


@pytest.mark.parametrize("text, modality", [
    # an act urged to end is under way: reported (docs/annotation.md)
    ("We must stop the bombing of Gaza.", "report"),
    ("The naval blockade of the island should be ended.", "report"),
    ("We must put an end to the military actions against the border towns.", "report"),
    ("The bombing of Gaza must stop.", "report"),
    ("The civil war ended in 1865.", "report"),
    ("We condemn the invasion of Ukraine.", "report"),
    ("We could have stopped these hostilities.", "report"),  # they were real
    # one kept from happening, or ended already, is negated
    ("We must prevent an attack on Kyiv.", "negated"),
    ("The EU lifted the sanctions against Syria.", "negated"),
    # an act another party owns, named inside the clause, is theirs and under way
    ("The army must withdraw from all the valleys under its occupation.", "report"),
    ("The hacking served to prepare Ruritania's invasion.", "report"),
])
def test_acts_named_not_urged(text, modality):
    assert first(text)[1] == modality


@pytest.mark.parametrize("text, action, modality", [
    # an act modifying another noun is named with it: no threat in "I will host"
    ("In May, I will host the Summit on Holocaust Remembrance.", "mass_violence", "report"),
    # a decision taken reports the measure
    ("We have decided to cut off all trade with the rebel government.", "coerce", "report"),
    # another side able to act is a capability forecast, the speaker's side threatens
    ("Russia is able to strike London.", "military_attack", "prediction"),
    ("We are able to destroy them.", "destroy", "threat"),
    # a participle aims a noun of force at its target
    ("The rebels are violating the sanctions imposed against their leaders.", "coerce",
     "report"),
])
def test_names_decisions_capabilities_and_aims(text, action, modality):
    assert first(text)[:2] == (action, modality)


def test_plural_entries_match_their_form():
    """"sanctions" is written in the plural: it matches the plural form, not only a lemma."""
    assert first("The Council must impose sanctions against South Africa.") == (
        "coerce", "call", True)


@pytest.mark.parametrize("text, modality", [
    ("Республика оставляет за собой право применить ядерное оружие.", "threat"),
    ("Мы требуем прекратить удары по Донецку.", "report"),
    ("Мы осуждаем удары по Донецку.", "report"),
    ("Вчера сняли блокаду Газы.", "negated"),
    ("Удары по Киеву.", "call"),
    # a noun of force in the genitive is named inside another, not put forward
    ("Три дня непрерывных бомбёжек по мирным сёлам.", "report"),
])
def test_russian_stances_speeches_take(text, modality):
    assert first(text, "ru")[1] == modality


def test_a_reported_russian_threat_is_the_threatener_s():
    """«пригрозил нанести удар»: his threat, reported (it had read as a report of a strike)."""
    assert first("Медведев пригрозил нанести удар по Киеву.", "ru") == (
        "military_attack", "threat", False)


@pytest.mark.parametrize("text, lang", [
    ("All options are on the table.", "en"),
    ("У нас есть чем ответить.", "ru"),
    # a genitive after a preposition is whom the answer is for, not who gives it
    ("Любое нападение приведёт к ужасным последствиям для агрессора.", "ru"),
])
def test_an_answer_held_ready_threatens(text, lang):
    """An answer stated or forecast with no one else to give it is the speaker's threat."""
    assert ("unspecified_force", "threat", True) in readings(text, lang)


@pytest.mark.parametrize("text, lang, answer", [
    ("We will respond to any attack.", "en", ("unspecified_force", "threat", True)),
    ("We will answer every provocation with force.", "en",
     ("unspecified_force", "threat", True)),
    ("Ruritania will retaliate against any strike on its territory.", "en",
     ("unspecified_force", "prediction", True)),
    ("We will respond to an attack on our base.", "en", ("unspecified_force", "threat", True)),
    ("Мы ответим на любое нападение.", "ru", ("unspecified_force", "threat", True)),
    ("Руритания ответит на любой удар по своей территории.", "ru",
     ("unspecified_force", "prediction", True)),
    # Russian has no article: a bare noun answered may come
    ("Руритания ответит на удар по своей территории.", "ru",
     ("unspecified_force", "prediction", True)),
])
def test_an_act_that_may_come_and_is_answered_is_the_condition_not_the_threat(text, lang,
                                                                              answer):
    """The act a clause will answer ("respond to any attack") is the other side's, its
    condition, as in an if-clause: the answer is the threat, the attack is not the speaker's."""
    assert readings(text, lang) == [answer]


@pytest.mark.parametrize("text, lang", [
    ("We will respond to yesterday's attack on our base.", "en"),
    ("We will respond to the attack on our base.", "en"),
    ("Мы ответим на вчерашний удар по нашей базе.", "ru"),
])
def test_an_act_answered_that_happened_is_a_report_not_the_threat(text, lang):
    """"Respond to the attack": the attack happened, the other side's; it is reported, and the
    answer is the threat."""
    found = readings(text, lang)
    assert ("unspecified_force", "threat", True) in found
    assert [m for a, m, _ in found if a == "military_attack"] == ["report"]


@pytest.mark.parametrize("text, lang", [
    ("We will answer any provocation with a crushing blow.", "en"),
    ("We will respond to any aggression with a devastating strike.", "en"),
    ("We will answer the attack with a crushing blow.", "en"),
    ("Мы ответим на любую провокацию сокрушительным ударом.", "ru"),
])
def test_the_means_of_an_answer_is_the_speakers_threat(text, lang):
    """"Answer X with a crushing blow": the blow is the answer itself, threatened, wherever
    the parser hangs the "with" (it often hangs it on the answered noun); as in Russian, whose
    instrumental case leaves no doubt. The answer and its means are one act, one finding."""
    found = readings(text, lang)
    assert ("military_attack", "threat", True) in found
    assert not [a for a, _, _ in found if a == "unspecified_force"]
    assert ("military_attack", "report", True) not in found


def test_the_genitive_of_an_answer_gives_it():
    """«Ответ России» is Russia's answer: Russia is no target of it."""
    analysis = redline.analyze("Ответ России будет незамедлительным.", lang="ru")
    assert [t.text for f in analysis.findings for t in f.targets] == []


@pytest.mark.parametrize("text, modality", [
    # a verbless "X – это преступление" states, it demands nothing
    ("Удары по больницам – это военное преступление.", "report"),
    # an obligation in the past is reported
    ("Тогда договорились, что эти области должны были войти в состав России.", "report"),
    # another side "going to" is forecast; the speaker's side's readiness threatens
    ("Соседи снова собираются воевать с Польшей.", "prediction"),
    ("Мы готовы нанести удар по Киеву.", "threat"),
])
def test_russian_statements_obligations_and_intents(text, modality):
    assert first(text, "ru")[1] == modality


def test_an_answer_to_a_challenge_is_no_force():
    """«ответ на вызов» answers a challenge: no finding."""
    assert readings("Это наш ответ на вызов времени.", "ru") == []


def test_leaving_is_no_reserved_right():
    """"оставлять" threatens only through the right it reserves."""
    assert first("Они оставили город без защиты и бомбили его.", "ru")[1] == "report"


@pytest.mark.parametrize("text, modality", [
    # the narrowings the threat halves asked for (sentences written for the tests)
    ("A bullet will stop that.", "prediction"),  # an instrument that stops something ends nothing
    ("Take her gitmo and lock her up.", "call"),  # a place with a possessive is no one's act
    ("The people should demand him hanged.", "call"),  # a main-clause modal is the speaker's
])
def test_comment_thread_readings_kept(text, modality):
    found = readings(text)
    assert found and found[0][1] == modality and found[0][2]


@pytest.mark.parametrize("text, lang, modality", [
    # the speaker's side urging or threatening its own act of force needs no named target
    ("Our patience is over, and we will have to attack.", "en", "call"),
    ("We must deliver a swift and heavy strike.", "en", "call"),
    ("We are ready to attack.", "en", "threat"),
    ("Нам придётся ударить.", "ru", "call"),
    ("Мы должны ударить первыми.", "ru", "call"),
])
def test_own_act_needs_no_target(text, lang, modality):
    assert readings(text, lang) == [("military_attack", modality, True)]


@pytest.mark.parametrize("text, lang", [
    ("The teachers say we must strike.", "en"),  # a strike among workers: its sense
    ("We must strike a balance between the two.", "en"),  # an object no force reaches
    ("I could rap all night.", "en"),  # an act done only to people needs its victim
    ("They must strike.", "en"),  # another side's act still needs its target
    ("Нам угрожают ударом.", "ru"),  # the dative here is the target, not the one obliged
])
def test_unaimed_acts_of_others_and_other_senses(text, lang):
    assert not [r for r in readings(text, lang) if r[1] in ("call", "threat", "proposal")]


@pytest.mark.parametrize("text", [
    "We must protect our towns from any missile attacks.",
    "We should hate all killing.",
])
def test_acts_guarded_against_are_not_urged(text):
    assert not [r for r in readings(text) if r[1] in ("call", "threat", "proposal")]


@pytest.mark.parametrize("text, modality, own", [
    # the only way, option or solution urges the act; one of several only offers it
    ("Force is the only way to disarm and finally destroy the gang.", "call", True),
    ("The sole option left to us is to strike their bases.", "call", True),
    ("One option is to strike their bases.", "proposal", True),
    ("They said the only way was to bomb the bridge.", "call", False),
    ("They found a way to bomb the bridge.", "report", True),  # found: no stance of anyone's
])
def test_the_only_way_urges(text, modality, own):
    (_action, got, mine) = first(text)
    assert (got, mine) == (modality, own)


def _with_country(text: str, country: str | None) -> list[tuple[str, str, bool]]:
    from redline.document import Document
    from redline.engine import analyze_document

    doc = Document(text=text, meta={"country": country} if country else {})
    analysis = analyze_document(doc, lang="en")
    return [(f.action, f.modality, not analysis.reported(f)) for f in analysis.findings]


@pytest.mark.parametrize("country", ["ARG", "Argentina"])
def test_the_speakers_own_state_named_is_the_speakers_side(country):
    """A delegation's speech names its own state in the third person: its act is the speaker's
    threat, as "we will" is; another state's stays a forecast."""
    assert _with_country("Argentina will strike the invaders.", country) == [
        ("military_attack", "threat", True)]
    assert _with_country("Chile will strike the invaders.", country) == [
        ("military_attack", "prediction", True)]


def test_without_a_country_a_named_state_is_forecast():
    assert _with_country("Argentina will strike the invaders.", None) == [
        ("military_attack", "prediction", True)]
    assert _with_country("Argentina will strike the invaders.", "Nowhere-land") == [
        ("military_attack", "prediction", True)]


@pytest.mark.parametrize("text, lang", [
    # "can" denied and denied again: the act is a must
    ("We cannot fail to respond to this aggression.", "en"),
    ("We cannot but respond to this aggression.", "en"),
    ("We can't help but strike their bases.", "en"),
    ("Мы не можем не ответить на эту агрессию.", "ru"),
    ("Мы не можем не нанести удар по их базам.", "ru"),
])
def test_a_denial_denied_urges(text, lang):
    assert readings(text, lang)[0][1:] == ("call", True)


@pytest.mark.parametrize("text, lang", [
    ("We cannot strike their bases.", "en"),
    ("We cannot strike their bases, but we will respond with sanctions.", "en"),
    ("Мы не можем нанести удар по их базам.", "ru"),
])
def test_a_single_denial_still_denies(text, lang):
    assert readings(text, lang)[0][1] == "negated"


def test_help_with_an_object_is_no_second_denial():
    assert not [r for r in readings("We could not help the rebels attack the fort.")
                if r[1] == "call"]


@pytest.mark.parametrize("text, lang", [
    # the speaker's side will answer an act of hostility: a threat (the Russian analytic future
    # is no bare-infinitive command)
    ("We will respond to this aggression.", "en"),
    ("Мы будем реагировать на эту агрессию.", "ru"),
])
def test_an_answer_to_aggression_threatens(text, lang):
    assert readings(text, lang) == [("unspecified_force", "threat", True)]


@pytest.mark.parametrize("text, modality", [
    ("Мы будем наносить удары по их базам.", "threat"),  # an analytic future, no command
    ("Они будут наносить удары по городам.", "prediction"),
    ("Повесить их всех.", "call"),  # a word the parser hung on itself is the root
])
def test_russian_future_infinitives_and_bare_commands(text, modality):
    assert readings(text, "ru")[0][1] == modality


@pytest.mark.parametrize("text, modality", [
    # an act that is the subject of the verb is not what a command asks for ...
    ("Periodic raids on the villages, tolerated by the governors, maintain a climate of fear.",
     "report"),
    # ... unless the command points back to it
    ("Public executions, bring them back!", "call"),
])
def test_an_act_in_the_subject_is_not_commanded(text, modality):
    assert first(text)[1] == modality


@pytest.mark.parametrize("text", [
    "Wages are low in the north, and we need to level this out.",
    "Prices will level off next year.",
])
def test_level_out_is_no_destruction(text):
    assert readings(text) == []


@pytest.mark.parametrize("text, modality", [
    # a denied "fail" denies nothing: the act is done, threatened or urged
    ("We did not fail to strike their bases.", "report"),
    ("We will not fail to strike their bases.", "threat"),
    ("We must not fail to strike their bases.", "call"),
    ("We did strike their bases.", "report"),
])
def test_not_failing_is_doing(text, modality):
    assert first(text)[1] == modality
