"""Russian escalation events over natasha's parse: inflection, modality cues, idioms."""

from __future__ import annotations

import pytest

import redline


@pytest.mark.parametrize(("text", "action", "modality", "conditional", "target"), [
    ("Мы должны стереть Киев с лица земли.", "destroy", "call", False, "Киев"),
    ("Если НАТО введёт войска, мы нанесём удар по Варшаве.", "military_attack", "threat", True,
     "Варшаве"),
    ("Харьков был обстрелян ночью.", "military_attack", "report", False, "Харьков"),
    ("Мы не собираемся нападать на Латвию.", "military_attack", "negated", False, "Латвию"),
    ("Зеленского надо повесить.", "kill", "call", False, "Зеленского"),
    ("Мы применим ядерное оружие против Лондона.", "nuclear_attack", "threat", False, "Лондона"),
    ("Почему бы не ударить по Берлину?", "military_attack", "proposal", False, "Берлину"),
    ("Будут ли они бомбить мост?", "military_attack", "question", False, "мост"),
    ("Россия аннексировала Крым в 2014 году.", "annex", "report", False, "Крым"),
    ("Они неизбежно нападут на Прибалтику.", "military_attack", "prediction", False,
     "Прибалтику"),
    ("Мы готовы воевать с Польшей.", "invade", "threat", False, "Польшей"),
    ("Это люди, которые уничтожали поляков.", "mass_violence", "report", False, "поляков"),
    ("Ведь дело не только в «Северном потоке – 1», который взорвали.", "destroy", "report",
     False, "Северном потоке – 1"),
    ("Всё можно было решить без военных действий.", "military_attack", "negated", False, None),
    ("Мы ни на кого не нападаем.", "military_attack", "negated", False, "кого"),
])
def test_reads_russian_sentences(text, action, modality, conditional, target):
    (f,) = redline.analyze(text, lang="ru").findings
    assert (f.action, f.modality, f.conditional) == (action, modality, conditional)
    assert [t.text for t in f.targets] == ([target] if target else [])
    assert all(text[e.start:e.end] == e.text and e.why for e in f.evidence)


@pytest.mark.parametrize("text", [
    "Они ударили по рукам и подписали договор.",
    "Мы просто убили время в аэропорту.",
    "Этот клип взорвал интернет.",
    "Давайте атакуем эту проблему вместе.",
    "Отец воевал с фашистами.",
    "Эта часть земель вошла в состав Московского царства.",
    "Они начали обращаться в Москву, чтобы Москва их забрала к себе.",
    "Деньги выбивают на украинском театре военных действий.",
    "Ядерное оружие есть у девяти стран.",
    "Что такое доллар для США? Сами его убиваете.",
])
def test_russian_idioms_stay_quiet(text):
    assert redline.analyze(text, lang="ru").findings == []


def test_the_condition_is_not_the_act_whatever_the_parse():
    (f,) = redline.analyze("Только в одном случае: если со стороны Польши будет нападение на "
                           "Россию, мы ответим ударом по Варшаве.", lang="ru").findings
    assert f.targets[0].text.startswith("Варшав") and f.conditional


def test_a_series_of_objects_hung_as_conjuncts_are_targets():
    text = "Этот человек служил в войсках СС, он лично убивал и русских, и поляков, и евреев."
    (f,) = redline.analyze(text, lang="ru").findings
    assert f.action == "kill" and f.targets
    assert {t.text for t in f.targets} <= {"русских", "поляков", "евреев"}


@pytest.mark.parametrize("text", ["Где Зеленский? Мы его убьём.",
                                  "Предатель сдал город врагу. Его надо расстрелять."])
def test_a_pronoun_that_may_mean_a_person_is_still_a_target(text):
    (f,) = redline.analyze(text, lang="ru").findings
    assert f.action == "kill"


def test_a_companion_is_not_a_target():
    (f,) = redline.analyze("Вместе с Беларусью мы нанесём удар по Варшаве.", lang="ru").findings
    assert [t.text for t in f.targets] == ["Варшаве"]


def test_negation_stays_in_its_clause():
    a = redline.analyze("Варшава им ничего не ответила, и они обратились в Москву, чтобы "
                        "Москва захватила их земли.", lang="ru")
    (f,) = a.findings
    assert f.action == "seize" and f.modality != "negated"


def test_russian_targets_link_to_canonical_entities_in_any_case():
    a = redline.analyze("Мы нанесём удар по Киеву, а потом по Вашингтону.", lang="ru")
    names = {e.id: e.name for e in a.entities}
    linked = [names.get(t.entity) for f in a.findings for t in f.targets]
    assert "Kyiv" in linked


def test_compare_aligns_a_speech_and_its_translation():
    from redline.eval.compare import align

    ru = redline.analyze("Иван Петров: Мы должны стереть Киев с лица земли. "
                         "Харьков был обстрелян ночью.", lang="ru")
    en = redline.analyze("Ivan Petrov: We must wipe Kyiv off the map. "
                         "Kharkiv was shelled overnight.", lang="en")
    result = align(ru.findings, en.findings)
    assert result.agreement == 1.0 and result.agreeing == 2
    assert align(ru.findings, en.findings[:1]).agreement == 0.5


# Measured on 2026-11-27 (benchmarks/RESULTS.md); the suite fails if a change lowers them.
RU_FLOORS = {"precision": 0.95, "recall": 0.71, "action_accuracy": 0.88,
             "modality_accuracy": 0.83, "severity_accuracy": 0.87, "target_accuracy": 0.83,
             "conditional_accuracy": 0.95}


def test_russian_labelled_set_figures_do_not_fall():
    from pathlib import Path

    from redline.eval.events import load_jsonl, pair_agreement, score_events

    data = Path(__file__).resolve().parent / "data"
    recs = load_jsonl(data / "events_ru.jsonl")
    assert len(recs) >= 150 and sum(1 for r in recs if r.get("pair")) >= 100
    figures = score_events(recs, lang="ru").as_dict()
    for name, floor in RU_FLOORS.items():
        assert figures[name] >= floor, (name, figures)
    pairs = pair_agreement(recs, load_jsonl(data / "events_en.jsonl"), "ru", "en")
    assert pairs["pairs"] >= 100 and pairs["agreement"] >= 0.68, pairs["agreement"]


@pytest.mark.parametrize("text, modality", [
    ("Надо депортировать всех чеченцев.", "call"),
    ("Нужна массовая депортация.", "call"),
    ("В 1944 году чеченцы были поголовно депортированы.", "report"),
])
def test_deporting_a_people_is_mass_expulsion(text, modality):
    (f,) = redline.analyze(text, lang="ru").findings
    assert (f.action, f.modality, f.severity) == ("mass_violence", modality, 9)


def test_deporting_a_person_is_a_legal_act():
    (f,) = redline.analyze("Его депортировали в Таджикистан.", lang="ru").findings
    assert (f.action, f.modality, f.cameo) == ("abduct", "report", "174")


@pytest.mark.parametrize("text", [
    "Один из вариантов — ударить по крымским аэродромам до следующего наступления.",
    "В Думе озвучили идею просто поглотить Абхазию и Южную Осетию.",
])
def test_an_infinitive_after_a_noun_of_option_is_proposed(text):
    (f,) = redline.analyze(text, lang="ru").findings
    assert f.modality == "proposal"


@pytest.mark.parametrize("text", [
    "Суд постановил выселить жителей аварийного дома.",  # eviction, not deportation
    "Россия выслала всех британских дипломатов.",
    "Для депортации мигрантов нужны документы.",  # the need is for documents
])
def test_evictions_and_paperwork_are_not_mass_expulsion(text):
    assert all(f.action != "mass_violence" and f.modality != "call"
               for f in redline.analyze(text, lang="ru").findings)


def test_no_plan_is_not_an_option():
    text = "Путин сказал, что у России нет планов воевать с прибалтийскими государствами."
    assert all(f.modality != "proposal" for f in redline.analyze(text, lang="ru").findings)


@pytest.mark.parametrize("text, speaker, modality", [
    ("Шейх призывает к геноциду евреев.", "Шейх", "call"),
    ("Медведев призвал уничтожить Киев.", "Dmitry Medvedev", "call"),
    ("Мужчина угрожал убить соседа.", "Мужчина", "threat"),  # his threat, not a past intent
    ("Медведев заявил, что Россия нанесёт удар по Киеву.", "Dmitry Medvedev", "threat"),
    ("«Мы ударим по Киеву», — заявил Медведев.", "Dmitry Medvedev", "threat"),  # a quote
])
def test_someone_elses_call_or_threat_is_theirs_in_russian(text, speaker, modality):
    (f,) = redline.analyze(text, lang="ru").findings
    assert (f.modality, f.speaker) == (modality, speaker)
    assert any(e.why.startswith("whose stance it is") for e in f.evidence)


@pytest.mark.parametrize("text", ["Мы призываем уничтожить террористов.",
                                  "Я требую расстрелять предателей."])
def test_the_speakers_own_demand_is_a_call_in_russian(text):
    (f,) = redline.analyze(text, lang="ru").findings
    assert (f.modality, f.speaker) == ("call", None)
