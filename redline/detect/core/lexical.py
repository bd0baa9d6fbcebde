"""A language pack from words alone: codebook triggers read with word cues, no parse needed.

For a language that has a codebook but no grammar of its own yet. Triggers are the codebook's
lemmas and phrases; the stance comes from words of the sentence, by a small rule table like
every pack's (`rules.apply_rules`): a negator just before the trigger, a question mark, a word
of urging, a future form or auxiliary with the speaker's side, else a report. Targets are the
target nouns and entity mentions after the trigger. It reads the one token view
(`redline.lang.tokens`), which `redline.lang.simple` gives any text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from redline.detect.core.codebook import Codebook, Trigger
from redline.detect.core.entities import EntityIndex
from redline.detect.core.findings import Draft, Reading, Target
from redline.detect.core.pack import EventPack
from redline.detect.core.rules import apply_rules, decide
from redline.detect.core.triggers import phrase_at
from redline.lang.tokens import UDSentence, UDToken
from redline.registry import Context

NEGATION_REACH = 3  # words before the trigger a negator may stand


@dataclass(slots=True)
class WordClause:
    """A sentence and its trigger, as the word rules read them."""

    sent: UDSentence
    trigger: UDToken
    book: Codebook
    r: Reading

    def before(self, reach: int | None = None) -> list[UDToken]:
        start = 0 if reach is None else max(0, self.trigger.i - reach)
        return self.sent.tokens[start:self.trigger.i]

    def find(self, cue: str, tokens: list[UDToken] | None = None) -> UDToken | None:
        words = self.book.cue(cue)
        return next((t for t in (self.sent.tokens if tokens is None else tokens)
                     if t.lemma in words), None)


def _negated(c: WordClause) -> bool:
    neg = c.find("negators", c.before(NEGATION_REACH))
    return neg is not None and decide(c.r, "negated", neg, f"'{neg.text}' negates the act")


def _question(c: WordClause) -> bool:
    last = c.sent.tokens[-1]
    return last.text == "?" and decide(c.r, "question", last, "asked as a question")


def _call(c: WordClause) -> bool:
    word = c.find("call_aux")
    return word is not None and decide(c.r, "call", word, f"'{word.text}' urges the act")


def _future(c: WordClause) -> bool:
    word = c.find("threat_aux") or (c.trigger if c.trigger.lemma in c.book.cue("future_forms")
                                    else None)
    if word is None:
        return False
    if c.r.first_person:
        return decide(c.r, "threat", word, f"'{word.text}' with the speaker's side as agent")
    return decide(c.r, "prediction", word, f"'{word.text}' forecasts it")


WORD_RULES = (_negated, _question, _call, _future)


class LexicalEvents(EventPack):
    """Acts of force read from words: the pack a new language starts with."""

    def drafts(self, ctx: Context, book: Codebook, index: EntityIndex) -> Iterator[Draft]:
        for chunk in ctx.chunks:
            for sent in chunk.sentences:
                for trig, toks in _triggers(sent, book):
                    draft = _read(trig, toks, sent, book, index)
                    if draft is not None:
                        yield draft


def _triggers(sent: UDSentence, book: Codebook) -> list[tuple[Trigger, list[UDToken]]]:
    found: list[tuple[Trigger, list[UDToken]]] = []
    used: set[int] = set()
    toks = sent.tokens
    for i, tok in enumerate(toks):
        for trig in book.phrases.get(tok.lemma, []):
            span = phrase_at(toks, i, trig.words, lambda t, w: t.lemma == w, lambda t: False)
            if span and not used.intersection(t.i for t in span):
                found.append((trig, span))
                used.update(t.i for t in span)
    for tok in toks:
        if tok.i not in used and book.singles.get(tok.lemma):
            found.append((book.singles[tok.lemma][0], [tok]))
    return found


def _read(trig: Trigger, toks: list[UDToken], sent: UDSentence, book: Codebook,
          index: EntityIndex) -> Draft | None:
    after = sent.tokens[toks[-1].i + 1:]
    targets = [Target(t.start, t.end, index.within(t.start, t.end), t.lemma, False)
               for t in after if t.lemma in book.target_nouns or index.within(t.start, t.end)]
    if trig.needs_target and not targets:
        return None
    r = Reading()
    actor = next((t for t in sent.tokens[:toks[0].i] if t.lemma in book.cue("first_person")),
                 None)
    r.first_person = actor is not None
    r.actor = [actor] if actor is not None else []
    reading = apply_rules(WordClause(sent, toks[0], book, r), WORD_RULES, toks[0])
    draft = Draft(trig=trig, span=(toks[0].start, toks[-1].end), reading=reading,
                  sentence=(sent.start, sent.end),
                  lemmas=frozenset(t.lemma for t in sent.tokens), targets=targets)
    if reading.cue is not None:
        cue, why = reading.cue
        draft.cue = (cue.start, cue.end, why)
    if actor is not None:
        draft.actor = (actor.start, actor.end)
    return draft
