"""Reading spaCy's English tree: clauses, the verbs that govern an act, subjects and holders.

Small predicates over the parse that the modality rules, the target reader and the trigger
reader share. They read spaCy's own labels (ClearNLP scheme), named in the codebook's [grammar].
"""

from __future__ import annotations

from redline.detect.core.codebook import Codebook
from redline.detect.en.words import (
    CLAUSE_CUTS,
    CLAUSE_LINKS,
    GOVERNED_DEPS,
    MODIFIERS,
    SUBJ,
    Token,
)


def clause_verb(tok: Token) -> Token:
    """The verb whose clause holds ``tok`` (itself when it is a verb)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def verb_chain(verb: Token, book: Codebook) -> list[Token]:
    """The verb and the verbs/adjectives governing it through xcomp-like links (need to strike).

    The chain stops at a clausal complement: in "X said Russia would strike", "said" does
    not govern the act's modality (see `_reporter`).
    """
    chain = [verb]
    cur = verb
    for _ in range(4):
        if not _governed_step(cur, book) or cur.head.i == cur.i:
            break
        cur = cur.head
        chain.append(cur)
        if cur.dep_ == "ROOT":
            break
    top = chain[-1]
    # "the cleanest option is to deport them", "the time is now to strike": the noun that the
    # copula equates with the act governs it as "option"/"time" do in "time to strike"
    if (top.lemma_ in ("be", "come") and len(chain) > 1  # "the time has come to strike"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in chain[-2].children)):
        noun = next((c for c in top.children if c.dep_ == "nsubj"
                     and c.lemma_.lower() in book.cue("governing_nouns")), None)
        if noun is not None:
            chain.append(noun)
    # "it is necessary to strike", "it is our duty to destroy them": the copula's predicate
    if (obliging := obligation(top, book)) is not None and len(chain) > 1 \
            and all(t.i != obliging.i for t in chain):
        chain.append(obliging)
    return chain


def _governed_step(cur: Token, book: Codebook) -> bool:
    """Whether the word above ``cur`` governs its modality (one link of `verb_chain`)."""
    dep, head = cur.dep_, cur.head
    return (
        dep in ("xcomp", "acomp", "advcl", "pcomp", "prep", "pobj", "attr")
        # "needs to be removed and sent to Gitmo": a conjunct with no subject or auxiliary
        # of its own shares the first one's modality
        or (dep == "conj" and cur.pos_ == "VERB" and not any(
            c.dep_ in SUBJ or c.dep_ in ("aux", "auxpass") for c in cur.children))
        # "Republicans will see you hang", "I'd rather see her hanging": what is watched
        # for takes the watcher's modality
        or (dep == "ccomp" and head.lemma_.lower() in book.cue("wanting_verbs"))
        # "it is essential that we destroy them": the predicate obliges the clause
        or (dep == "ccomp" and obligation(head, book) is not None)
        # "time to hang them" (the tagger says acl or relcl), not "every time they attack";
        # a list of infinitives shares its first "to" ("the only way to expose, weaken and
        # destroy them")
        or (dep in ("acl", "relcl")
            and head.lemma_.lower() in book.cue("governing_nouns")
            and any(c.dep_ == "aux" and c.lower_ == "to" for k in head.children
                    if k.dep_ in ("acl", "relcl") and k.i <= cur.i for c in k.children))
        # "we reserve the right to respond", "we have no option but to": the noun's verb
        or (dep == "dobj" and cur.lemma_.lower() in book.cue("held_nouns"))
    )


def obligation(verb: Token, book: Codebook) -> Token | None:
    """The predicate of a copula that obliges what it governs: "it is necessary to", "it has
    become imperative for the people to", "it is our sacred duty to"."""
    # "it was necessary to destroy the city in 1944" reports a past need; "he said it was
    # necessary to bomb" backshifts his present one
    reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in book.cue("speech_verbs")
    if verb.lemma_.lower() not in book.cue("copulas") or (verb.tag_ == "VBD" and not reported):
        return None
    predicate = next((c for c in verb.children if c.dep_ in ("acomp", "attr")
                      and c.lemma_.lower() in book.cue("obligations")), None)
    subject = next((c for c in verb.children if c.dep_ in SUBJ), None)
    if predicate is not None and predicate.pos_ == "ADJ" and subject is not None \
            and subject.lower_ not in book.cue("expletives"):
        return None  # "how many hours are necessary to drop bombs": a purpose, not a duty
    return predicate


def clause_governor(chain: list[Token], words: frozenset[str],
                     deps: tuple[str, ...] = ("ccomp",)) -> Token | None:
    """The word of ``words`` whose clausal complement holds the act: a speech verb
    ("Medvedev said ..."), a verb or noun of belief ("the conclusion that X might")."""
    # the link to the reporting word may sit below a predicate the chain adds on top ("he
    # said it was necessary to bomb": the chain ends at "necessary", "was" is the ccomp)
    return next((t.head for t in reversed(chain)
                 if t.dep_ in deps and t.head.lemma_.lower() in words), None)


def governors(trigger: Token, limit: int = 4) -> list[Token]:
    """The words above the trigger in its own clause: "stop the killing" governs it, but in
    "assassinate him, just end this" the second clause does not govern the first."""
    out: list[Token] = []
    cur = trigger
    while len(out) < limit and cur.head.i != cur.i and cur.dep_ not in CLAUSE_LINKS:
        cur = cur.head
        out.append(cur)
    return out


def governed(noun: Token, verb: Token, book: Codebook) -> bool:
    """The noun is the verb's own argument: its object or subject ("bring back hangings",
    "civil war is needed"), the object of a preposition on the verb ("take him to the
    gallows"), or one "to"/"on" hop further ("needs a trip to Gitmo", "put him on the firing
    squad list", "time for civil war") -- not a noun inside another noun's "of"/"about" ("the
    history of the Holocaust", "a comment about the massacre")."""
    cur = noun
    while cur.dep_ in ("conj", "compound", "amod", "appos") and cur.head.i != cur.i:
        cur = cur.head
    for hop in range(2):
        if cur.head.i == verb.i:
            return cur.dep_ in GOVERNED_DEPS or cur.dep_ == "prep"
        if cur.dep_ != "pobj" or cur.head.lower_ in book.cue("time_preps"):
            return False  # "out in force after each attack on our people": a time, not an aim
        prep = cur.head
        if prep.lower_ in book.cue("circumstance_preps"):
            return False  # "withdraw from the territories under its occupation": a state named
        if prep.head.i == verb.i or (prep.head.dep_ in ("advmod", "prt")
                                     and prep.head.head.i == verb.i):  # "send her off to"
            return True
        towards = prep.lower_ in ("to", "on") or (  # "it is time for civil war"
            prep.lower_ == "for" and prep.head.lemma_.lower() in book.cue("governing_nouns"))
        if hop or not towards or prep.head.pos_ not in ("NOUN", "PROPN"):
            return False
        cur = prep.head
    return False


def charged_with(trigger: Token, book: Codebook) -> Token | None:
    """The legal word whose "for"/"with"/"of" names the act as a crime: "tried for murder",
    "charged with genocide", "guilty of the killings", "in jail for the deaths"."""
    if trigger.pos_ not in ("NOUN", "PROPN") and trigger.dep_ != "pcomp":
        return None  # nouns, and gerunds after a preposition ("charges for killing people")
    legal_words = book.cue("legal_process")
    if trigger.dep_ == "nsubj" and trigger.head.lemma_ == "be":  # "Felony murder should be
        return next((a for a in trigger.head.children  # the charge"
                     if a.dep_ == "attr" and a.lemma_.lower() in book.cue("charge_nouns")), None)
    cur = trigger
    while cur.dep_ == "conj" and cur.head.i != cur.i:  # "charged for treason and genocide"
        cur = cur.head
    for _ in range(3):  # "in jail for its part in the nursing home deaths"
        if cur.dep_ not in ("pobj", "pcomp"):
            return None
        prep, cur = cur.head, cur.head.head
        legal = legal_word(cur, legal_words)
        if (prep.lower_ in ("for", "of") and legal is not None) or (
                prep.lower_ == "with" and cur.lemma_.lower() in book.cue("legal_with")):
            return legal or cur
    return None


def legal_word(word: Token, legal_words: frozenset[str]) -> Token | None:
    """The word, or the place of punishment it goes to ("gone to jail for genocide")."""
    if word.lemma_.lower() in legal_words:
        return word
    return next((p for prep in word.children if prep.dep_ == "prep"
                 and prep.lower_ in ("to", "in", "into") for p in prep.children
                 if p.dep_ == "pobj" and p.lemma_.lower() in legal_words), None)


def to_a_place(prep: Token) -> bool:
    """The preposition's object is a country, a city or a region ("out of Estonia")."""
    return any(p.dep_ == "pobj" and p.ent_type_ in ("GPE", "LOC") for p in prep.children)


def all_kids(verb: Token) -> list[Token]:
    """The verb's children, and those the parse hung on its auxiliaries: in "He should have
    been hung" the tagger attaches "He", "should" and "have" to "been"."""
    kids = list(verb.children)
    return kids + [g for c in kids if c.dep_ in ("aux", "auxpass") for g in c.children]


def negation_scope(chain: list[Token]) -> list[Token]:
    """The chain up to an adverbial clause: in "they cannot coexist with us, kill them" or "we
    will not rest until we destroy them" the negation belongs to the other clause."""
    scope: list[Token] = []
    for t in chain:
        scope.append(t)
        if t.dep_ == "advcl":
            break
    return scope


def urges(gov: Token, chain: list[Token], lemma: str) -> bool:
    """'have'/'got' urge only as 'have to strike'; 'we have an invasion' urges nothing."""
    if lemma == "call" and any(c.dep_ == "auxpass" for c in gov.children):
        return False  # "a house called Gitmo", "is called gitmo": a name, not a demand
    if lemma not in ("have", "got"):
        return True
    below = chain[chain.index(gov) - 1] if chain.index(gov) > 0 else None
    return below is not None and below.dep_ == "xcomp"


def asks_why_not(chain: list[Token]) -> bool:
    """'Why can't we strike them?' suggests; 'that is why we will not strike' and 'why didn't
    Russia invade?' do not: "why" must open the act's own clause, in the present."""
    top = chain[-1]
    opener = next((t for t in top.sent if not t.is_punct), None)  # "that is why ..." explains
    why = opener is not None and opener.lower_ == "why" and any(
        c.i == opener.i for t in chain for c in t.children)
    past = top.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in top.children)
    return why and not past


def subject_of(chain: list[Token]) -> list[Token]:
    for t in chain:
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "csubj")
                     and c not in chain), None)  # not "option" in "the option is to strike"
        if subj is not None:
            return list(subj.subtree)[:8]
    return []


def subject_head(phrase: list[Token]) -> Token:
    """The head of a subject phrase as `subject_of` gives it (its word whose head is outside)."""
    inside = {t.i for t in phrase}
    return next((t for t in phrase if t.head.i not in inside or t.head.i == t.i), phrase[0])


def speakers_side(subj: Token, book: Codebook) -> bool:
    """A subject that is the speaker's side: "we", "I", everyone, or a body the speaker owns
    ("our military doctrine says", "my delegation proposes", "my Government"), or the speaker's
    own state named in the third person when the document says which it is ("Russia will
    respond", "the Government of Iran declares" in those states' own speeches)."""
    mine = book.cue("first_person") | book.cue("not_holders")
    return subj.lower_ in mine or own_state(subj, book) or any(
        c.dep_ == "poss" and c.lower_ in book.cue("first_person") for c in subj.children)


def own_state(subj: Token, book: Codebook) -> bool:
    """The speaker's own state (tokens marked by `mark_own_side`), or one of its bodies ("the
    Government of Iran", "Russia's armed forces", `state_bodies`)."""
    if not subj.has_extension("own_side"):
        return False  # a Doc parsed outside redline's loader: nothing is marked
    if subj._.own_side:
        return True
    return subj.lemma_.lower() in book.cue("state_bodies") and any(
        t._.own_side for c in subj.children if c.dep_ in ("prep", "poss", "compound", "amod")
        for t in c.subtree)


def stance_holder(gov: Token, book: Codebook) -> list[Token]:
    """Who holds the stance ``gov`` expresses, when it is not the speaker's side: the subject
    ("the sheikh calls for genocide"), shared by a conjunct ("they hate and want to destroy"),
    the noun a relative or participle clause hangs on ("a liberal who wanted to kill", "a
    doctrine calling for death"), or the owner of a plan ("Hitler's plan").  Empty when the
    speaker's side holds it or no one is named ("Love to see them hang")."""
    cur = gov
    for _ in range(3):
        if cur.dep_ == "pcomp" and cur.head.head.i != cur.head.i:
            cur = cur.head.head  # "a man arrested for threatening to kill"
        subj = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "poss")), None)
        if subj is not None and cur.tag_ in ("VB", "VBP") and any(
                is_stop(t) for t in subj.doc[subj.i + 1 : cur.i]):
            subj = None  # "Fake asshole... hope we hang you": a vocative, then a new clause
        if subj is not None and subj.lower_ in book.cue("relative_pronouns") \
                and cur.dep_ == "relcl":
            return noun_phrase(cur.head)
        if subj is not None:
            return [] if speakers_side(subj, book) else noun_phrase(subj)
        if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
            return noun_phrase(cur.head)
        if cur.dep_ != "conj":
            return []
        cur = cur.head
    return []


def noun_phrase(head: Token) -> list[Token]:
    """A noun's words up to the noun itself, as printed ("anti-white UN boss")."""
    start = min((t.i for c in head.lefts if c.dep_ in MODIFIERS for t in c.subtree),
                default=head.i)
    return list(head.doc[max(start, head.i - 7) : head.i + 1])


def words_of(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)


def the_speakers(kids: list[Token], book: Codebook) -> bool:
    """No subject among ``kids``, or a first-person one: the wish is the speaker's."""
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is None or subj.lower_ in book.cue("first_person")


def condition_mark(chain: list[Token], book: Codebook) -> Token | None:
    for t in chain:
        for c in t.children:
            if c.dep_ == "advcl":
                mark = next(
                    (
                        m
                        for m in c.children
                        if m.dep_ in ("mark", "aux") and m.lower_ in book.cue("condition_marks")
                    ),
                    None,
                )
                if mark is not None:
                    return mark
    return None


def in_condition(tok: Token, book: Codebook) -> bool:
    """True when the trigger sits inside an if-clause: it is the condition, not the act."""
    cur = tok
    for _ in range(8):
        if cur.dep_ in ("advcl", "ROOT") and any(  # ROOT: a fragment "Only if Poland attacks."
            m.lower_ in book.cue("condition_marks") for m in cur.children if m.dep_ == "mark"
        ):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def answered_by(tok: Token, book: Codebook) -> Token | None:
    """The verb that answers a noun of force ("we will respond to the attack", "retaliate
    against any strike", "answer every provocation"), or None: the noun is the act answered,
    the other side's, not one the clause does."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    verb = tok.head
    if tok.dep_ == "pobj" and verb.lower_ in book.word("answered_preps"):
        verb = verb.head
    elif tok.dep_ not in ("dobj", "obj"):
        return None
    answering = verb.pos_ == "VERB" and verb.lemma_.lower() in book.word("answering_verbs")
    return verb if answering else None


def answered_with(tok: Token, book: Codebook) -> Token | None:
    """The answering verb whose means a noun of force is ("we will answer any provocation with
    a crushing blow", "respond to any aggression with a devastating strike"), or None. The
    parser often hangs the "with" on the answered noun instead of the verb; either way the
    means is the answer itself, the speaker's act, read with the answering verb's stance."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ != "pobj" or tok.head.lower_ != "with":
        return None
    host = tok.head.head
    if host.pos_ == "VERB" and host.lemma_.lower() in book.word("answering_verbs"):
        return host
    return answered_by(host, book)


def done_before(tok: Token, book: Codebook) -> bool:
    """A noun of force pointed at as one that happened: a definite determiner or a possessor
    ("the attack", "yesterday's strike", "their aggression"); not "any attack", "an attack",
    "attacks", which may come."""
    return any((c.dep_ == "det" and c.lower_ in book.word("done_markers"))
               or c.dep_ == "poss" for c in tok.children)


def plans_denied(trigger: Token, book: Codebook) -> Token | None:
    """'no plans to', 'no intention of', 'never intended to' above the trigger."""
    for t in [trigger, *list(trigger.ancestors)[:5]]:
        if t.lemma_.lower() in book.cue("negation_governors"):
            det = next((c for c in t.children if c.lower_ in ("no", "never", "not", "n't")
                        and c.dep_ != "intj"), None)  # "No, nobody wanted that" answers
            if det is not None:
                return det
    return None


def xcomp_top(verb: Token) -> Token:
    """The verb at the top of a chain of verbal complements: 'start' in 'start shooting'."""
    cur = verb
    while cur.dep_ == "xcomp" and cur.head.pos_ == "VERB" and cur.head.i != cur.i:
        cur = cur.head
    return cur


def misread_verb(tok: Token) -> bool:
    """A noun heading its sentence with a direct object is a verb the tagger misread: "Gas the
    Jews", "Nuke Moscow"."""
    return tok.pos_ == "NOUN" and tok.dep_ == "ROOT" and any(c.dep_ == "dobj" for c in tok.children)


def is_stop(tok: Token) -> bool:
    """Punctuation that ends a sentence, however the parse joins it: ".", "!!", "......"."""
    return tok.is_punct and set(tok.text) <= set(".!?…")


def is_cut(tok: Token) -> bool:
    """Punctuation that ends a clause: a comma, a dash, a bracket, dots ("......")."""
    return tok.text in CLAUSE_CUTS or is_stop(tok)
