"""The codebook of acts of force, read from a language pack's ``codebook.toml``.

Everything a detector needs to know about words -- triggers, their actions and severities,
CAMEO codes, target nouns, idioms and modality cues -- is data; this module only indexes it.
A trigger's severity and CAMEO codes default to its action's in the vocabulary
(``data/vocabulary.toml``); an entry states them only where it differs ("arrest" is 173, not
181). The built-in packs live in ``redline/detect/<lang>/``; another pack passes its own path.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from redline.vocabulary import vocabulary


@dataclass(frozen=True, slots=True)
class Trigger:
    """One way of saying an act of force."""

    action: str
    severity: int
    cameo_threat: str
    cameo_done: str
    words: tuple[str, ...]  # lemmas; one for single words, several for phrases
    kind: str  # "verb", "noun", "phrase", or "named" (reached only through `en_masse`)
    needs_target: bool
    patient_subject: bool = False  # intransitive use: the subject suffers the act ("must die")
    any_object: bool = False  # any object not listed as an idiom is a target (verbs of killing)
    instrument: bool = False  # a named instrument of the act ("the rope"): no verb needed
    state_target: bool = False  # force only against a state or place ("воевать с Польшей")
    person_target: bool = False  # force only against people ("eliminate the terrorists")
    place: bool = False  # a place of detention: the act wherever the clause puts someone there
    # The named entry this act becomes when aimed at a population or en masse: destroying a
    # people is mass violence, deporting everyone of a kind is mass expulsion.
    en_masse: str = ""
    # Quantifiers that aim it at everyone of a kind ("deport them all", "mass deportations").
    en_masse_words: frozenset[str] = frozenset()
    en_masse_targets: str = "populations"  # or "peoples": nations and faiths only
    # The stances in which the words are an act at all (empty: any); "bullets" named in a
    # report are no act, "a bullet to the head" urged is.
    modalities: frozenset[str] = frozenset()
    # A [words] list one of whose words the sentence must hold for the words to be force:
    # "deploy" is a show of force with troops or missiles, not with software.
    context: str = ""
    # An answer to someone ("a response", "retaliation will be immediate"): forecast with no
    # agent named, it is the speaker's veiled threat.
    answer: bool = False


@dataclass(slots=True)
class Codebook:
    language: str
    label: str = ""  # how evidence names it: "codebook", "codebook ru"
    singles: dict[str, list[Trigger]] = field(default_factory=dict)
    phrases: dict[str, list[Trigger]] = field(default_factory=dict)  # first word -> phrases
    target_nouns: frozenset[str] = frozenset()
    target_pronouns: frozenset[str] = frozenset()
    not_agents: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()  # agentless ends: force only as a stance, not a report
    populations: frozenset[str] = frozenset()  # destroying these is mass violence
    peoples: frozenset[str] = frozenset()  # nations and faiths: deporting these is expulsion
    states: frozenset[str] = frozenset()  # nouns naming states, for `state_target` triggers
    persons: frozenset[str] = frozenset()  # nouns and pronouns of people, for `person_target`
    weapon_verbs: frozenset[str] = frozenset()
    weapon_nouns: frozenset[str] = frozenset()
    # Lemmas that turn a named weapon into its use ("use nuclear weapons"); without one a
    # weapon is only mentioned ("nuclear weapons exist") and is no act.
    weapon_hosts: frozenset[str] = frozenset()
    weapon_names: frozenset[str] = frozenset()  # "nuclear weapons": a weapon, not yet an act
    idioms: dict[str, frozenset[str]] = field(default_factory=dict)
    modality: dict[str, frozenset[str]] = field(default_factory=dict)
    initial_verbs: frozenset[str] = frozenset()  # imperatives the tagger misreads as names
    named: dict[str, Trigger] = field(default_factory=dict)  # entries with a `name`
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # [words]: named lists
    grammar: dict[str, frozenset[str]] = field(default_factory=dict)  # [grammar]: parse labels
    anaphora: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word -> entity types
    tables: dict[str, dict] = field(default_factory=dict)  # other sections a pack reads itself
    # [senses]: a trigger's first word -> words that, in its sentence, give it a sense other
    # than force ("strike" among workers and wages is a stoppage of work).
    senses: dict[str, frozenset[str]] = field(default_factory=dict)

    def cue(self, name: str) -> frozenset[str]:
        return self.modality.get(name, frozenset())

    def word(self, name: str) -> frozenset[str]:
        """A named word list of the [words] section (empty when the language has none)."""
        return self.words.get(name, frozenset())

    def table(self, name: str) -> dict:
        """A section the pack reads itself (the Russian [agreement] of pronouns)."""
        return self.tables.get(name, {})

    def labels(self, name: str) -> frozenset[str]:
        """A named set of the parser's dependency labels ([grammar]): "subject", "object"."""
        return self.grammar.get(name, frozenset())


@lru_cache(maxsize=8)
def load_codebook(language: str, path: str | None = None) -> Codebook:
    """Parse and index the codebook of ``language``: the built-in pack's, or the file at
    ``path`` (a language pack outside the package)."""
    source = (Path(path).read_text("utf-8") if path else
              resources.files("redline.detect").joinpath(language, "codebook.toml")
              .read_text("utf-8"))
    raw = tomllib.loads(source)
    book = Codebook(language=language, label=raw.get("meta", {}).get("label", "codebook"))
    if raw.get("meta", {}).get("split_hyphens"):
        raw["trigger"] = [_hyphens_as_phrases(e) for e in raw["trigger"]]
    for entry in raw["trigger"]:
        action = vocabulary().action(entry["action"])
        threat, done = entry.get("cameo", (action.cameo_threat, action.cameo_done))
        common = dict(action=action.name, severity=entry.get("severity", action.severity),
                      cameo_threat=threat,
                      cameo_done=done, needs_target=entry.get("needs_target", False),
                      any_object=entry.get("any_object", False),
                      instrument=entry.get("instrument", False),
                      state_target=entry.get("state_target", False),
                      person_target=entry.get("person_target", False),
                      place=entry.get("place", False),
                      en_masse=entry.get("en_masse", ""),
                      en_masse_words=frozenset(entry.get("en_masse_words", [])),
                      en_masse_targets=entry.get("en_masse_targets", "populations"),
                      modalities=frozenset(entry.get("modalities", [])),
                      context=entry.get("context", ""),
                      answer=entry.get("answer", False))
        if "name" in entry:
            book.named[entry["name"]] = Trigger(words=(entry["name"],), kind="named", **common)
        patients = set(entry.get("patient_subject", []))
        for kind in ("verbs", "nouns"):
            for lemma in entry.get(kind, []):
                trig = Trigger(words=(lemma,), kind=kind[:-1], patient_subject=lemma in patients,
                               **common)
                book.singles.setdefault(lemma, []).append(trig)
        for phrase in entry.get("phrases", []):
            words = tuple(phrase.lower().split())
            # a phrase stands alone ("wipe off the map") unless the entry says otherwise
            alone = {**common, "needs_target": entry.get("phrases_need_target", False)}
            trig = Trigger(words=words, kind="phrase", patient_subject=phrase in patients,
                           **alone)
            book.phrases.setdefault(words[0], []).append(trig)
    unknown = {t.en_masse for ts in book.singles.values() for t in ts} - set(book.named) - {""}
    if unknown:
        raise ValueError(f"codebook {language}: en_masse names no entry: {sorted(unknown)}")
    for first in book.phrases:
        book.phrases[first].sort(key=lambda t: -len(t.words))
    targets = raw.get("targets", {})
    book.target_nouns = frozenset(targets.get("nouns", [])) | frozenset(targets.get("people", []))
    book.not_agents = frozenset(raw.get("actors", {}).get("not_agents", []))
    book.outcomes = frozenset(raw.get("actors", {}).get("outcomes", []))
    book.populations = frozenset(raw.get("actors", {}).get("populations", []))
    book.peoples = frozenset(raw.get("actors", {}).get("peoples", []))
    book.weapon_verbs = frozenset(raw.get("weapon_use", {}).get("verbs", []))
    book.weapon_nouns = frozenset(raw.get("weapon_use", {}).get("nouns", []))
    book.weapon_hosts = frozenset(raw.get("weapon_use", {}).get("hosts", []))
    book.weapon_names = frozenset(raw.get("weapon_use", {}).get("names", []))
    book.target_pronouns = frozenset(targets.get("pronouns", []))
    book.states = frozenset(targets.get("states", []))
    book.persons = (frozenset(targets.get("persons", []))
                    | frozenset(targets.get("person_pronouns", [])) | book.populations)
    book.idioms = {k: frozenset(v) for k, v in raw.get("idioms", {}).items()}
    book.modality = {k: frozenset(v) for k, v in raw.get("modality", {}).items()}
    book.initial_verbs = frozenset(raw.get("parse", {}).get("initial_verbs", []))
    book.words = {k: frozenset(v) for k, v in raw.get("words", {}).items()}
    book.grammar = {k: frozenset(v) for k, v in raw.get("grammar", {}).items()}
    book.anaphora = {k: tuple(v) for k, v in raw.get("anaphora", {}).items()}
    book.senses = {k: frozenset(v) for k, v in raw.get("senses", {}).items()}
    book.tables = {k: v for k, v in raw.items() if isinstance(v, dict)}
    unknown_lists = {t.context for ts in book.singles.values() for t in ts} - set(book.words)
    unknown_lists |= {t.context for ts in book.phrases.values() for t in ts} - set(book.words)
    if unknown_lists - {""}:
        raise ValueError(f"codebook {language}: context names no [words] list: "
                         f"{sorted(unknown_lists - {''})}")
    return book


def _hyphens_as_phrases(entry: dict) -> dict:
    """A tokenizer that splits "build-up" into "build", "-", "up" ([meta] split_hyphens) needs
    hyphenated words as phrases of their parts."""
    entry = dict(entry)
    hyphenated = [w for kind in ("verbs", "nouns") for w in entry.get(kind, []) if "-" in w]
    for kind in ("verbs", "nouns"):
        entry[kind] = [w for w in entry.get(kind, []) if "-" not in w]
    phrases = [*entry.get("phrases", []), *hyphenated]
    entry["phrases"] = [" - ".join(p.split("-")) if "-" in p else p for p in phrases]
    return entry


def first_trigger(book: Codebook, action: str) -> Trigger:
    """The codebook's first single-word entry for ``action``: its severity and CAMEO codes."""
    return next(t for ts in book.singles.values() for t in ts if t.action == action)


def en_masse_group(book: Codebook, trig: Trigger) -> frozenset[str]:
    """The targets that aim ``trig`` at a whole people (its `en_masse_targets` list)."""
    return book.peoples if trig.en_masse_targets == "peoples" else book.populations


def en_masse_trigger(book: Codebook, trig: Trigger) -> Trigger:
    """What ``trig`` becomes aimed at a population: its `en_masse` entry ("destroy the Jews" is
    mass violence, "deport all Muslims" mass expulsion)."""
    return book.named[trig.en_masse]


def weapon_use_trigger(book: Codebook) -> Trigger:
    """'use/launch <weapon>' read as the vocabulary's weapon-use action (the codebook's
    [weapon_use])."""
    action = next(iter(sorted(vocabulary().actions_where("weapon_use"))))
    attack = first_trigger(book, action)
    return Trigger(action=action, severity=attack.severity,
                   cameo_threat=attack.cameo_threat, cameo_done=attack.cameo_done,
                   words=("<weapon use>",), kind="verb", needs_target=False)
