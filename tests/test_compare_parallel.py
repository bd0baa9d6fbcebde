"""A real speech and its official translation: Putin's interview to Tucker Carlson (kremlin.ru).

The two texts are bundled in tests/fixtures/parallel/ (CC BY 4.0, see its README). The agreement
figure is a floor measured on 2026-11-27: the suite fails if a change makes the Russian and
English analyses drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from redline.cli import main
from redline.document import Evidence, Finding
from redline.eval.compare import align

PAIR = Path(__file__).resolve().parent / "fixtures" / "parallel"
AGREEMENT_FLOOR = 0.78  # measured 0.82 (27 of 33 findings)


@pytest.fixture(scope="module")
def report() -> str:
    result = CliRunner().invoke(main, ["compare", str(PAIR / "carlson-2024.ru.txt"),
                                       str(PAIR / "carlson-2024.en.txt")])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_interview_and_its_translation_agree(report):
    m = re.search(r"agreement: (\d+) of (\d+) findings", report)
    assert m, report
    agreeing, total = int(m.group(1)), int(m.group(2))
    assert total >= 25  # the interview speaks of strikes, invasions, sabotage and killings
    assert agreeing / total >= AGREEMENT_FLOOR, report


def test_the_readme_gives_the_measured_agreement(report):
    """README's figure is this run's (issue 19: it had drifted to an older count)."""
    m = re.search(r"agreement: (\d+) of (\d+) findings \((\d+)%\)", report)
    readme = " ".join((PAIR.parents[2] / "README.md").read_text("utf-8").split())
    assert f"agree on {m.group(1)} of {m.group(2)} findings ({m.group(3)}%)" in readme


def test_the_report_shows_both_sides(report):
    assert "(ru)" in report and "(en)" in report
    assert "Северный поток" in report and "Nord Stream" in report


def _finding(start: int, action: str = "military_attack") -> Finding:
    return Finding(start=start, end=start + 1, text="x", action=action, modality="report",
                   severity=6, confidence=0.7, evidence=[Evidence(start, start + 1, "x", "t")])


def test_alignment_pairs_only_findings_at_the_same_place():
    left = [_finding(10), _finding(900)]
    right = [_finding(905)]
    # without positions the first finding would take the only partner
    assert align(left, right).pairs[0] == (left[0], right[0])
    bounded = align(left, right, sizes=(1000, 1000))
    assert (left[1], right[0]) in bounded.pairs and (left[0], None) in bounded.pairs
