"""Structure: titles, headings, intro, speaker turns, notes and comment threads."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.ingest import iter_documents
from redline.structure import classify_label, load_cues, parse_structure

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"


def kinds(text: str, title: str | None = None) -> list[tuple[str, str | None, str]]:
    return [(s.kind, s.speaker, text[s.start : s.end]) for s in parse_structure(text, title)]


def assert_well_formed(text: str) -> None:
    segs = parse_structure(text)
    last = 0
    for s in segs:
        assert last <= s.start <= s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        last = s.end


def test_talk_show_turns_span_paragraphs_and_reuse_names():
    text = (ROOT / "examples" / "talkshow-transcript.txt").read_text("utf-8")
    segs = kinds(text)
    turns = [(sp, body) for k, sp, body in segs if k == "turn"]
    assert [sp for sp, _ in turns] == [
        "Host",
        "Alexander Dugin",
        "Kaja Kallas",
        "Host",
        "Alexander Dugin",
        "Kaja Kallas",
        "Host",
    ]
    # a turn runs over all its paragraphs until the next label
    assert "Every week brings new weapons" in turns[1][1]
    assert turns[1][1].startswith("Alexander Dugin:")
    assert segs[0][0] == "title" and segs[0][2] == "Evening Debate: Is the Ceasefire Holding?"
    notes = [body for k, _, body in segs if k == "note"]
    assert any(n.startswith("Translator's note") for n in notes)
    assert any(n.startswith("(A fictional") for n in notes)


def test_comment_thread_authors_and_chrome():
    text = (ROOT / "examples" / "talkshow-transcript.txt").read_text("utf-8")
    segs = kinds(text)
    comments = [(sp, body) for k, sp, body in segs if k == "comment"]
    assert [sp for sp, _ in comments] == ["Maria K.", "John Smith"]
    assert all("Reply" not in body for _, body in comments)
    assert ("heading", None, "3 comments") in segs


def test_article_with_comment_thread():
    text = (FIX / "article-with-comments.txt").read_text("utf-8")
    segs = kinds(text)
    assert [k for k, _, _ in segs] == [
        "title",
        "intro",
        "body",
        "note",
        "heading",
        "comment",
        "comment",
        "comment",
    ]
    assert [sp for k, sp, _ in segs if k == "comment"] == ["Olena_P", "Mark T.", "guest123"]
    assert all("likes" not in body for k, _, body in segs if k == "comment")


def test_markdown_speech_headings_intro_and_footnote():
    text = (FIX / "speech-with-notes.md").read_text("utf-8")
    got = [k for k, _, _ in kinds(text)]
    assert got == ["title", "intro", "body", "heading", "body", "heading", "body", "note"]


def test_colons_in_prose_are_not_turns():
    text = (FIX / "prose-with-colons.txt").read_text("utf-8")
    assert [k for k, _, _ in kinds(text)] == ["body"]


def test_speech_is_one_body_with_optional_title():
    text = "Address to the Assembly\n\nMr President, thank you.\nWe came here to talk of peace.\n"
    assert [k for k, _, _ in kinds(text)] == ["title", "body"]
    assert [k for k, _, _ in kinds("We came here to talk of peace. Thank you.")] == ["body"]


@pytest.mark.parametrize(
    ("first", "later", "canonical"),
    [
        ("Alexander Dugin", "Dugin", "Alexander Dugin"),
        ("Vladimir Putin", "V. Putin", "Vladimir Putin"),
        ("V. Putin", "Vladimir Putin", "Vladimir Putin"),
        ("Александр Дугин", "А.Дугин", "Александр Дугин"),
        ("President of Russia Vladimir Putin", "Vladimir Putin", "Vladimir Putin"),
    ],
)
def test_shortened_labels_join_the_full_name(first, later, canonical):
    text = f"Host: Hello.\n{first}: Thanks.\nHost: And?\n{later}: Yes.\n"
    speakers = [sp for k, sp, _ in kinds(text) if k == "turn"]
    assert speakers == ["Host", canonical, "Host", canonical]


@pytest.mark.parametrize(
    "label",
    [
        "Host",
        "Interviewer",
        "Q",
        "A",
        "Ведущий",
        "Вопрос",
        "Vladimir Putin",
        "Ursula von der Leyen",
        "В.Путин",
        "Д. Песков",
    ],
)
def test_labels_accepted(label):
    assert classify_label(label, load_cues()) is not None


@pytest.mark.parametrize(
    "label",
    [
        "Note",
        "The point is simple",
        "Step 1",
        "http",
        "(Addressing the audience)",
        "Monday",
        "Примечание",
    ],
)
def test_labels_refused(label):
    assert classify_label(label, load_cues()) is None


def test_russian_roles_and_notes():
    text = (ROOT / "examples" / "ru-interview.txt").read_text("utf-8")
    segs = kinds(text)
    assert segs[0][0] == "title"
    assert [sp for k, sp, _ in segs if k == "turn"] == [
        "Ведущий",
        "Александр Дугин",
        "Ведущий",
        "Александр Дугин",
        "Ведущий",
    ]
    assert sum(k == "note" for k, _, _ in segs) == 2


@pytest.mark.parametrize(
    ("name", "speakers"),
    [
        ("kremlin-en-52830.html", {"Vladimir Putin": 61, "John Micklethwait": 61}),
        ("kremlin-en-52834.html", {"Vladimir Putin": 24, "Question": 22, "Remark": 1}),
    ],
)
def test_kremlin_html_turns(name, speakers, kremlin_pages):
    (doc,) = list(iter_documents([str(kremlin_pages / name)]))
    segs = parse_structure(doc.text, doc.title)
    counts: dict[str, int] = {}
    for s in segs:
        if s.kind == "turn":
            counts[s.speaker] = counts.get(s.speaker, 0) + 1
    assert counts == speakers
    first_turn = next(s for s in segs if s.kind == "turn")
    assert doc.text[first_turn.start :].startswith(
        "President of Russia Vladimir Putin:"
    ) or doc.text[first_turn.start :].startswith(("John Micklethwait:", "Question:"))


def test_segments_are_well_formed_on_odd_layouts():
    for text in [
        "",
        "\n\n\n",
        "Host:",
        ": x",
        "A: b\nC: d",
        "#\n##\n",
        "Reply\nReply",
        "12 comments\nReply",
        "x" * 5000,
        "Host: a\n\n\n\nHost: b\n  \n",
    ]:
        assert_well_formed(text)


def test_hard_wrapped_paragraphs_have_no_headings():
    text = ("Address of the delegation\n\n"
            "Furthermore, I wish on this occasion to express my\n"
            "gratitude to the Secretary-General for his report on the work of\n"
            "the Organization.\n"
            "Twelfth, Libya proposed resorting to the International\n"
            "Court of Justice, and the parties concerned quickly turned the\n"
            "whole matter into a political question.\n\n"
            "Our Position\n\n"
            "We remain committed to peace.\n")
    assert [k for k, _, _ in kinds(text)] == ["title", "body", "heading", "body"]


# --- end matter and the comments after it (issue 18) ---------------------------------------


def test_article_byline_and_copyright_end_the_text_and_comments_follow():
    text = (FIX / "article-byline-comments.txt").read_text("utf-8")
    segs = kinds(text)
    assert [k for k, _, _ in segs] == [
        "title", "intro", "body", "note", "note", "comment", "comment", "comment", "comment"
    ]
    comments = [(sp, body) for k, sp, body in segs if k == "comment"]
    assert comments[0][1].startswith("Finally!")
    assert comments[1][1].startswith("@Thomas")  # a reply marker opens a reply
    # two paragraphs with no blank line between them, the second carrying on with "And"
    assert comments[2][1].startswith("This is a waste") and comments[2][1].endswith("bridge.")
    assert comments[3][0] == "Kari N."  # an author shown as a name label


def test_transcript_editors_note_ends_the_last_turn_and_voices_split_comments():
    text = (FIX / "transcript-editors-note-comments.txt").read_text("utf-8")
    segs = kinds(text)
    turns = [sp for k, sp, _ in segs if k == "turn"]
    assert turns == ["Presenter", "Petra Holm", "Presenter", "Petra Holm"]
    last_turn = [body for k, _, body in segs if k == "turn"][-1]
    assert last_turn.endswith("the whole coast will stop.")
    assert ("note", None, "Editor's note: this interview was shortened for broadcast.") in segs
    comments = [body for k, _, body in segs if k == "comment"]
    assert len(comments) == 3  # no blank lines: each paragraph a voice, "But ..." carries on
    assert comments[1].endswith("as usual.")
    assert comments[2].startswith("Presenter should")  # a role word in prose is no turn


def test_a_note_inside_a_transcript_does_not_end_it():
    text = ("Host: Welcome back.\nGuest Name: Thank you.\n"
            "Editor's note: the guest asked us to withhold her town.\n"
            "Host: Where were you that night?\nGuest Name: At home.\n")
    assert [k for k, _, _ in kinds(text)] == ["turn", "turn", "note", "turn", "turn"]


def test_a_top_byline_is_not_end_matter():
    text = ("Bridge reopens\n\nBy Thomas Lind\n\nThe bridge reopened today.\n\n"
            "Traffic was light in the morning.\n")
    assert "comment" not in [k for k, _, _ in kinds(text)]


def test_seed_interview_structure(seed_interview):
    segs = kinds(seed_interview)
    turns = [sp for k, sp, _ in segs if k == "turn"]
    assert turns.count("Host") == 6 and turns.count("Alexander Dugin") == 6
    assert len(turns) == 12
    kinds_after = [k for k, _, _ in segs[segs.index(next(s for s in segs if s[0] == "note")):]]
    assert kinds_after == ["note", "note", "comment", "comment"]
    comments = [body for k, _, body in segs if k == "comment"]
    assert "Please vaporize Washington D.C." in comments[0]
    assert all("Please vaporize" not in body for k, _, body in segs if k == "turn")


def test_russian_translation_line_ends_the_transcript_and_comments_follow():
    text = ("Ведущий: Добрый вечер. Что будет дальше?\n"
            "Иван Петров: Переговоры зашли в тупик.\n"
            "Ведущий: Спасибо.\n"
            "Перевод с английского: Мария Сидорова\n\n\n"
            "Отличное интервью, спасибо!\n"
            "Не согласен ни с одним словом.\n"
            "Но слушать было интересно.\n")
    segs = kinds(text)
    assert [k for k, _, _ in segs] == ["turn", "turn", "turn", "note", "comment", "comment"]
    assert segs[-1][2].endswith("было интересно.")  # "Но ..." carries on the same voice
