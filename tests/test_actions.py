"""Contract 1.1's actions (assault, force posture, unspecified force), CAMEO codes by means,
and the word senses and stances that news sentences coded by event coders exposed (issue 17).

Each general rule has its own sentences here; `tests/data/actions_*.jsonl` measures them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import redline
from redline.detect.core.codebook import load_codebook
from redline.eval.events import load_jsonl, score_events

DATA = Path(__file__).resolve().parent / "data"
NEW_ACTIONS = ("assault", "force_posture", "unspecified_force")


def findings(text: str, lang: str = "en") -> list:
    return redline.analyze(text, lang=lang).findings


def only(text: str, lang: str = "en"):
    found = findings(text, lang)
    assert len(found) == 1, [(f.action, f.modality, f.text) for f in found]
    return found[0]


# --- the labelled sets -------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru"])
def test_each_new_action_has_25_sentences_and_hard_negatives(lang):
    recs = load_jsonl(DATA / f"actions_{lang}.jsonl")
    for action in NEW_ACTIONS:
        positives = [r for r in recs if any(e["action"] == action for e in r["events"])]
        assert len(positives) >= 25, action
    assert sum("hard_negative" in r["tags"] for r in recs) >= 30
    assert all("cameo" in e for r in recs for e in r["events"])


# Measured on 2026-12-07 (benchmarks/RESULTS.md, "Contract 1.1's actions"); before the
# rules of issue 17 the sets gave detection F1 0.333 (en) and 0.291 (ru).
FLOORS = {
    "en": {"precision": 0.92, "recall": 0.64, "action_accuracy": 0.87,
           "cameo_accuracy": 0.92, "cameo_root_accuracy": 0.92},
    "ru": {"precision": 0.87, "recall": 0.49, "action_accuracy": 0.89,
           "cameo_accuracy": 0.84, "cameo_root_accuracy": 0.95},
}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_figures_on_the_new_actions_do_not_fall(lang):
    figures = score_events(load_jsonl(DATA / f"actions_{lang}.jsonl"), lang=lang).as_dict()
    for name, floor in FLOORS[lang].items():
        assert figures[name] >= floor, (name, figures)


# --- the new actions ---------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, action, cameo", [
    ("Police beat protesters in the capital.", "en", "assault", "182"),
    ("Prisoners were tortured in the camp.", "en", "assault", "1822"),
    ("Soldiers used villagers as human shields.", "en", "assault", "184"),
    ("Полиция избила протестующих в столице.", "ru", "assault", "182"),
    ("Заключённых пытали в лагере.", "ru", "assault", "1822"),
    ("Russia announced a partial mobilisation.", "en", "force_posture", "154"),
    ("China massed troops on the border.", "en", "force_posture", "154"),
    ("Россия объявила частичную мобилизацию.", "ru", "force_posture", "154"),
    ("Военные провели масштабные учения у границы.", "ru", "force_posture", "150"),
    ("Мы осуждаем насилие против мирных жителей.", "ru", "unspecified_force", "190"),
])
def test_the_new_actions_are_read(text, lang, action, cameo):
    f = only(text, lang)
    assert (f.action, f.cameo) == (action, cameo)


def test_nuclear_forces_on_readiness_are_a_rung_higher():
    nuclear = only("Strategic nuclear forces are in full readiness for guaranteed use.")
    assert (nuclear.action, nuclear.severity, nuclear.cameo) == ("force_posture", 5, "152")
    ru = only("Стратегические ядерные силы приведены в полную боевую готовность.", "ru")
    assert (ru.action, ru.severity) == ("force_posture", 5)


@pytest.mark.parametrize("text, lang", [
    ("He beat the record by two seconds.", "en"),
    ("The party will mobilise voters ahead of the election.", "en"),
    ("We will deploy the new software next month.", "en"),
    ("We will respond to the letter next week.", "en"),
    ("The government's response to the pandemic was slow.", "en"),
    ("Climate change will have severe consequences for farmers.", "en"),
    ("Fans paid a high price for the tickets to the final in Madrid.", "en"),
    ("The company retaliated against the whistleblower by cutting her bonus.", "en"),
    ("He says his closest allies stabbed him in the back by voting with the opposition.", "en"),
    ("We must respond to the threat of climate change.", "en"),
    ("I will answer your question about the war.", "en"),
    ("The war will have dire consequences for food security.", "en"),
    ("Gender-based violence remains a major concern in the region.", "en"),
    ("We will launch a charm offensive in Africa.", "en"),
    ("Fans clashed with police after the match.", "en"),
    ("Правительство разместит часть средств в государственных банках.", "ru"),
    ("Мы сосредоточим все силы на борьбе с бедностью.", "ru"),
    ("Компания развернула производство на базе старого завода.", "ru"),
    ("Мы должны ответить на угрозу изменения климата.", "ru"),
    ("Последствия войны для мировой экономики будут тяжёлыми.", "ru"),
    ("Домашнее насилие выросло за время пандемии.", "ru"),
    ("Он побил рекорд на две секунды.", "ru"),
    ("Партия мобилизовала избирателей перед выборами.", "ru"),
])
def test_hard_negatives_stay_quiet(text, lang):
    assert findings(text, lang) == []


def test_a_trigger_outside_its_context_is_vetoed_with_a_reason():
    """`context`: "deploy" is a show of force among troops, missiles or forces only;
    [senses]: "strike" among wages stops work."""
    from redline.detect.core.findings import Draft, Reading
    from redline.detect.core.pack import sense_veto

    book = load_codebook("en")
    deploy = next(t for t in book.singles["deploy"] if t.action == "force_posture")

    def draft(trig, *words):
        return Draft(trig=trig, span=(0, 6), reading=Reading(), sentence=(0, 40),
                     lemmas=frozenset({*trig.words, *words}))

    assert "military units" in sense_veto(draft(deploy, "software"), book).reason
    assert sense_veto(draft(deploy, "troop"), book) is None
    strike = book.singles["strike"][0]
    assert "wage" in sense_veto(draft(strike, "wage"), book).reason
    assert sense_veto(draft(strike, "airfield"), book) is None


def test_an_unknown_context_list_is_refused(tmp_path):
    book = tmp_path / "codebook.toml"
    book.write_text('[[trigger]]\naction = "force_posture"\nverbs = ["deploy"]\n'
                    'context = "no_such_list"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no_such_list"):
        load_codebook("xx", str(book))


# --- unspecified force: only where the kind is not said; answers threaten ------------------

def test_unspecified_force_gives_way_to_the_named_kind_in_the_same_stance():
    assert [f.action for f in findings("Police used force to disperse the crowd.")] == [
        "unspecified_force"]
    assert [f.action for f in findings("Russia annexed Crimea by force.")] == ["annex"]


def test_an_answer_forecast_with_no_one_to_give_it_threatens():
    f = only("Should they touch a single one of our ships, retaliation will be immediate.")
    assert (f.action, f.modality) == ("unspecified_force", "threat")
    assert any("veiled threat" in e.why for e in f.evidence)


def test_an_answer_that_belongs_to_another_side_is_forecast_not_threatened():
    f = only("Iran's retaliation will be swift and painful.")
    assert (f.action, f.modality) == ("unspecified_force", "prediction")


def test_all_means_at_our_disposal_is_a_threat():
    f = only("We will use all means at our disposal to defend our land.")
    assert (f.action, f.modality, f.cameo) == ("unspecified_force", "threat", "138")


# --- word senses -------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("Workers stopped work on the first day of an open-ended strike.", "en"),
    ("Dockworkers in Antwerp began a 48-hour strike over pay on Monday.", "en"),
    ("The two sides resumed arms-control talks on reducing nuclear missiles.", "en"),
    ("Стороны возобновили переговоры о сокращении ядерных ракет.", "ru"),
    ("The general takes over as defence minister next week.", "en"),
    ("He took over the ministry of finance in May.", "en"),
    ("The two presidents agreed to cut their deployed strategic warheads by a third.", "en"),
])
def test_senses_other_than_force_stay_quiet(text, lang):
    assert findings(text, lang) == []


def test_a_strike_keeps_its_military_sense_among_its_own_words():
    """The sense words are read beside the trigger, never in it: "nuclear arsenal" is the
    phrase itself, not a word of arms control."""
    f = only("Russia is ready to use its entire nuclear arsenal to defend its territory.")
    assert f.action == "nuclear_attack"


@pytest.mark.parametrize("text, lang", [
    ("Settlers attacked a village in the Israeli-occupied West Bank.", "en"),
    ("Израиль продолжает строительство поселений на оккупированных территориях.", "ru"),
])
def test_a_participle_that_labels_a_place_is_no_invasion(text, lang):
    assert "invade" not in [f.action for f in findings(text, lang)]
    if lang == "en":  # the attack in the same sentence is still read
        assert [f.action for f in findings(text, lang)] == ["military_attack"]


@pytest.mark.parametrize("text, lang, action", [
    ("The Secretary-General condemned the strike on the hospital in Kharkiv.", "en",
     "military_attack"),
    ("General Gerasimov ordered a strike on the airfield.", "en", "military_attack"),
    ("Russian strikes on grain ports are worsening global hunger.", "en", "military_attack"),
    ("The strike on the power plant killed three employees.", "en", "military_attack"),
    ("Russia suspended the New START treaty and threatened to use nuclear weapons against "
     "Ukraine.", "en", "nuclear_attack"),
    ("Россия приостановила участие в договоре СНВ и пригрозила применить ядерное оружие.",
     "ru", "nuclear_attack"),
])
def test_sense_words_count_only_near_the_trigger(text, lang, action):
    """A word of another sense elsewhere in the sentence leaves the act alone: senses are read
    around the trigger in the parse, not in the whole sentence."""
    assert action in [f.action for f in findings(text, lang)]


# --- stance ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, action", [
    ("The resolution aims to impose a naval blockade on the island.", "coerce"),
    ("The army is preparing a major offensive against the rebels.", "military_attack"),
    ("Hitler planned the invasion of Poland.", "invade"),
])
def test_a_plan_or_aim_is_a_proposal_not_a_report(text, action):
    f = only(text)
    assert (f.action, f.modality) == (action, "proposal")


def test_a_measure_lifted_is_no_act_carried_out():
    f = only("The navy lifted a day-old blockade of the port.")
    assert (f.modality, f.cameo) == ("negated", None)


@pytest.mark.parametrize("text, lang", [
    ("An attempt to assassinate the interior minister was thwarted on Tuesday.", "en"),
    ("Покушение на министра удалось предотвратить.", "ru"),
])
def test_a_failed_attempt_on_a_life_is_coded_as_an_attempt(text, lang):
    f = only(text, lang)
    assert (f.action, f.modality, f.cameo) == ("kill", "report", "185")


def test_an_offensive_threatened_with_its_target_unsaid_is_still_a_threat():
    f = only("Iran threatened to launch a new military offensive in its Gulf war with Iraq "
             "unless Baghdad withdrew.")
    assert (f.action, f.modality) == ("military_attack", "threat")


# --- vocabulary and CAMEO by means -------------------------------------------------------

@pytest.mark.parametrize("text, lang, action, cameo", [
    ("A car bombing killed twelve people in Baghdad.", "en", "kill", "1832"),
    ("Artillery shelled the town overnight.", "en", "military_attack", "194"),
    ("Air strikes hit the airport.", "en", "military_attack", "195"),
    ("Gunmen shot dead two policemen.", "en", "kill", "193"),
    ("Troops clashed with rebels near the border.", "en", "military_attack", "190"),
    ("The movement announced an armed struggle against the regime.", "en", "military_attack",
     "190"),
    ("Government forces retook the city of Aleppo.", "en", "seize", "192"),
    ("The president issued an ultimatum to Ecuador to halt attacks.", "en", "coerce", "139"),
    ("Президент предъявил Эквадору ультиматум.", "ru", "coerce", "139"),
    ("Правительственные войска отбили город.", "ru", "seize", "192"),
])
def test_vocabulary_and_codes_by_means(text, lang, action, cameo):
    f = next(f for f in findings(text, lang) if f.action == action)
    assert f.cameo == cameo


def test_devastating_blows_are_a_military_attack_threatened():
    f = only("The rebels vowed to deal devastating blows to the occupiers.")
    assert (f.action, f.modality) == ("military_attack", "threat")


# --- every action is reachable, and shown -------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_action_of_the_vocabulary_has_words_in_both_codebooks(lang):
    from redline.vocabulary import ACTIONS

    book = load_codebook(lang)
    named = {t.action for ts in [*book.singles.values(), *book.phrases.values()] for t in ts}
    assert set(ACTIONS) <= named, set(ACTIONS) - named


def test_the_report_filters_and_names_the_new_actions():
    from redline.report.html import render_html

    page = render_html(redline.analyze("Police beat protesters in the capital. China massed "
                                       "troops on the border.", lang="en"))
    assert 'value="assault"' in page and 'value="force_posture"' in page
    assert "show of force, assault" in page


def test_separate_acts_in_one_sentence_are_both_kept():
    """An action gives way only to another reading of the same act ("beaten to death")."""
    assert {f.action for f in findings("Soldiers tortured prisoners and executed two "
                                       "journalists in the camp.")} == {"assault", "kill"}
    assert [f.action for f in findings("He was beaten to death.")] == ["kill"]


@pytest.mark.parametrize("text, lang", [
    ("We are preparing to strike the enemy's positions.", "en"),
    ("Мы готовимся нанести удар по противнику.", "ru"),
])
def test_a_plan_of_ones_own_threatens(text, lang):
    assert [f.modality for f in findings(text, lang)] == ["threat"]


def test_hyphenated_words_are_read_as_the_tokenizer_splits_them():
    f = only("Satellite images show a military build-up near the border.")
    assert (f.action, f.cameo) == ("force_posture", "154")


@pytest.mark.parametrize("text, lang, cameo", [
    ("A drone struck a military vehicle near Bakhmut.", "en", "195"),
    ("Лидер движения погиб в результате покушения.", "ru", "186"),
])
def test_means_are_read_around_the_trigger(text, lang, cameo):
    assert [f.cameo for f in findings(text, lang)] == [cameo]


# --- who suffers an intransitive end (seen on the seed interview) -------------------------

@pytest.mark.parametrize("text, target", [
    ("In principle, the city of Kiev must cease to exist.", "the city of Kiev"),
    ("Traitors must die in prison.", "Traitors"),
    ("Trump must die.", "Trump"),
])
def test_the_subject_of_an_end_is_its_target_not_its_actor(text, target):
    f = only(text)
    assert [t.text for t in f.targets] == [target]
    assert f.actor is None


@pytest.mark.parametrize("text", [
    "In principle, the city of Kiev should long ago have ceased to exist if we acted by the "
    "methods of our opponents.",
    "Millions would have been killed without the treaty.",
])
def test_a_counterfactual_past_is_no_finding(text):
    """docs/annotation.md: what would have happened did not happen."""
    assert findings(text) == []


def test_a_wish_about_the_past_is_still_a_call():
    f = only("He should have been hanged for treason.")
    assert (f.action, f.modality) == ("kill", "call")


def test_a_counterfactual_keeps_the_real_act_it_presupposes():
    f = only("We could have stopped these hostilities.")
    assert (f.action, f.modality) == ("military_attack", "report")  # real, and under way: reported
