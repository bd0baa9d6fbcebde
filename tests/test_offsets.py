"""Offsets keep the contract whatever the text: code points of the newline-normalised text.

Property tests feed `redline.analyze` text mixing CRLF and lone CR, speaker-like labels, astral
characters, combining marks, Cyrillic, NBSP and zero-width joiners, and check every span of the
result.  The shipped contract checker (../shared/tools/check_contract.py) is run on the
analysis of every example and fixture when it is present.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import redline
from redline.ingest.encoding import decode_bytes

REPO = Path(__file__).resolve().parents[1]
CHECKER = Path(__file__).parents[1] / ".." / "shared" / "tools" / "check_contract.py"

# One exchange of a long interview: a question, then a long answer (about 2 KB).
QUESTION = "Host: Kaja Kallas said in Brussels that Estonia will not be intimidated. Your answer?\n"
ANSWER = (
    "Alexander Dugin: The West has chosen escalation, and Kiev receives new weapons every week. "
    "If NATO strikes Russian territory, Moscow will respond, and the response will be "
    "devastating \u2014 Washington knows it. We must destroy the bridges over the Dnieper. "
    "Nobody in Europe wants to hear this, but the Oreshnik test was a message, and it was "
    "understood in London and in Paris. \U0001d518nity of the West is a myth; Zelenskyy decides "
    "nothing. \u041a\u0438\u0435\u0432 \u2014 e\u0301\u00a0\u200d\U0001f600.\n"
    "The sanctions have failed. Our economy grows, our army grows, and our patience is not "
    "endless. I do not see how a wider conflict can be avoided if the weapons keep coming. "
) * 4 + "\n"
EXCHANGE = QUESTION + ANSWER


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_analysis(analysis, original: str) -> None:
    """Every span of ``analysis`` keeps the contract's invariants against ``original``."""
    text = normalise(original)
    n = len(text)
    assert analysis.document.text == text
    data = analysis.to_dict()
    assert data["document"]["length"] == n

    def span(obj, where):
        s, e = obj["start"], obj["end"]
        assert isinstance(s, int) and isinstance(e, int), where
        assert 0 <= s <= e <= n, f"{where}: {s}..{e} outside 0..{n}"
        if obj.get("text") is not None:
            assert text[s:e] == obj["text"], f"{where}: {obj['text']!r} != {text[s:e]!r}"

    segments = data["segments"]
    last_end = 0
    for seg in segments:
        span(seg, f"segment {seg['id']}")
        assert seg["start"] >= last_end, f"segment {seg['id']} overlaps or is out of order"
        last_end = seg["end"]
    by_id = {seg["id"]: seg for seg in segments}

    for ent in data["entities"]:
        for s, e in ent["mentions"]:
            span({"start": s, "end": e}, f"entity {ent['id']} ({ent['name']})")
            assert s < e

    def inside(obj, where):
        seg = by_id.get(obj.get("segment"))
        assert seg is not None, f"{where}: unknown segment {obj.get('segment')!r}"
        assert seg["start"] <= obj["start"] and obj["end"] <= seg["end"], where

    for f in data["findings"]:
        where = f"finding {f['id']}"
        span(f, where)
        inside(f, where)
        for ev in f["evidence"]:
            span(ev, f"{where} evidence")
        for part in [f.get("actor") or {}, *f.get("targets", [])]:
            if part.get("start") is not None:
                span(part, f"{where} participant")
    for t in data["techniques"]:
        span(t, f"technique {t['id']}")
        inside(t, f"technique {t['id']}")


# --- property tests -------------------------------------------------------------------------

PIECES = [
    "\n", "\r\n", "\r", "\n\n", ":", ": ", " ", "  ", "\t", "\u00a0", "\u200d", "\u200b",
    "𝔘", "😀", "👍🏽", "e\u0301", "й", "ё", "\ufeff",
    "Host: ", "Guest:", "Alexander Dugin: ", "Ведущий: ", "В.Путин: ", "Q: ", "A:",
    "Translator's note: ", "3 comments\n", "Reply\n", "2 hours ago\n", "# ",
    "Kyiv", "Kiev", "Киев", "Москва", "Putin", "NATO", "Zelenskyy", "Путина",
    "we will strike", "destroy", "nuclear", "не ", "Президент заявил", ".", ",", "?", "—", "«", "»",
]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ "
                         "абвгдежзиклмнопрстуфхцчшщыэюяАБВГДЕЖЗИКЛМНОПРСТ\n\r:.,",
                max_size=30)
TEXTS = st.lists(st.one_of(WORDS, st.sampled_from(PIECES)), max_size=40).map("".join)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(TEXTS)
@example("")
@example("\r\n")
@example("x")
@example("\r")
@example("Host: Hi.\r\nGuest: Hello.\rHost: 😀 e\u0301 bye.\r\n")
@example("Ведущий: Добрый вечер.\r\nВ.Путин: Спасибо.\r\nВедущий: Киев?\r\nВладимир Путин: Нет.")
def test_offsets_english(text):
    check_analysis(redline.analyze(text, lang="en"), text)


@PROPERTY_SETTINGS
@given(TEXTS)
@example("")
@example("\r\n")
@example("x")
@example("Ведущий: Добрый вечер.\r\nВ.Путин: Москва и Киев.\r\nВедущий: 😀\u200d😀")
def test_offsets_auto(text):
    check_analysis(redline.analyze(text, lang="auto"), text)


def test_offsets_on_a_200_kb_transcript():
    unit = EXCHANGE.replace("\n", "\r\n")
    text = unit * (200_000 // len(unit) + 1)
    assert len(text) >= 200_000
    analysis = redline.analyze(text, lang="en")
    check_analysis(analysis, text)
    speakers = {s.speaker for s in analysis.segments if s.kind == "turn"}
    assert speakers == {"Alexander Dugin", "Host"}


def test_structure_of_many_short_turns_is_fast():
    code = ("from redline.structure import parse_structure\n"
            "segs = parse_structure('Alexander Dugin: Yes.\\nHost: Why?\\n' * 1000)\n"
            "assert len(segs) == 2000, len(segs)\n")
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=4, cwd=REPO, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("parse_structure took over 4 s on a 32 KB transcript")
    assert proc.returncode == 0, proc.stderr


def test_token_with_a_nameless_letter_does_not_crash():
    text = "Он сказал \U00017000Москва вчера."
    check_analysis(redline.analyze(text, lang="ru"), text)


# --- the shipped contract checker -----------------------------------------------------------


def _documents() -> list[Path]:
    fixtures = REPO / "tests" / "fixtures"
    found = [*sorted((REPO / "examples").glob("*.txt")), *sorted(fixtures.glob("*.txt")),
             *sorted(p for p in fixtures.glob("*.md") if p.name != "README.md")]
    return found


def test_offsets_on_an_html_page(kremlin_pages):
    """Offsets refer to the text extracted from the page (the Document's text)."""
    from redline.engine import analyze_document
    from redline.ingest import iter_documents

    page = kremlin_pages / "kremlin-en-52834.html"
    [doc] = list(iter_documents([str(page)]))
    text = doc.text
    analysis = analyze_document(doc)
    check_analysis(analysis, text)
    assert analysis.segments


@pytest.mark.parametrize("path", _documents(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_contract_checker(path, run_cli, tmp_path):
    if not CHECKER.is_file():
        pytest.skip("../shared/tools/check_contract.py is not present (a clean clone)")
    out = tmp_path / "analysis.json"
    result = run_cli("analyze", path, "--format", "json", "--out", out)
    assert result.exit_code == 0, result.stderr
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        reference = path
    except UnicodeDecodeError:  # the checker reads UTF-8: give it the decoded text
        reference = tmp_path / "reference.txt"
        reference.write_text(decode_bytes(raw)[0], encoding="utf-8", newline="")
    proc = subprocess.run([sys.executable, str(CHECKER), str(out), "--text", str(reference)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 violations" in proc.stdout
