"""Entities: gazetteer aliases across spellings, languages and cases; NER; merging."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest

import redline
from redline.entities import NerSpan, index_entities, link_entities
from redline.gazetteer import load_gazetteer


def by_name(text: str, **kw) -> dict[str, list[str]]:
    ents = link_entities(text, **kw)
    return {e.name: [text[s:e2] for s, e2 in e.mentions] for e in ents}


def test_gazetteer_is_broad_and_consistent():
    gaz = load_gazetteer()
    types = Counter(e.type for e in gaz.entries.values())
    assert len(gaz.entries) >= 800
    assert types["PERSON"] >= 150 and types["PLACE"] >= 400 and types["WEAPON"] >= 30
    folder = resources.files("redline").joinpath("data/gazetteer")
    seen: dict[str, str] = {}
    for item in folder.iterdir():
        if item.name.endswith(".jsonl"):
            for line in item.read_text("utf-8").splitlines():
                raw = json.loads(line)
                assert raw["type"] in {"PERSON", "PLACE", "ORG", "GROUP", "WEAPON", "EVENT"}
                assert raw["country"] is None or len(raw["country"]) == 3
                for alias in (raw["name"], *raw["aliases"]):
                    assert seen.setdefault(alias, raw["id"]) == raw["id"], alias


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("They want to take Kiev.", "Kyiv"),
        ("They want to take Kyiv.", "Kyiv"),
        ("Они хотят взять Киев.", "Kyiv"),
        ("Удар по Киеву был нанесён ночью.", "Kyiv"),
        ("President Zelensky spoke.", "Volodymyr Zelenskyy"),
        ("President Zelenskyy spoke.", "Volodymyr Zelenskyy"),
        ("Зеленский выступил.", "Volodymyr Zelenskyy"),
        ("Мы говорили с Зеленским.", "Volodymyr Zelenskyy"),
        ("Письмо Зеленскому отправлено.", "Volodymyr Zelenskyy"),
        ("Владимир Владимирович ответил.", "Vladimir Putin"),
        ("Путин ответил.", "Vladimir Putin"),
        ("Officials in Washington, D.C. declined to comment.", "Washington D.C."),
        ("Они договорились с Вашингтоном.", "Washington D.C."),
        ("The Oreshnik missile was launched.", "Oreshnik"),
        ("Испытание «Орешника» прошло успешно.", "Oreshnik"),
        ("Kaja Kallas answered.", "Kaja Kallas"),
        ("NATO met in Brussels.", "NATO"),
        ("Совещание НАТО прошло в Брюсселе.", "NATO"),
    ],
)
def test_aliases_reach_the_canonical_name(text, name):
    assert name in by_name(text)


def test_case_sensitive_aliases_do_not_fire_on_common_words():
    names = by_name("Tell us what you think; it is a turkey of an idea and we can chad it.")
    assert names == {}


def test_lowercase_russian_word_is_not_a_name():
    # "путина" (lower case) is a fishing season, not Putin
    assert "Vladimir Putin" not in by_name("Началась путина на Волге.")


def test_all_mentions_merge_into_one_entity_with_offsets():
    text = "Kyiv and Kiev and Киев are one city; Zelensky met Zelenskyy's aides."
    ents = {e.name: e for e in link_entities(text)}
    kyiv = ents["Kyiv"]
    assert [text[s:e] for s, e in kyiv.mentions] == ["Kyiv", "Kiev", "Киев"]
    assert kyiv.aliases == ["Kiev", "Киев"]
    assert kyiv.type == "PLACE" and kyiv.country == "UKR"
    assert len(ents["Volodymyr Zelenskyy"].mentions) == 2


def test_ner_spans_join_and_surnames_merge():
    text = "Ivan Kowalczyk spoke first. Later Kowalczyk left. The Acme Group agreed."
    ner = [NerSpan(0, 14, "PERSON"), NerSpan(34, 43, "ORG"), NerSpan(50, 64, "ORG")]
    ents = by_name(text, ner=ner)
    assert ents["Ivan Kowalczyk"] == ["Ivan Kowalczyk", "Kowalczyk"]
    assert ents["Acme Group"] == ["Acme Group"]  # leading "The" trimmed


def test_speaker_labels_are_person_mentions():
    text = "Host: Hello.\nIvan Kowalczyk: Thanks.\nHost: And?\nKowalczyk: Yes, Kowalczyk agrees.\n"
    a = redline.analyze(text, lang="en")
    person = next(e for e in a.entities if e.name == "Ivan Kowalczyk")
    assert person.type == "PERSON"
    assert len(person.mentions) >= 3


def test_entities_in_an_analysis_are_ordered_and_numbered():
    a = redline.analyze("Vladimir Putin met Xi Jinping in Moscow. Putin said little.", lang="en")
    assert [e.id for e in a.entities] == [f"e{i}" for i in range(1, len(a.entities) + 1)]
    firsts = [e.mentions[0][0] for e in a.entities]
    assert firsts == sorted(firsts)
    putin = next(e for e in a.entities if e.name == "Vladimir Putin")
    assert len(putin.mentions) == 2 and putin.country == "RUS"


def test_a_person_span_wins_over_a_place_inside_it():
    text = "George Washington crossed the river. Washington responded."
    ents = by_name(text, ner=[NerSpan(0, 17, "PERSON")])
    assert ents["George Washington"] == ["George Washington"]
    assert ents["Washington D.C."] == ["Washington"]


# --- name-and-patronymic address forms (issue 18) -------------------------------------------


@pytest.mark.parametrize(
    ("text", "form", "name"),
    [
        ("Vladimir Vladimirovich [Putin] understands it.", "Vladimir Vladimirovich",
         "Vladimir Putin"),
        ("Sergei Viktorovich, thank you.", "Sergei Viktorovich", "Sergei Lavrov"),
        ("Sergey Viktorovich, thank you.", "Sergey Viktorovich", "Sergei Lavrov"),
        ("Dmitry Sergeyevich said so.", "Dmitry Sergeyevich", "Dmitry Peskov"),
        ("Владимир Владимирович сказал.", "Владимир Владимирович", "Vladimir Putin"),
        ("Спросите Владимира Владимировича.", "Владимира Владимировича", "Vladimir Putin"),
        ("Слово Владимиру Владимировичу.", "Владимиру Владимировичу", "Vladimir Putin"),
        ("Я говорил с Владимиром Владимировичем.", "Владимиром Владимировичем",
         "Vladimir Putin"),
        ("Мы думаем о Владимире Владимировиче.", "Владимире Владимировиче", "Vladimir Putin"),
        ("Я видел Сергея Викторовича.", "Сергея Викторовича", "Sergei Lavrov"),
        ("Спасибо, Сергей Викторович.", "Сергей Викторович", "Sergei Lavrov"),
        ("Мы встретились с Марией Владимировной.", "Марией Владимировной", "Maria Zakharova"),
    ],
)
def test_address_forms_link_to_their_person(text, form, name):
    assert form in by_name(text).get(name, [])


def test_shared_address_forms_link_to_nobody():
    """Two people with one first name and patronymic: the form names neither."""
    from redline.gazetteer import Gazetteer, GazetteerEntry

    a = GazetteerEntry("a", "Ivan Petrov", "PERSON", None, None, (), ("Sergeyevich",))
    b = GazetteerEntry("b", "Ivan Sidorov", "PERSON", None, None, (), ("Sergeyevich",))
    c = GazetteerEntry("c", "Oleg Sidorov", "PERSON", None, None, (), ("Sergeyevich",))
    found = Gazetteer([a, b, c]).find("Ivan Sergeyevich met Oleg Sergeyevich.")
    assert [(m.entry.id, m.start) for m in found] == [("c", 21)]


def test_seed_vladimir_vladimirovich_is_putin(seed_interview):
    ents = link_entities(seed_interview)
    putin = next(e for e in ents if e.name == "Vladimir Putin")
    forms = {seed_interview[s:e] for s, e in putin.mentions}
    assert "Vladimir Vladimirovich" in forms
    assert not any(e.name == "Vladimir Vladimirovich" for e in ents)


# --- what reaches the index from NER alone (issue 18) --------------------------------------


def _indexed(text: str, spans: list[tuple[str, str]]) -> dict[str, str]:
    ner = []
    for surface, label in spans:
        start = 0
        while (at := text.find(surface, start)) >= 0:
            ner.append(NerSpan(at, at + len(surface), label))
            start = at + len(surface)
    indexed, _ = index_entities(text, link_entities(text, ner))
    return {e.name: e.type for e in indexed}


def test_ner_adjectives_and_lone_words_do_not_reach_the_index():
    text = ("The Russophobic press wrote about Cheburashka. American voters are tired. "
            "Sir Humphrey Appleby smiled. Appleby Quarry stood empty.")
    got = _indexed(text, [("Russophobic", "ORG"), ("Cheburashka", "GPE"),
                          ("American", "NORP"), ("Humphrey Appleby", "PERSON")])
    assert "Russophobic" not in got and "Cheburashka" not in got and "American" not in got
    assert got.get("Humphrey Appleby") == "PERSON"  # a full personal name


def test_ner_names_pass_on_a_head_word_a_title_or_a_second_mention():
    text = ("The Varnic Delta Council met. Minister Varga spoke. Then Orsova talks began; "
            "Orsova hosted them. The Limpid Operation ended. The state is strong; the State "
            "is strong.")
    got = _indexed(text, [("Varnic Delta Council", "GPE"), ("Varga", "PERSON"),
                          ("Orsova", "GPE"), ("Limpid Operation", "ORG"), ("State", "ORG")])
    assert got["Varnic Delta Council"] == "ORG"  # the head word fixes the type
    assert got["Varga"] == "PERSON"  # a title before it
    assert got["Orsova"] == "PLACE"  # two mentions
    assert got["Limpid Operation"] == "EVENT"
    assert "State" not in got  # the text writes it in lower case too


def test_a_lone_first_name_joins_the_one_person_it_opens():
    text = "Donald Trump called. He calls me Vladimir, I call him Donald."
    got = link_entities(text, [NerSpan(text.index("Donald."), text.index("Donald.") + 6,
                                       "PERSON")])
    trump = next(e for e in got if e.name == "Donald Trump")
    assert len(trump.mentions) == 2 and not any(e.name == "Donald" for e in got)


def test_curly_apostrophes_match_gazetteer_aliases():
    assert "Donetsk People’s Republic" in by_name("the Donetsk People’s Republic")[
        "Donetsk Oblast"]
