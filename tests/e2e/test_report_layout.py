"""The report's reading order in a real browser (issue 18): the annotated text first, the findings
panel beside it on a desktop and above it on a phone, the long tables after the text and folded
beyond their first rows. Run on the user's own document, ../shared/seed/interview.txt (skipped
where it is absent); with REDLINE_SCREENSHOTS=1 the screenshots go to docs/img/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from redline.report.html import ROWS_SHOWN, render_html

READY = "document.documentElement.getAttribute('data-ready') === '1'"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def seed_report(seed_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    import redline

    analysis = redline.analyze(seed_path.read_text("utf-8"), source="interview.txt")
    path = tmp_path_factory.mktemp("seed") / "interview.html"
    path.write_text(render_html(analysis), encoding="utf-8")
    return path, analysis


def _box(page: Any, selector: str) -> dict[str, float]:
    return page.evaluate("""(sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        const y = window.scrollY;
        return {top: r.top + y, left: r.left, right: r.right, bottom: r.bottom + y};
    }""", selector)


def _open(browser: Any, path: Path, viewport: dict[str, int]) -> tuple[Any, Any]:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function(READY)
    return context, page


def test_desktop_text_first_panel_beside_tables_after(browser, seed_report, docs_img):
    path, analysis = seed_report
    context, page = _open(browser, path, DESKTOP)
    doc, panel = _box(page, "article.doc"), _box(page, "aside.panel")
    assert doc["top"] < DESKTOP["height"]  # the text starts on the first screen
    assert panel["left"] >= doc["right"] and panel["top"] < DESKTOP["height"]  # beside it
    for later in ("#findings", "#h-entities", "#h-speakers", "#h-chart"):
        assert _box(page, later)["top"] > doc["bottom"], later
    # the headline: stances first, never a negated act
    items = page.locator(".headline li a.badge").all()
    ids = [a.get_attribute("href")[1:] for a in items]
    by_id = {f.id: f for f in analysis.findings}
    assert ids and all(by_id[i].modality in ("call", "threat", "proposal", "prediction")
                       for i in ids)
    modalities = [by_id[i].modality for i in ids]
    assert modalities[0] != "prediction"
    assert modalities == sorted(modalities, key=lambda m: m == "prediction")
    # long tables fold after the first rows; a link to a folded row opens its table
    rows = page.locator("#h-entities ~ .table-wrap tbody tr")
    assert rows.count() == len(analysis.entities) > ROWS_SHOWN
    assert sum(r.is_visible() for r in rows.all()) == ROWS_SHOWN
    page.locator("#more-entities").check()
    assert sum(r.is_visible() for r in rows.all()) == len(analysis.entities)
    last = analysis.findings[-1].id
    assert not page.locator(f"#row-{last}").is_visible()
    page.locator(f"#{last}").click()  # the badge in the text links to its row
    assert page.locator(f"#row-{last}").is_visible()
    # the panel lists every finding and follows the filters
    assert page.locator(".plist li").count() == len(analysis.findings)
    page.select_option("#rl-filters select[name=severity]", "9")
    shown = [li.get_attribute("data-pf") for li in page.locator(".plist li").all()
             if li.is_visible()]
    assert shown == [f.id for f in sorted(analysis.findings, key=lambda f: f.start)
                     if f.severity >= 9]
    page.click("#rl-filters button[type=reset]")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(docs_img / "report-seed-desktop.png"))
    context.close()


def test_phone_panel_above_the_text_and_nothing_overflows(browser, seed_report, docs_img):
    path, _ = seed_report
    context, page = _open(browser, path, PHONE)
    doc, panel = _box(page, "article.doc"), _box(page, "aside.panel")
    assert panel["bottom"] <= doc["top"]  # above the text
    assert doc["top"] < 3 * PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _box(page, "#h-entities")["top"] > doc["bottom"]
    page.screenshot(path=str(docs_img / "report-seed-phone.png"))
    context.close()
