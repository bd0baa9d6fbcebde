"""English escalation events: the labelled set's figures, idioms that must stay quiet, spans."""

from __future__ import annotations

from pathlib import Path

import pytest

import redline
from redline.eval.events import load_jsonl, score_events

DATA = Path(__file__).resolve().parent / "data" / "events_en.jsonl"

# Measured on 2026-11-27 (see benchmarks/RESULTS.md); the suite fails if a change lowers them.
FLOORS = {"precision": 0.90, "recall": 0.71, "action_accuracy": 0.92,
          "modality_accuracy": 0.88, "severity_accuracy": 0.91, "target_accuracy": 0.89,
          "conditional_accuracy": 0.95}


@pytest.fixture(scope="module")
def scores():
    return score_events(load_jsonl(DATA))


def test_labelled_set_is_big_and_varied():
    recs = load_jsonl(DATA)
    assert len(recs) >= 200
    assert sum(not r["events"] for r in recs) >= 60
    actions = {e["action"] for r in recs for e in r["events"]}
    assert len(actions) >= 10  # the ten of contract 1.0, and some of 1.1


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figures_do_not_fall(scores, name):
    assert scores.as_dict()[name] >= FLOORS[name], scores.as_dict()


IDIOMS = [
    "They struck a deal in Geneva.", "We will attack the problem head-on.",
    "That was a killer argument.", "The nuclear family is changing.",
    "A bombshell report came out today.", "Exports saw explosive growth.",
    "The senator will take the floor next.", "We must seize the opportunity.",
    "Both parties fight for votes.", "She destroyed his argument in the debate.",
    "They want to kill the bill.", "We will execute the plan.", "He hung up the phone.",
    "The film bombed at the box office.", "Let's crush the competition this quarter.",
    "Fire them all for not doing their job.", "She should be fired for this.",
    "Russia took over the presidency of BRICS this year.", "You are cutting yourself off.",
    "We are all hanging by a thread.", "You want to eliminate that culture?",
    "The Soviet Union had ceased to exist.", "His grandfather died in 1990.",
    "The empire absorbed other nations who profess Islam.",
    "We will fight China on trade.", "Death of a Salesman", "The jury is likely to be hung.",
    "We will investigate the killings.", "We will crush the Democrats in November.",
    "I'd hang some posters on my walls.", "Let's defend to the death their right to say it!",
    "He let the law die in the Senate.", "The power division marches on!",
    "We will fight to the death.",
]


@pytest.mark.parametrize("text", IDIOMS)
def test_idioms_do_not_fire(text):
    assert redline.analyze(text, lang="en").findings == []


@pytest.mark.parametrize(("text", "action", "modality", "conditional"), [
    ("We must wipe Kyiv off the map.", "destroy", "call", False),
    ("If NATO sends troops, we will strike Warsaw.", "military_attack", "threat", True),
    ("Kharkiv was shelled overnight.", "military_attack", "report", False),
    ("We do not intend to invade anyone.", "invade", "negated", False),
    ("Russia has no plans to attack NATO.", "military_attack", "negated", False),
    ("Will they bomb the bridge?", "military_attack", "question", False),
    ("We will use nuclear weapons against London.", "nuclear_attack", "threat", False),
    ("I do not see how a nuclear conflict can be avoided.", "nuclear_attack", "prediction", False),
    # wishes of the speaker urge the act; someone else's wants report an intent
    ("I hope they hang her publicly!", "kill", "call", False),
    ("Can't wait to see them all executed.", "kill", "call", False),
    ("Hopefully he gets the noose.", "kill", "call", False),
    ("The traitor deserves the gallows.", "kill", "call", False),
    ("It is time to hang them all.", "kill", "call", False),
    ("They want to kill us all.", "kill", "report", False),
    # a capitalised imperative is a verb, not the first word of a name
    ("Hang Joe Biden for treason.", "kill", "call", False),
    ("Publicly Execute These Traitors Now", "kill", "call", False),
    # a passive conjunct shares its subject: the target
    ("Pence is a traitor and should be shot.", "kill", "call", False),
    # verbless: a demand when aimed or exclaimed
    ("Death to the traitors.", "kill", "call", False),
    ("Off with their heads!", "kill", "call", False),
    # possibility weighed under a verb of belief, denial by 'without'
    ("You believe the United States might strike Russia.", "military_attack", "prediction",
     False),
    ("All this could have been done without military action.", "military_attack", "negated",
     False),
    ("They want to fight Russia to the bitter end.", "invade", "report", False),
])
def test_reads_modality_from_the_sentence(text, action, modality, conditional):
    (f,) = redline.analyze(text, lang="en").findings
    assert (f.action, f.modality, f.conditional) == (action, modality, conditional)
    assert f.evidence and all(e.why for e in f.evidence)
    for e in f.evidence:
        assert text[e.start:e.end] == e.text


@pytest.mark.parametrize("text", [
    "The evolution of white genocide", "Capital punishment in America",
    "Russian strikes on Kyiv that killed five civilians", "Every time they attack us, we respond.",
])
def test_titles_and_clauses_of_violence_are_not_demands(text):
    assert all(f.modality not in ("call", "proposal")
               for f in redline.analyze(text, lang="en").findings)


def test_force_aimed_at_people_is_not_taken_for_dismissal_or_an_idiom():
    (fire,) = redline.analyze("Soldiers will fire on them.", lang="en").findings
    (strike,) = redline.analyze("Iran will strike American interests in the region.",
                                lang="en").findings
    assert fire.action == strike.action == "military_attack"


def test_a_passive_conjunct_has_no_actor_of_its_own():
    (f,) = redline.analyze("Pence is a traitor and should be shot.", lang="en").findings
    assert f.actor is None and [t.text for t in f.targets] == ["Pence"]


def test_destroying_a_people_is_mass_violence():
    text = "These were the people who destroyed Poles and Jews."
    (f,) = redline.analyze(text, lang="en").findings
    assert (f.action, f.severity) == ("mass_violence", 9)


def test_fighting_is_war_only_against_a_state():
    assert redline.analyze("My father fought the Nazis.", lang="en").findings == []


def test_findings_carry_speaker_segment_and_linked_target():
    text = "Host: What now?\nIvan Petrov: We must wipe Kyiv off the map.\n"
    a = redline.analyze(text, lang="en")
    (f,) = a.findings
    assert f.speaker == "Ivan Petrov" and f.segment == "s2"
    kyiv = next(e for e in a.entities if e.name == "Kyiv")
    assert f.targets[0].entity == kyiv.id and f.severity == 8 and f.cameo == "1384"
    assert a.to_dict()["summary"]["max_severity"] == 8


def test_reported_speech_is_the_quoted_sides_threat():
    (f,) = redline.analyze("Medvedev said Russia would use nuclear weapons against Kyiv.",
                           lang="en").findings
    assert (f.action, f.modality) == ("nuclear_attack", "threat")
    assert any("reported speech" in e.why for e in f.evidence)


def test_denial_and_rejection_negate():
    for text in ("Beijing denies that it detained the two Canadians.",
                 "Parliament voted to abolish the death penalty."):
        assert all(f.modality == "negated" for f in redline.analyze(text, lang="en").findings)


def test_anaphora_resolves_to_the_nearest_fitting_entity():
    text = "Ivan Petrov: Kyiv is lost. We must destroy this regime. Zelensky? We will hang him."
    a = redline.analyze(text, lang="en")
    names = {e.id: e.name for e in a.entities}
    got = [(f.action, names.get(f.targets[0].entity)) for f in a.findings]
    assert got == [("destroy", "Kyiv"), ("kill", "Volodymyr Zelenskyy")]


def test_shouted_comments_are_read():
    (f,) = redline.analyze("HANG ALL THE TRAITORS NOW", lang="en").findings
    assert (f.action, f.modality) == ("kill", "call")


def test_weather_is_not_an_agent_of_force():
    assert redline.analyze("The storm hit the coast of Brittany.", lang="en").findings == []


def test_legal_arrest_is_detention_but_not_force():
    from redline.eval.threat import is_threat_of_force

    (arrest,) = redline.analyze("Lock her up!", lang="en").findings
    (hang,) = redline.analyze("Hang her!", lang="en").findings
    assert arrest.action == "abduct" and arrest.cameo == "132"
    assert not is_threat_of_force(arrest) and is_threat_of_force(hang)


def test_document_level_threat_reads_stance_not_words():
    from redline.eval.threat import is_threat_of_force

    def says_yes(text: str) -> bool:
        return any(is_threat_of_force(f) for f in redline.analyze(text, lang="en").findings)

    assert says_yes("The traitor will hang for this.")  # a forecast killing is a veiled threat
    assert not says_yes("We must take our country back.")  # seizure is not violence
    assert not says_yes("Kharkiv was shelled overnight.")  # a report is not a call
    assert not says_yes("We have no plans to attack anyone.")  # a denial is not a threat


@pytest.mark.parametrize("text, speaker, modality", [
    ("The sheikh calls for the genocide of a people.", "The sheikh", "call"),
    ("A man was arrested for threatening to shoot his boss.", "A man", "threat"),
    ("Medvedev said Russia must strike Kyiv.", "Dmitry Medvedev", "call"),
    ("Hitler's plan to kill Roosevelt failed.", "Adolf Hitler", "proposal"),  # gazetteer name
    ("They hate us and want to destroy America.", "They", "report"),  # an intent reported
    ("A doctrine calling for death to apostates.", "A doctrine", "call"),
])
def test_someone_elses_call_or_threat_is_theirs(text, speaker, modality):
    from redline.eval.threat import redline_decide

    found = [f for f in redline.analyze(text, lang="en").findings if f.modality == modality]
    assert found and found[0].speaker == speaker
    assert any(e.why.startswith("whose stance it is") for e in found[0].evidence)
    assert redline_decide(text)[0] is False  # the author has not made it


@pytest.mark.parametrize("text", [
    "We call for the destruction of Hamas.", "I hope they hang her.",
    "Everyone would love to see him hang.",  # the speaker is one of everyone
    "Fake clown... hope we hang you soon... Guilty!!!",  # a vocative, not a wisher
    "He says he is not leaving...... take him out!!!!!",  # the command is not his
])
def test_the_speakers_own_call_stays_the_speakers(text):
    from redline.eval.threat import redline_decide

    assert all(f.speaker is None for f in redline.analyze(text, lang="en").findings)
    assert redline_decide(text)[0] is True


def test_a_reported_wish_keeps_the_threatened_code():
    (f,) = redline.analyze("They want to kill us.", lang="en").findings
    assert (f.modality, f.cameo, f.speaker) == ("report", "1383", "They")


def test_latent_hatred_posts_without_a_stage_two_label_are_unknown():
    from redline.eval.threat import GOLD_RULES

    rule = GOLD_RULES["latent_hatred"][0]
    assert rule({"threatening": True, "hate_class": "implicit_hate"}) is True
    assert rule({"threatening": False, "hate_class": "implicit_hate"}) is False
    assert rule({"threatening": None, "hate_class": "not_hate"}) is False
    assert rule({"threatening": None, "hate_class": "explicit_hate"}) is None


@pytest.mark.parametrize("text", [
    "Deport all illegals now.", "We need mass deportations.", "Send them all back to Mexico!",
    "They should deport every last illegal alien.", "deport all muslims", "Deport the Muslims.",
])
def test_deporting_a_people_or_everyone_of_a_kind_is_mass_expulsion(text):
    (f,) = redline.analyze(text, lang="en").findings
    assert (f.action, f.modality, f.severity) == ("mass_violence", "call", 9)
    assert f.cameo == "1383" and "mass expulsion" in f.evidence[0].why


def test_deporting_a_person_is_a_legal_act_not_force():
    from redline.eval.threat import is_threat_of_force

    (f,) = redline.analyze("Send him back to Kenya.", lang="en").findings
    assert (f.action, f.cameo) == ("abduct", "132") and not is_threat_of_force(f)
    assert redline.analyze("Send back the bill.", lang="en").findings == []
    (done,) = redline.analyze("Obama deported millions of immigrants.", lang="en").findings
    assert (done.modality, done.cameo) == ("report", "201")


@pytest.mark.parametrize("text, modality", [
    ("The cleanest option is to deport the whole population.", "proposal"),
    ("The time has come to strike Kyiv.", "call"),
    ("The time has come when they attacked Kyiv.", "report"),
])
def test_a_governing_noun_governs_through_the_copula(text, modality):
    (f,) = redline.analyze(text, lang="en").findings
    assert f.modality == modality


@pytest.mark.parametrize("text, action, modality", [
    ("She needs to be HUNG", "kill", "call"),  # a shouted word in mixed case is lowered
    ("Can we please get to the EXECUTIONS ALREADY", "kill", "call"),
    ("The court is corrupt (hang those traitors)", "kill", "call"),  # run-on imperatives
    ("Psychopaths can not co-exist with believers, kill them!", "kill", "call"),
    ("They're going to kill him", "kill", "prediction"),  # 'be going to' is future
    ("We can wipe them out in a day.", "mass_violence", "threat"),  # first-person 'can'
    ("Nobody is going to bomb Taipei.", "military_attack", "negated"),
    ("Gas the Jews.", "kill", "call"),  # a misread noun root with an object
    ("The ayatollah must be eliminated.", "kill", "call"),
])
def test_reads_comment_thread_syntax(text, action, modality):
    (f,) = redline.analyze(text, lang="en").findings
    assert (f.action, f.modality) == (action, modality)


@pytest.mark.parametrize("text", [
    "We must eliminate disease and hunger.", "Peace is possible only when foreign bases are "
    "eliminated.", "Russia can strike London.", "NATO will defend the US.", "Gas up the car.",
    "We will not rest until the economy recovers.",
])
def test_no_force_in_ordinary_prose(text):
    assert all(f.modality not in ("call", "threat")
               for f in redline.analyze(text, lang="en").findings)


def test_shouted_acronyms_stay_names():
    from redline.lang.english import _readable_case

    assert _readable_case("NATO and the US must HANG them") == "NATO and the US must hang them"


def test_a_hard_wrapped_sentence_is_parsed_whole():
    from redline.lang.english import chunk_spans

    text = ("Both claim that two Libyans placed a time\nbomb in a bag on board a flight that "
            "took\noff from Malta.\nNext paragraph.\n\nHang them\nShoot them\n")
    pieces = [text[s:e] for s, e in chunk_spans(text, 0, len(text))]
    assert pieces[0].endswith("off from Malta.") and pieces[1:] == [
        "Next paragraph.", "Hang them", "Shoot them"]
    assert all(f.modality == "report" for f in redline.analyze(text, lang="en").findings
               if f.action == "military_attack")


@pytest.mark.parametrize("text, action, modality", [
    ("She needs to be removed and sent to gitmo!", "abduct", "call"),  # a bare conjunct
    ("Republicans will see you hang.", "kill", "prediction"),  # what is watched for
    ("I would rather see her hanging", "kill", "call"),
    ("Whoever she is. She should be dead", "kill", "call"),
    ("Find those traitors and eliminate them!!", "kill", "call"),  # people-only verbs
    ("Take her to the beach and feed her to the sharks.", "kill", "call"),
    ("Assassinate him, just end this nonsense", "kill", "call"),  # 'end' rules its own clause
    ("I would rather negotiate than strike Iran.", "military_attack", "negated"),
])
def test_reads_wishes_fates_and_alternatives(text, action, modality):
    (f,) = redline.analyze(text, lang="en").findings
    assert (f.action, f.modality) == (action, modality)


@pytest.mark.parametrize("text", ["He is dead.", "Shoot!", "They all need to be fired !!!",
                                  "We will end the war.", "We need to execute better."])
def test_outcomes_exclamations_and_dismissals_are_not_calls(text):
    assert all(f.modality != "call" for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text", [
    "Should be executed for treason.", "Should face firing squad", "FIRING SQUAD 👍🏻",
    "Traitorous... deserves execution for pandering", "Time to kill these freaking liars!!!",
    "Someone hang him by his ankles", "Soros deserves a bullet to his head!",
    "Time for civil war", "Public hanging needs to come back",
])
def test_calls_for_killing_whose_victim_is_implied(text):
    assert any(f.modality == "call" for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text", [
    "Lemon should be fired!", "He should be taken out completely from the show.",
    "Die in hell you POS", "We have to bite the bullet.", "There is no silver bullet.",
    "I'll be dead pretty quickly after they start going door to door.",
    "The central bank has declared war on inflation.", "We need better execution.",
])
def test_dismissals_curses_and_figures_are_not_calls_for_killing(text):
    assert all(f.modality != "call" for f in redline.analyze(text, lang="en").findings)


def test_a_relative_clause_with_its_own_object_does_not_target_its_noun():
    (f,) = [f for f in redline.analyze("The man who shot him was arrested.", lang="en").findings
            if f.action == "kill"]
    assert [t.text for t in f.targets] == ["him"]


@pytest.mark.parametrize("text, modality", [
    ("He should have been hung", "call"),  # auxiliaries the parse hung on 'been'
    ("He should not have been hung", "negated"),
    ("That bitch needs hung too!!", "call"),
    ("I hope they hang every one of those treason bastards", "call"),  # partitive object
    ("Start shooting them all.", "call"),  # the command heads a chain of complements
    ("I hope he leaves in a body bag", "call"),
])
def test_comment_thread_fates(text, modality):
    assert [f.modality for f in redline.analyze(text, lang="en").findings][:1] == [modality]


def test_a_war_named_in_passing_is_not_the_speakers_act():
    text = "We welcome the peace agreement signed by the factions in the Liberian civil war."
    assert all(f.modality not in ("threat", "call")
               for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text, modality", [
    ("Death penalty", "call"), ("Woodchipper", "call"),  # a whole comment naming a killing
    ("They are all gonna hang", "prediction"),
    ("you’ll all be hanging for your crimes", "prediction"),
    ("These scumbags have got to be DESTROYED!!", "call"),
    ("Somebody please burn him alive!", "call"),
])
def test_thread_comments_naming_killing(text, modality):
    assert [f.modality for f in redline.analyze(text, lang="en").findings][:1] == [modality]


@pytest.mark.parametrize("text", ["The Holocaust", "Genocide", "Capital punishment in America"])
def test_a_historical_event_or_title_alone_demands_nothing(text):
    assert all(f.modality == "report" for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text", [
    "He needs to be tried for mass murder", "He should be indicted for all the deaths he caused",
    "Hang in there!", "Typical libs! Shoot yourself in the foot.", "I wish he would drop dead!",
    "God is throwing you a rope!", "Put down your phone.", "The army put down the rebellion.",
])
def test_crimes_charged_and_figures_of_speech_are_not_calls(text):
    assert all(f.modality != "call" for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text", [
    "Close the border, arrest and EXECUTE the dealers!",  # a command hung on a noun
    "Impeach and then send him to Gitmo for treason",
    "Take Fauci to the Gallows!", "Put him on the firing squad list!",
])
def test_commands_the_tagger_misreads(text):
    assert any(f.modality == "call" for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text", [
    "Germany deported migrants to Afghanistan.", "The school sent everyone home early.",
    "Police found bullets at the scene.", "Our soldiers need more bullets.",
    "The president took a helicopter ride to Camp David.",
    "Millions will be dead by 2050 because of climate change.",
    "The EU will launch a new round of sanctions.", "Hamas must drop its weapons.",
    "We will eliminate a lot of paperwork.", "End Obamacare now!",
    "Xi Jinping purged several generals last year.", "Keep shooting until the sun sets.",
    # a statute: the modal the parse hangs elsewhere still makes the clause finite
    "A person who is licensed to be there, may, subject to the provisions of subsection 2, "
    "use physical force upon another person when he reasonably believes it necessary.",
    # a bracketed gloss names a word, it forecasts nothing
    "Swelling will cut off the blood supply, leading to tissue ischemia (death due to lack "
    "of oxygen).",
])
def test_news_and_ordinary_speech_raise_no_alarm(text):
    from redline.eval.threat import is_threat_of_force

    found = redline.analyze(text, lang="en").findings
    assert not any(is_threat_of_force(f) for f in found), found
    assert all(f.action != "mass_violence" for f in found)


@pytest.mark.parametrize("text, modality", [
    ("That is why we will not strike Iran.", "negated"),  # explains, does not ask
    ("Why didn't Russia invade Ukraine in 2014?", "negated"),
    ("Russia would rather strike Kyiv than negotiate.", "prediction"),  # not the speaker's wish
    ("The civil war ended in 1865.", "report"),  # 'ended' rejects nothing it is the subject of
    ("No one will invade Poland.", "negated"),
    ("Russia will answer with massive strikes on Kyiv.", "prediction"),  # no crime charged
])
def test_why_rather_and_subjects_read_in_their_clause(text, modality):
    assert [f.modality for f in redline.analyze(text, lang="en").findings][:1] == [modality]


@pytest.mark.parametrize("text, target", [
    ("Your death will come soon.", "Your"), ("Death to traitors!", "traitors"),
])
def test_the_one_whose_death_is_named_is_the_target(text, target):
    (f,) = redline.analyze(text, lang="en").findings
    assert [t.text for t in f.targets] == [target]


def test_a_bracketed_place_still_sends_someone_there():
    (f,) = redline.analyze("Hobbs needs a one-way ticket to a tropic island (GITMO)!",
                           lang="en").findings
    assert (f.action, f.modality) == ("abduct", "call")


@pytest.mark.parametrize("text, modality", [
    ("The slaughter must be avenged.", "report"),  # the call is for the answer, not the act
    ("We must avenge the massacre of our people.", "report"),
    ("Why shouldn't we be out in force after each attack on our people?", "report"),  # a time
    ("They should be put to death.", "call"), ("We will march on Kyiv.", "threat"),
])
def test_acts_answered_or_dated_are_reported(text, modality):
    assert [f.modality for f in redline.analyze(text, lang="en").findings] == [modality]


@pytest.mark.parametrize("text, modality, target", [
    ("He was beaten to death.", "report", "He"),  # a killing reported, not an end
    ("They stoned her to death.", "report", "her"),
    ("We should starve them to death.", "call", "them"),
    ("They should be extinguished.", "call", None),
])
def test_done_to_death_is_killing(text, modality, target):
    (f,) = redline.analyze(text, lang="en").findings
    assert (f.action, f.modality) == ("kill", modality)
    assert target is None or [t.text for t in f.targets] == [target]


@pytest.mark.parametrize("text", [
    "The prisoners froze to death.", "He drank himself to death.",  # ends, no one killed
    "It should be escalated to first degree murder.", "Firefighters extinguished the fire.",
])
def test_ends_and_charges_are_not_killings(text):
    assert redline.analyze(text, lang="en").findings == []


@pytest.mark.parametrize("text, modality", [
    ("Waiting for murder charges for killing people in nursing homes", "report"),  # a charge
    ("Death penalty should have been the sentence", "call"),  # a sentence urged, not a charge
    ("Why haven't the governors gone to jail for genocide of the elderly?", "report"),
    ("Let's see if they want to go to war with patriots.", "question"),  # an embedded question
    ("How many young people have to die before they go to jail", "question"),  # no "?"
    ("Can't wait until she is executed for her crimes!", "call"),  # waits for the act itself
    ("Kill yourself", "call"),  # urging self-harm on someone stays a call
])
def test_charges_questions_and_waits_read_in_their_clause(text, modality):
    assert [f.modality for f in redline.analyze(text, lang="en").findings if f.action == "kill"
            or f.action == "mass_violence" or f.action == "invade"][:1] == [modality]


@pytest.mark.parametrize("text", [
    "I AM DIABETIC, AND I WILL DIE ON THE FRONT",  # the speaker's own end; the front a place
    "It's time to die with your boots on.", "He will kill himself one day.",
    "I hope he is prosecuted before he dies of old age.",  # the death dates the wish
    "They took Prayer out of the school.", "Felony murder should be the charge",
])
def test_own_ends_suicides_and_dates_are_not_threats(text):
    from redline.eval.threat import redline_decide

    assert redline_decide(text)[0] is False


def test_taken_out_of_a_country_is_abduction_out_of_office_removal():
    (f,) = redline.analyze("They dragged the journalist out of Minsk.", lang="en").findings
    assert f.action == "abduct"
    assert redline.analyze("Take him out of office.", lang="en").findings == []


@pytest.mark.parametrize("text, threat", [
    ("All of them should kill themselves.", True),  # urged on others: incites self-harm
    ("She should kill herself", True),
    ("He'll probably kill himself.", False),  # a suicide forecast or reported is no force
    ("He killed himself in 2019.", False),
    ("I wish I had the courage to just kill myself.", False),  # the speaker's own end
    ("Time to eradicate the dems", True), ("We must eradicate poverty.", False),
    ("The jury was hung and the judge was angry.", False),
])
def test_self_harm_urged_and_people_eradicated(text, threat):
    from redline.eval.threat import redline_decide

    assert redline_decide(text)[0] is threat


def test_a_comment_line_without_a_full_stop_is_its_own_sentence():
    text = ("Fuck this scumbag\nThis crook doesn't give a damn about you or your family\n"
            "Hang this traitor for treason")
    (f,) = redline.analyze(text, lang="en").findings
    assert (f.action, f.modality) == ("kill", "call")  # not negated by the line before


def test_a_past_intention_keeps_the_threatened_code():
    (f,) = redline.analyze("The United States was going to strike Iran.", lang="en").findings
    assert (f.modality, f.cameo) == ("report", "1384")


def test_a_killing_named_alone_as_a_title_demands_nothing():
    text = "Death penalty\n\nThe state executed a man yesterday after a long appeal in the courts."
    assert all(f.modality == "report" for f in redline.analyze(text, lang="en").findings)


@pytest.mark.parametrize("text, modality", [
    ("Traitors all, hang ‘em high", "call"),  # a vocative the parse took for a subject
    ("Tribunals...Hang All guilty of Treason", "call"),
    ("He says he is not leaving...... take him out!!!!!", "call"),  # dots end a clause
    ("Sick pos.. screwing her brother., HANG THEM BOTH", "call"),
    ("I’m going to murder you", "threat"),  # a curly apostrophe is not a past tense
    ("How about hanging him and his whole administration", "proposal"),
    ("We will talk, and strike them.", "threat"),  # the conjunct shares 'will'
])
def test_run_on_comments_and_their_commands(text, modality):
    assert [f.modality for f in redline.analyze(text, lang="en").findings][:1] == [modality]


def test_whether_weighs_the_act():
    for text in ("I care about my neighbours and whether they live or die.",
                 "They debated whether to strike Iran."):
        assert all(f.modality == "question" for f in redline.analyze(text, lang="en").findings)


def test_a_modal_passive_is_a_possibility_not_an_offer():
    (f,) = redline.analyze("You may be struck by a falling missile.", lang="en").findings
    assert f.modality == "prediction"
    (g,) = redline.analyze("We could strike Kyiv.", lang="en").findings
    assert g.modality == "proposal"


@pytest.mark.parametrize("text", [
    "Read the history of the Holocaust.", "Make a comment about the massacre elsewhere.",
    "We must remember the victims of the genocide.",
    "We need an investigation into the massacre.",
])
def test_an_act_named_inside_another_noun_is_not_the_command(text):
    assert all(f.modality == "report" for f in redline.analyze(text, lang="en").findings)


def test_instruments_and_places_are_the_act_wherever_the_clause_puts_someone():
    for text in ("Put him in front of a firing squad asap!", "He needs to be sitting in a cell "
                 "at Gitmo!"):
        assert any(f.modality == "call" for f in redline.analyze(text, lang="en").findings)


def test_a_word_of_certainty_does_not_make_a_past_killing_a_forecast():
    text = "I am sure the twenty-four women murdered today over dowry were innocent."
    assert all(f.modality != "prediction" for f in redline.analyze(text, lang="en").findings)


def test_a_target_inside_another_is_not_listed_again():
    """"this gang and all of its leaders" is one target, not nested ones listed again (the seed
    interview's report listed "…, all of its leadership, its leadership")."""
    f = redline.analyze("We must destroy this criminal gang and all of its leaders.",
                        lang="en").findings[0]
    assert [t.text for t in f.targets] == ["this criminal gang and all of its leaders"]


@pytest.mark.parametrize("text, modality, reason", [
    ("Hang the traitors!", "call", "imperative"),
    ("We bomb them tomorrow.", "threat", "present tense"),
])
def test_a_verb_that_is_its_own_cue_still_gives_its_reason(text, modality, reason):
    """The stance's reason is kept when the act's word decided it, joined to the word's own."""
    (finding,) = redline.analyze(text, lang="en").findings
    assert finding.modality == modality
    assert reason in finding.evidence[0].why and f"→ {modality}" in finding.evidence[0].why
