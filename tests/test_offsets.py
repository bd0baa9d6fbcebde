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

PARAGRAPH = (
    "Alexander Dugin: The West has chosen escalation, and Kiev receives new weapons every week. "
    "If NATO strikes Russian territory, Moscow will respond, and the response will be "
    "devastating — Washington knows it. We must destroy the bridges over the Dnieper.\n"
    "Host: Kaja Kallas said in Brussels that Estonia will not be intimidated. Your answer?\n"
)


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
    unit = PARAGRAPH.replace("\n", "\r\n") + "\U0001d518 e\u0301\u00a0\u200d Киев.\r\n"
    text = unit * (200_000 // len(unit) + 1)
    assert len(text) >= 200_000
    analysis = redline.analyze(text, lang="en")
    check_analysis(analysis, text)
    turns = [s for s in analysis.segments if s.kind == "turn"]
    assert {s.speaker for s in turns} >= {"Alexander Dugin", "Host"}


# --- the shipped contract checker -----------------------------------------------------------


def _documents() -> list[Path]:
    found = sorted((REPO / "examples").glob("*.txt")) + sorted((REPO / "tests" / "fixtures")
                                                              .glob("*.txt"))
    return found


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
