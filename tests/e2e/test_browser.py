"""The report and the web app in a real browser (Chromium through Playwright).

What a reader does, checked where it happens: open a report from disk and see it make no
network request at all; hover and focus a highlight and read the finding's tooltip; filter;
jump from the findings table to the text and back; use the keyboard; read it without
JavaScript and in print.  In the web app: paste text, upload a file, call the JSON API, read the
API docs offline, get 413 for an oversized upload.  A document full of script injection stays
inert in the report, the batch index and the app (no dialog opens, no element is injected).
The tests take the screenshots shown in the README (saved to docs/img/ when
REDLINE_SCREENSHOTS=1) and measure how long the report
of a 30,000-word transcript takes to open (printed; not asserted, machines differ).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from redline.document import Analysis, Document, Entity, Evidence, Finding, Participant, Segment
from redline.report.html import render_html

SAMPLE = "Host: Hello.\nIvan Petrov: We must wipe Kyiv off the map.\n"

PANEL = """\
Sunday Panel: After the Ceasefire

Host: Welcome back. Tonight we ask whether the ceasefire will survive the winter. With me are \
Ivan Petrov and Anna Berg.

Ivan Petrov: Let me be blunt. These traitors in Kyiv are parasites. If NATO sends more missiles, \
we will strike the depots in Poland. Either you are with us or you are against us. We must wipe \
Kyiv off the map, as everyone knows.

Anna Berg: That is exactly the language that prolongs this war. Russian forces shelled Kharkiv \
again last night, and they keep attacking the power grid.

Host: Mr Petrov, is a nuclear strike on the table?

Ivan Petrov: We do not intend to use nuclear weapons. But our great nation will defend itself.

(Editor's note: the guests spoke by video link.)

Anna Berg: Europe must impose a full blockade of the ports and seize the frozen assets. Nobody \
will invade anyone.

Host: We will leave it there. Thank you both.
"""

XSS = ('<script>alert("x1")</script> "onerror=alert(2) \'><img src=x onerror=alert(3)> '
       '<a href="javascript:alert(4)">link</a> </textarea><svg onload=alert(5)> '
       "</script><script>alert(6)</script> <!-- --> ]]>")
XSS_DOC = f"""\
{XSS} Debate

Host: Welcome {XSS} and javascript:alert(7) tonight.

<img src=x onerror=alert(8)>: hi there

Ivan Petrov: We must wipe Kyiv off the map. {XSS}

Host: Thank you. <iframe src="javascript:alert(9)"></iframe>
"""
# Functions, not expressions: Playwright evaluates a bare expression with eval(), which the
# report's Content-Security-Policy rightly forbids.
READY = "() => document.documentElement.dataset.ready === '1'"
INJECTED = """() => ({
  scripts: Array.from(document.scripts).map(s => s.id || ('inline:' + s.textContent.length)),
  imgs: document.querySelectorAll('img').length,
  frames: document.querySelectorAll('iframe, object, embed, svg script').length,
  handlers: Array.from(document.querySelectorAll('*')).filter(
    e => Array.from(e.attributes).some(a => a.name.toLowerCase().startsWith('on'))).length,
  jsLinks: Array.from(document.querySelectorAll('[href], [src], [action]')).filter(
    e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src')
                                   || e.getAttribute('action') || '')).length,
})"""

SPEAKERS = ("Host", "Ivan Petrov", "Anna Berg", "Oleg Sokolov", "Maria Lind", "Peter Hale")
PARAGRAPHS = (
    "Thank you for having me. I want to talk about the harvest, the schools in our region and the "
    "roads that were promised ten years ago and still have not been built. People here are tired "
    "of speeches; they want the heating to work in January and their pensions paid on time. When "
    "I travel between the villages I hear the same questions again and again, and I think the "
    "ministers should listen to them more carefully than they listen to the lobbyists in the "
    "capital.",
    "Let me be clear about the military situation. If the convoys keep coming, we will strike the "
    "depots in Poland. Our forces are ready and the commanders have their orders. Nobody should "
    "doubt our resolve, and nobody should mistake our patience for weakness. We have said this "
    "many times in public and in private, and we will keep saying it until somebody in Brussels "
    "finally understands what is at stake for the whole continent.",
    "I disagree completely. Russian forces shelled Kharkiv again last night, and the drones hit a "
    "hospital near the station. These are facts recorded by independent observers. The only way "
    "to a lasting peace is a withdrawal of troops and real negotiations under international "
    "supervision, not threats broadcast on television every evening to frighten the public into "
    "silence.",
    "We must wipe Kyiv off the map. That is what some commentators on our channels say every "
    "night, and I think we should quote them exactly so that viewers can judge for themselves. I "
    "do not share that view, but I report it, because the audience deserves to know what is being "
    "said in their name.",
    "The economy is the real story this year. Inflation has eaten the savings of ordinary "
    "families, and the central bank keeps changing its forecast. Small businesses in the north "
    "are closing, and young people are leaving for the cities or going abroad. We need a plan for "
    "investment in infrastructure, in training and in the hospitals, and we need it before the "
    "next winter arrives.",
    "Europe must impose a full blockade of the ports and seize the frozen assets. Sanctions alone "
    "have not changed the calculation in Moscow. At the same time we should keep every channel "
    "open for talks, because wars end at a table, and the sooner the parties sit down the fewer "
    "people will die in the meantime.",
    "We do not intend to use nuclear weapons, and I want that to be heard clearly in every "
    "capital. Our doctrine is defensive. But if the existence of the state is threatened, the "
    "response will be decisive, and everyone who plans an escalation should read our published "
    "documents carefully before making another mistake.",
    "Let us turn to the questions from the audience. A teacher from the south asks why the "
    "schools still lack textbooks, and a farmer asks about fuel prices before the sowing season. "
    "These questions matter as much as anything said tonight about armies and borders, and I "
    "would like each of our guests to answer them briefly.",
)
BIG_WORDS = 30_000


def big_transcript(words: int = BIG_WORDS) -> str:
    """A talk-show transcript of about ``words`` words: six speakers in turn, paragraphs that
    mix everyday politics with threats, calls, reports and denials."""
    parts, count, n = ["The Long Debate: a Transcript\n\n"], 0, 0
    while count < words:
        para = PARAGRAPHS[n % len(PARAGRAPHS)]
        parts.append(f"{SPEAKERS[n % len(SPEAKERS)]}: {para}\n\n")
        count += len(para.split()) + 1
        n += 1
    return "".join(parts)


# --- helpers ----------------------------------------------------------------------------------


def _report(tmp_path: Path, text: str, name: str = "report", **kwargs) -> tuple[Path, Analysis]:
    import redline

    analysis = redline.analyze(text, **kwargs)
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(analysis), encoding="utf-8")
    return path, analysis


def _only_local(urls: list[str]) -> list[str]:
    """The requests a report made that were not the file itself or inline data."""
    return [u for u in urls if not u.startswith(("file://", "data:"))]


def _the_finding(analysis: Analysis) -> Finding:
    f = next(f for f in analysis.findings if f.action == "destroy" and "Kyiv" in f.text)
    assert (f.modality, f.severity) == ("call", 8)
    return f


def _in_viewport(page, selector: str) -> bool:
    """The element is on screen and nothing (such as the sticky filter bar) covers it."""
    return page.evaluate("""(sel) => {
        const el = document.querySelector(sel), r = el.getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight) { return false; }
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit !== null && (hit === el || el.contains(hit));
    }""", selector)


def _assert_inert(watched) -> None:
    page = watched.page
    page.wait_for_timeout(250)  # give any injected timer or onerror a chance to fire
    assert watched.dialogs == [], watched.dialogs
    found = page.evaluate(INJECTED)
    assert found["imgs"] == 0 and found["frames"] == 0, found
    assert found["handlers"] == 0 and found["jsLinks"] == 0, found
    return found


# --- the report from disk --------------------------------------------------------------------


def test_report_tooltip_filters_links_and_keyboard(watched, tmp_path, docs_img):
    path, analysis = _report(tmp_path, PANEL, source="sunday-panel.txt")
    f = _the_finding(analysis)
    page = watched.page
    page.goto(path.as_uri())
    page.wait_for_function(READY)

    # highlight and tooltip (hover)
    mark = page.locator(f'.doc mark[data-f~="{f.id}"]').first
    assert "sev-4" in mark.get_attribute("class")  # severity 8 -> the 8-10 band
    mark.hover()
    tip = page.locator("#rl-tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    for expected in ("destroy", "call", "Ivan Petrov", "We → Kyiv", "8 / 10",
                     f"{f.confidence:.2f}"):
        assert expected in text, (expected, text)
    for ev in f.evidence:
        assert ev.why in text
    assert mark.get_attribute("aria-describedby") == "rl-tip"

    # the same tooltip from the keyboard: n moves to the next finding's badge
    page.mouse.move(0, 0)
    page.locator("h1").click()
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.classList.contains('badge')")
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.locator("h1").click()
    page.focus(f"#{f.id}")
    assert tip.is_visible() and "destroy" in tip.inner_text()

    # screenshots for the README: the text with a tooltip open, and the summary
    page.evaluate(f"document.getElementById('{f.id}').scrollIntoView({{block: 'center'}})")
    page.locator(f'.doc mark[data-f~="{f.id}"]').first.hover()
    page.screenshot(path=str(docs_img / "report.png"))
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(docs_img / "report-summary.png"))

    # table -> text -> table
    page.locator(f'#row-{f.id} a[href="#{f.id}"]').click()
    assert page.evaluate("location.hash") == f"#{f.id}"
    assert _in_viewport(page, f"#{f.id}")
    page.locator(f"#{f.id}").click()
    assert page.evaluate("location.hash") == f"#row-{f.id}"
    assert _in_viewport(page, f"#row-{f.id}")

    # filters: minimum severity, then speaker
    rows = page.locator("tr[data-f]")
    assert rows.count() == len(analysis.findings)
    page.select_option("#rl-filters select[name=severity]", "9")
    shown = [r.get_attribute("data-f") for r in rows.all() if r.is_visible()]
    assert shown == [x.id for x in analysis.findings if x.severity >= 9]
    assert "f-off" in page.locator(f"#{f.id}").get_attribute("class")
    assert "f-off" in mark.get_attribute("class")
    page.select_option("#rl-filters select[name=severity]", "0")
    page.select_option("#rl-filters select[name=speaker]", label="Anna Berg")
    shown = [r.get_attribute("data-f") for r in rows.all() if r.is_visible()]
    assert shown == [x.id for x in analysis.findings if x.speaker == "Anna Berg"]
    assert f.id not in shown
    ivan = page.locator('.doc .seg[data-speaker="Ivan Petrov"]').first
    assert "dim" in ivan.get_attribute("class")
    assert "Showing" in page.inner_text("#rl-count")
    page.click("#rl-filters button[type=reset]")
    page.wait_for_function(  # a function, not an expression: the CSP forbids eval
        "(n) => document.querySelectorAll('tr[data-f]:not([hidden])').length === n",
        arg=len(analysis.findings))

    # the technique filter, when the detectors found techniques
    if analysis.techniques:
        name = analysis.techniques[0].technique
        page.select_option("#rl-filters select[name=technique]", name)
        shown_t = [r.get_attribute("data-t") for r in page.locator("tr[data-t]").all()
                   if r.is_visible()]
        assert shown_t == [t.id for t in analysis.techniques if t.technique == name]

    # print: the controls go, the text and tables stay
    page.emulate_media(media="print")
    assert not page.locator("#rl-filters").is_visible()
    assert page.locator(f"#row-{f.id}").is_visible()
    page.emulate_media(media="screen")

    assert watched.errors == []
    assert watched.requests and _only_local(watched.requests) == []


def test_report_reads_without_javascript(browser, tmp_path):
    path, analysis = _report(tmp_path, SAMPLE)
    f = _the_finding(analysis)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    assert page.locator(f'.doc mark[data-f~="{f.id}"]').is_visible()
    assert page.locator(f"#row-{f.id}").is_visible()
    assert not page.locator("#rl-filters").is_visible()  # controls that would do nothing
    title = page.get_attribute(f"#{f.id}", "title")  # the native tooltip
    assert "severity 8" in title and "destroy" in title
    page.locator(f'#row-{f.id} a[href="#{f.id}"]').click()
    assert page.evaluate("location.hash") == f"#{f.id}"
    assert _only_local(requests) == []
    context.close()


def _hostile_analysis() -> Analysis:
    speaker = "<img src=x onerror=alert(10)>"
    text = f"{speaker}: We must wipe {XSS} off the map.\n"
    start = text.index("We must")
    end = text.index(" off the map") + len(" off the map")
    analysis = Analysis(document=Document(text=text, title=XSS, source=f"{XSS}.txt"),
                        version="test")
    analysis.segments = [Segment("s1", "turn", 0, len(text) - 1, speaker=speaker)]
    analysis.entities = [Entity("e1", XSS, "PLACE", aliases=[XSS], mentions=[(start, start + 2)])]
    analysis.findings = [Finding(
        start=start, end=end, text=text[start:end], action="destroy", modality="call",
        severity=8, confidence=0.9, evidence=[Evidence(start, end, text[start:end], XSS)],
        actor=Participant(XSS, entity="e1"), targets=[Participant(XSS, entity="e1")],
        id="f1", segment="s1", speaker=speaker,
    )]
    return analysis


def test_hostile_documents_stay_inert_in_the_report(watched, tmp_path, run_cli):
    page = watched.page
    # an analysis with script in every field: text, title, source, speaker, entity, evidence
    path = tmp_path / "hostile.html"
    path.write_text(render_html(_hostile_analysis()), encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_function(READY)
    page.locator(".doc mark").first.hover()
    assert "onerror=alert(10)" in page.inner_text("#rl-tip")  # shown as text
    page.focus("#f1")
    for option in page.locator("#rl-filters select[name=speaker] option").all():
        page.select_option("#rl-filters select[name=speaker]", option.get_attribute("value"))
    found = _assert_inert(watched)
    assert found["scripts"][0] == "rl-data" and len(found["scripts"]) == 2
    assert XSS in page.inner_text("h1")

    # the real pipeline, through the CLI, with hostile file names in a batch and its index
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ('<img src=x onerror=alert(11)>.txt', '"><svg onload=alert(12)>.md'):
        (folder / name).write_text(XSS_DOC, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("analyze", folder, "--format", "html", "--out", f"{out}/")
    assert result.exit_code == 0, result.stderr
    page.goto((out / "index.html").as_uri())
    _assert_inert(watched)
    assert page.locator("table.index tbody tr").count() == 2
    page.locator("table.index tbody a").first.click()
    page.wait_for_function(READY)
    for mark in page.locator(".doc mark").all():
        mark.hover()
    _assert_inert(watched)
    assert "alert(8)" in page.inner_text(".doc")  # the payloads are there, as text
    assert watched.errors == []
    assert _only_local(watched.requests) == []


def test_30k_word_report_open_time(watched, tmp_path, capsys):
    """The figure asked for: how long the report of a 30,000-word transcript takes to open."""
    import redline

    text = big_transcript()
    t0 = time.perf_counter()
    analysis = redline.analyze(text, source="long-debate.txt")
    analysed = time.perf_counter() - t0
    page_html = render_html(analysis)
    path = tmp_path / "long.html"
    path.write_text(page_html, encoding="utf-8")
    page = watched.page
    t0 = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(READY)
    opened = time.perf_counter() - t0
    timing = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                fcp: fcp ? fcp.startTime : null};
    }""")
    t0 = time.perf_counter()
    page.select_option("#rl-filters select[name=severity]", "8")
    filtered = time.perf_counter() - t0
    words = len(text.split())
    with capsys.disabled():
        print(
            f"\n[30k-word report] {words:,} words, {len(analysis.findings)} findings, "
            f"{len(analysis.techniques)} techniques, {len(analysis.segments)} segments, "
            f"{len(page_html.encode()) / 1e6:.2f} MB; analysed in {analysed:.1f} s; "
            f"opened in {opened:.2f} s (first paint {timing['fcp'] or 0:.0f} ms, "
            f"DOMContentLoaded {timing['dcl']:.0f} ms, load {timing['load']:.0f} ms); "
            f"a filter applied in {filtered * 1000:.0f} ms"
        )
    assert words >= BIG_WORDS
    assert _only_local(watched.requests) == []


# --- the web app ------------------------------------------------------------------------------


def _same_origin(urls: list[str], origin: str) -> list[str]:
    return [u for u in urls if not u.startswith((origin + "/", "data:"))]


def test_app_paste_and_upload_give_a_report(watched, app_server, docs_img):
    page, url = watched.page, app_server.url
    page.goto(url + "/")
    page.fill("#text", PANEL)
    page.fill("#title", "Sunday Panel")
    page.evaluate("document.getElementById('text').scrollTop = 0; document.activeElement.blur()")
    page.screenshot(path=str(docs_img / "app.png"))
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.inner_text("h1") == "Sunday Panel"
    page.wait_for_function(READY)  # CSP let it run
    badge = page.locator(".doc .badge").first
    badge.focus()
    assert page.locator("#rl-tip").is_visible()

    page.goto(url + "/")
    page.set_input_files("#file", files=[{"name": "sample.txt", "mimeType": "text/plain",
                                          "buffer": SAMPLE.encode("utf-8")}])
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "source sample.txt" in page.inner_text("header")
    page.wait_for_function(READY)
    mark = page.locator(".doc mark").first
    mark.hover()
    assert "destroy" in page.inner_text("#rl-tip")
    page.click("text=← New analysis")
    assert page.locator("#text").is_visible()
    assert watched.errors == []
    assert _same_origin(watched.requests, url) == []


def test_app_json_api_and_docs(watched, app_server):
    page, url = watched.page, app_server.url
    r = page.request.post(url + "/api/analyze",
                          data=json.dumps({"text": SAMPLE, "lang": "en", "title": "T"}),
                          headers={"content-type": "application/json"})
    assert r.status == 200
    data = r.json()
    assert data["schema"] == "redline/analysis@1" and data["document"]["title"] == "T"
    assert any(f["action"] == "destroy" and f["severity"] == 8 for f in data["findings"])
    r = page.request.post(url + "/api/analyze", multipart={
        "file": {"name": "s.md", "mimeType": "text/markdown", "buffer": SAMPLE.encode()},
        "lang": "auto"})
    assert r.status == 200 and r.json()["document"]["source"] == "s.md"
    r = page.request.post(url + "/api/analyze", data=b"{", headers={
        "content-type": "application/json"})
    assert r.status == 400 and "not valid JSON" in r.json()["detail"]

    page.goto(url + "/docs")
    # Swagger UI, rendered from the app's own copy of its files
    page.wait_for_selector('.opblock-summary-path[data-path="/api/analyze"]')
    assert _same_origin(watched.requests, url) == []


def test_app_oversized_upload_gets_413(watched, app_server):
    page, url = watched.page, app_server.url
    big = b"word " * (app_server.max_upload_bytes // 5 + 50_000)  # about 250 KB over
    page.goto(url + "/")
    page.set_input_files("#file", files=[{"name": "big.txt", "mimeType": "text/plain",
                                          "buffer": big}])
    with page.expect_response(lambda r: r.url == url + "/report") as response:
        page.click("button[type=submit]")
    assert response.value.status == 413
    page.wait_for_load_state()
    assert "Upload too large (HTTP 413)" in page.inner_text("#error")
    assert "over the limit of 1.0 MB" in page.inner_text("#error")
    r = page.request.post(url + "/api/analyze", multipart={
        "file": {"name": "big.txt", "mimeType": "text/plain", "buffer": big}})
    assert r.status == 413 and "over the limit of 1.0 MB" in r.json()["detail"]
    r = page.request.post(url + "/api/analyze", data=json.dumps({"text": big.decode()}),
                          headers={"content-type": "application/json"})
    assert r.status == 413


def test_app_hostile_input_stays_inert(watched, app_server):
    page, url = watched.page, app_server.url
    page.goto(url + "/")
    page.fill("#text", XSS_DOC)
    page.fill("#title", XSS)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_function(READY)
    assert page.inner_text("h1") == " ".join(XSS.split())
    for mark in page.locator(".doc mark").all():
        mark.hover()
    _assert_inert(watched)

    page.goto(url + "/")
    page.set_input_files("#file", files=[{"name": '"><img src=x onerror=alert(13)>.txt',
                                          "mimeType": "text/plain",
                                          "buffer": XSS_DOC.encode()}])
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "onerror=alert(13)" in page.inner_text("header")
    _assert_inert(watched)

    # an error page shows the pasted text again, in the textarea, as text
    page.goto(url + "/")
    page.fill("#text", XSS_DOC)
    page.set_input_files("#file", files=[{"name": "<svg onload=alert(14)>.pdf",
                                          "mimeType": "application/pdf", "buffer": b"%PDF"}])
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "not both" in page.inner_text("#error")
    assert page.input_value("#text") == XSS_DOC
    _assert_inert(watched)
    assert watched.errors == []
