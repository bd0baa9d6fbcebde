"""Telegram Desktop exports, .srt and .vtt subtitles, and JSONL metadata as documents.

Every reader must give a document text whose offsets mean what they say: the analysis of a
Telegram message or a subtitle file reports spans that are exact slices of that text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redline.document import Document
from redline.engine import analyze_document
from redline.errors import InputError
from redline.ingest import iter_documents
from redline.ingest.subtitles import cues_to_text, parse_cues
from redline.ingest.telegram import count_messages, message_text

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _items(paths: list[Path]) -> list[Document | InputError]:
    return list(iter_documents([str(p) for p in paths]))


def _assert_spans_exact(doc: Document) -> None:
    analysis = analyze_document(doc, lang="en")
    for f in analysis.findings:
        assert doc.text[f.start:f.end] == f.text
        for ev in f.evidence:
            assert doc.text[ev.start:ev.end] == ev.text
    for e in analysis.entities:
        assert all(0 <= s < t <= len(doc.text) for s, t in e.mentions)


# --- Telegram -----------------------------------------------------------------------------------

def test_message_text_joins_rich_text_parts():
    assert message_text("plain") == "plain"
    assert message_text(["a ", {"type": "bold", "text": "b"}, " c", 5]) == "a b c"
    assert message_text(None) == ""


def test_telegram_export_gives_one_document_per_text_message():
    docs = _items([CORPUS / "telegram" / "result.json"])
    assert all(isinstance(d, Document) for d in docs)
    # service message and the photo without a caption are left out
    assert [d.meta["telegram_message_id"] for d in docs] == [2, 3, 5, 6]
    first, rich, forwarded, threat = docs
    assert first.text == "We must strike the bridges of Kyiv tomorrow."
    assert rich.text == ("Breaking: NATO held a meeting in Brussels today. Read more: "
                         "https://example.org/a")
    assert threat.text == "If they cross the line, we will wipe #Kyiv off the map."
    assert first.meta["date"] == "2022-01-15T10:30:00"
    assert first.meta["speaker"] == "Example Front Dispatch"
    assert first.source == first.meta["source"] == "Example Front Dispatch"
    assert first.id == "telegram:1001234567:2"
    assert forwarded.meta["telegram_forwarded_from"] == "Another Example Channel"
    assert threat.meta["telegram_reply_to_message_id"] == 2
    assert count_messages(CORPUS / "telegram" / "result.json") == 4


def test_telegram_offsets_refer_to_the_joined_text():
    docs = _items([CORPUS / "telegram" / "result.json"])
    threat = docs[-1]
    analysis = analyze_document(threat, lang="en")
    [finding] = analysis.findings
    assert finding.action == "destroy"
    assert threat.text[finding.start:finding.end] == finding.text
    _assert_spans_exact(docs[0])


def test_full_account_export_reads_every_chat(tmp_path):
    export = {"about": "x", "chats": {"list": [
        {"name": "A", "type": "personal_chat", "id": 1,
         "messages": [{"id": 1, "type": "message", "date": "2024-05-01T10:00:00",
                       "from": "Alice", "text": "Hello there."}]},
        {"name": "B", "type": "public_channel", "id": 2,
         "messages": [{"id": 7, "type": "message", "date": "2024-05-02T10:00:00",
                       "text": [{"type": "italic", "text": "Good"}, " morning."]}]},
    ]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), "utf-8")
    docs = _items([path])
    assert [(d.text, d.meta["speaker"], d.source) for d in docs] == [
        ("Hello there.", "Alice", "A"), ("Good morning.", "B", "B")]


@pytest.mark.parametrize(("content", "problem"), [
    ('{"name": "x"}', "not a Telegram Desktop export"),
    ("[1, 2]", "not a Telegram Desktop export"),
    ("{not json", "not valid JSON"),
    ('{"messages": [{"id": 1, "type": "service", "text": ""}]}', "no messages with text"),
])
def test_bad_telegram_exports_are_one_clear_error(tmp_path, content, problem):
    path = tmp_path / "result.json"
    path.write_text(content, "utf-8")
    [err] = _items([path])
    assert isinstance(err, InputError)
    assert problem in str(err) and str(path) in str(err)


def test_analyze_reads_a_telegram_export(run_cli):
    result = run_cli("analyze", CORPUS / "telegram" / "result.json", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) == 4
    assert docs[0]["document"]["date"] == "2022-01-15T10:30:00"


# --- subtitles ----------------------------------------------------------------------------------

def test_srt_cues_are_joined_and_cleaned():
    [doc] = _items([CORPUS / "interview.srt"])
    assert doc.text == (
        "Good evening. Tonight we talk about the war.\n"
        "- Will you strike Kyiv?\n"
        "- We must destroy the government quarter in Kyiv. That is what we will do.\n\n"
        "Thank you & good night."
    )
    cues = doc.meta["cues"]
    assert [c[2:] for c in cues] == [[1.0, 3.5], [3.6, 6.0], [6.1, 8.0], [12.0, 14.0]]
    assert doc.text[cues[2][0]:cues[2][1]] == "That is what we will do."
    assert doc.meta["encoding"] == "utf-8"
    _assert_spans_exact(doc)


def test_vtt_voices_become_speaker_turns():
    [doc] = _items([CORPUS / "briefing.vtt"])
    assert doc.text == (
        "Host: Welcome to the briefing. General, what comes next?\n\n"
        "Ivan Petrov: We will strike the bridges of Kyiv if they do not surrender. "
        "NATO & the EU will not stop us."
    )
    analysis = analyze_document(doc, lang="en")
    assert [(s.kind, s.speaker) for s in analysis.segments] == [
        ("turn", "Host"), ("turn", "Ivan Petrov")]
    [finding] = analysis.findings
    assert finding.speaker == "Ivan Petrov" and finding.modality == "threat"
    for start, end, t0, t1 in doc.meta["cues"]:
        assert 0 <= start < end <= len(doc.text) and t0 <= t1


def test_rolling_captions_are_kept_once():
    vtt = ("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nwe will not\n\n"
           "00:00:02.000 --> 00:00:04.000\nwe will not\nback down\n\n"
           "00:00:04.000 --> 00:00:06.000\nback down\never\n")
    text, spans = cues_to_text(parse_cues(vtt))
    assert text == "we will not back down ever"
    assert len(spans) == 3


def test_srt_in_windows_1251_and_crlf(tmp_path):
    srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nМы должны защитить Киев.\r\n\r\n"
    path = tmp_path / "ru.srt"
    path.write_bytes(srt.encode("cp1251"))
    [doc] = _items([path])
    assert doc.text == "Мы должны защитить Киев."
    assert doc.meta["encoding"] != "utf-8"


def test_subtitle_without_cues_is_an_error(tmp_path):
    path = tmp_path / "empty.vtt"
    path.write_text("WEBVTT\n\nNOTE nothing here\n", "utf-8")
    [err] = _items([path])
    assert isinstance(err, InputError) and "no subtitle cues" in str(err)


def test_analyze_reads_subtitles(run_cli):
    result = run_cli("analyze", CORPUS / "briefing.vtt")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["findings"][0]["speaker"] == "Ivan Petrov"


# --- JSONL metadata -----------------------------------------------------------------------------

def test_jsonl_metadata_is_kept():
    docs = _items([CORPUS / "speeches.jsonl"])
    first, last = docs[0], docs[-1]
    assert {k: first.meta[k] for k in ("date", "speaker", "source", "country", "lang")} == {
        "date": "2023-01-05", "speaker": "Ivan Petrov", "source": "Example TV",
        "country": "RUS", "lang": "en"}
    assert last.meta["year"] == 2023 and "date" not in last.meta
