"""The HTML report without a browser: escaping, valid nesting of overlapping spans, a page that
fetches nothing, byte-for-byte determinism, and the CLI wiring (--format html, index.html).

The browser tests (tests/e2e) prove the same page behaves in Chromium; these pin the markup
itself, fast and on every machine.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from redline.document import (
    Analysis,
    Document,
    Entity,
    Evidence,
    Finding,
    Participant,
    Segment,
    Technique,
)
from redline.report.html import (
    MAX_CHART_LINES,
    highlight,
    index_entry,
    render_html,
    render_index,
    report_csp,
    script_json,
)

XSS = '<script>alert(1)</script>"onerror=alert(1) \'><img src=x onerror=alert(1)></textarea>'
VOID = {"meta", "br", "input", "img", "hr", "link", "area", "base", "col", "embed", "source",
        "track", "wbr"}
# every element the report may contain; anything else would be injected
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "nav", "h1", "h2", "h3", "p",
    "ul", "li", "main", "section", "div", "span", "strong", "q", "table", "thead", "tbody", "tr",
    "th", "td", "br", "figure", "figcaption", "svg", "desc", "line", "text", "g", "polyline",
    "circle", "rect", "polygon", "form", "label", "select", "option", "button", "output", "kbd",
    "article", "aside", "mark", "script", "code", "ol", "details", "summary", "input",
}


class Page(HTMLParser):
    """Collects tags and attributes and checks that every end tag closes the open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._script: list[str] | None = None
        self.text_by_id: dict[str, list[str]] = {}
        self._capture: list[tuple[str, int]] = []  # (segment id, depth) being captured
        self._skip_depth: int | None = None  # inside a badge or a segment header

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        self.tags.append((tag, attrs_d))
        if tag in VOID:
            return
        self.stack.append(tag)
        cls = (attrs_d.get("class") or "").split()
        if tag == "script":
            self._script = []
        if "seg-text" in cls or "gap" in cls:
            key = "gap" if "gap" in cls else (self._current_seg or "?")
            self._capture.append((key, len(self.stack)))
        if self._capture and self._skip_depth is None and ({"badge", "tbadge"} & set(cls)):
            self._skip_depth = len(self.stack)
        if tag in ("section", "aside", "article") and attrs_d.get("id"):
            self._current_seg = attrs_d["id"]

    _current_seg: str | None = None

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        if self._skip_depth == len(self.stack):
            self._skip_depth = None
        if self._capture and self._capture[-1][1] == len(self.stack):
            self._capture.pop()
        self.stack.pop()
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        if self._capture and self._skip_depth is None:
            self.text_by_id.setdefault(self._capture[-1][0], []).append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert parser.stack == [], parser.stack
    return parser


def _analysis(text: str, segments, findings=(), techniques=(), entities=(), **doc) -> Analysis:
    analysis = Analysis(document=Document(text=text, **doc), version="0.0-test")
    analysis.segments = list(segments)
    analysis.entities = list(entities)
    for n, f in enumerate(findings, start=1):
        f.id = f.id or f"f{n}"
        seg = analysis.segment_at(f.start)
        f.segment, f.speaker = (seg.id, seg.speaker) if seg else (None, None)
    for n, t in enumerate(techniques, start=1):
        t.id = t.id or f"t{n}"
        seg = analysis.segment_at(t.start)
        t.segment = seg.id if seg else None
    analysis.findings = list(findings)
    analysis.techniques = list(techniques)
    return analysis


def _finding(text: str, start: int, end: int, severity: int = 8, action: str = "destroy",
             modality: str = "call", why: str = "a reason") -> Finding:
    return Finding(
        start=start, end=end, text=text[start:end], action=action, modality=modality,
        severity=severity, confidence=0.8,
        evidence=[Evidence(start, end, text[start:end], why)],
        actor=Participant("We"), targets=[Participant(text[start:end])],
    )


def _technique(text: str, start: int, end: int, name: str = "loaded_language",
               why: str = "charged words") -> Technique:
    return Technique(technique=name, start=start, end=end, text=text[start:end], confidence=0.6,
                     why=why)


# --- escaping -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> Analysis:
    speaker = "<img src=x onerror=alert(1)>"
    text = f"{speaker}: We must wipe {XSS} off the map. javascript:alert(1) </script><!--\n"
    end = len(text) - 1
    start = text.index("We must")
    f_end = text.index(" off the map") + len(" off the map")
    entity = Entity(id="e1", name=XSS, type="PLACE", aliases=[XSS, "</style>"],
                    mentions=[(start, start + 2)])
    finding = _finding(text, start, f_end, why=XSS)
    finding.actor = Participant(XSS, entity="e1")
    finding.targets = [Participant(XSS, entity="e1")]
    tech = _technique(text, start, end, name="loaded_language", why=XSS)
    return _analysis(
        text, [Segment("s1", "turn", 0, end, speaker=speaker)], [finding], [tech], [entity],
        title=XSS, source=f"/tmp/{XSS}.txt",
    )


def test_hostile_text_is_escaped_everywhere(hostile):
    page = render_html(hostile)
    for raw in ("<script>alert", "<img src=x", "</textarea>", "<!--\n"):
        assert raw not in page
    markup = re.sub(r'<script type="application/json" id="rl-data">.*?</script>', "", page,
                    flags=re.S)
    assert '"onerror=alert(1)' not in markup  # a quote that would end an attribute
    parsed = parse(page)
    names = {tag for tag, _ in parsed.tags}
    assert names <= ALLOWED_TAGS, names - ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("href", "src", "action", "formaction", "xlink:href"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text/html", "vbscript:")), attrs
    assert len(parsed.scripts) == 2  # our data block and our script, nothing else
    # the document text survives intact, as text
    assert "".join(parsed.text_by_id["s1"]) == hostile.text[: hostile.segments[0].end]


def test_script_data_is_inert_json(hostile):
    page = render_html(hostile)
    block = re.search(r'<script type="application/json" id="rl-data">(.*?)</script>', page, re.S)
    assert block is not None
    raw = block.group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    assert data["findings"][0]["evidence"][0][1] == XSS
    assert data["techniques"][0]["why"] == XSS
    assert data["speakers"][0] == "<img src=x onerror=alert(1)>"


def test_script_json_escapes_closing_sequences():
    out = str(script_json({"a": "</script><!-- & \u2028"}))
    assert "</" not in out and "<!--" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == {"a": "</script><!-- & \u2028"}


# --- nesting and content ----------------------------------------------------------------------


def test_overlapping_findings_and_techniques_nest_validly():
    text = "Speaker: one two three four five six seven eight nine ten.\n"
    n = text.index
    seg = Segment("s1", "turn", 0, len(text) - 1, speaker="Speaker")
    findings = [
        _finding(text, n("two"), n("six") + 3, severity=6, action="military_attack"),
        _finding(text, n("four"), n("nine") + 4, severity=9, action="mass_violence"),
        _finding(text, n("four"), n("four") + 4, severity=3, action="coerce"),  # nested inside
    ]
    techniques = [
        _technique(text, n("one"), n("five") + 4),
        _technique(text, n("three"), n("ten") + 3, name="appeal_to_fear"),
    ]
    analysis = _analysis(text, [seg], findings, techniques)
    page = render_html(analysis)
    parsed = parse(page)  # raises on any crossing tag
    assert "".join(parsed.text_by_id["s1"]) == text[: seg.end]
    # every character of each span is covered by elements naming it, and nothing else is
    body = page[page.index('<article class="doc"'):page.index("</article>\n</section>")]
    for item in findings + techniques:
        attr = "data-f" if isinstance(item, Finding) else "data-t"
        pattern = rf'<(mark|span)[^>]*{attr}="[^"]*\b{item.id}\b[^"]*"[^>]*>(.*?)</\1>'
        covered = "".join(re.sub(r"<[^>]+>", "", m.group(2)) for m in re.finditer(pattern, body))
        assert covered == item.text, (item.id, covered)
    # the piece under three findings takes the highest severity's band
    assert re.search(r'<mark class="hl sev-4[^"]*" data-f="f2 f3"', page) or \
        re.search(r'<mark class="hl sev-4[^"]*" data-f="f\d f\d f\d"', page)


def test_highlight_without_spans_is_escaped_text():
    assert str(highlight("a <b> & c", 0, 9, [])) == "a &lt;b&gt; &amp; c"


def test_every_segment_kind_and_gaps_are_shown():
    parts = [("title", "The Title"), ("intro", "An intro."), ("turn", "Host: Hello."),
             ("note", "(Translator's note: from Russian.)"), ("heading", "2 comments"),
             ("comment", "Great debate."), ("body", "Closing words.")]
    text, segments, pos = "", [], 0
    for n, (kind, words) in enumerate(parts, start=1):
        text += words + "\n\nReply\n\n"
        speaker = "Host" if kind == "turn" else ("Maria" if kind == "comment" else None)
        segments.append(Segment(f"s{n}", kind, pos, pos + len(words), speaker=speaker))
        pos = len(text)
    page = render_html(_analysis(text, segments))
    parsed = parse(page)
    assert '<aside class="seg k-note" id="s4"' in page  # notes set apart
    assert '<article class="seg k-comment" id="s6" data-speaker="Maria"' in page
    assert 'data-speaker="Host"' in page and 'aria-label="turn by Host"' in page
    assert "".join(parsed.text_by_id["gap"]).count("Reply") == len(parts)  # text between segments


def test_summary_tables_and_chart(hostile):
    text = "".join(f"Speaker {i}: We must strike them.\n" for i in range(MAX_CHART_LINES + 3))
    segments, findings, pos = [], [], 0
    for i, line in enumerate(text.splitlines(keepends=True)):
        segments.append(Segment(f"s{i + 1}", "turn", pos, pos + len(line) - 1,
                                speaker=f"Speaker {i}"))
        start = pos + line.index("We")
        findings.append(_finding(text, start, start + len("We must strike them"),
                                 severity=i % 11, action="military_attack"))
        pos += len(line)
    analysis = _analysis(text, segments, findings)
    page = render_html(analysis)
    parse(page)
    assert page.count("<polyline") == MAX_CHART_LINES  # the rest share one line
    assert "4 other speakers" in page
    assert page.count('class="pt"') == len(findings)
    assert 'role="img"' in page and "<desc id=\"chart-desc\">" in page
    assert "Highest severity: <span class=\"badge sev-4\" aria-hidden=\"true\">10</span>" in page


def test_no_findings_reads_cleanly():
    text = "Just a calm paragraph about the weather.\n"
    page = render_html(_analysis(text, [Segment("s1", "body", 0, len(text) - 1)]))
    parse(page)
    assert "No findings." in page and "nothing to chart" in page


# --- self-contained, CSP, determinism ---------------------------------------------------------


def test_report_fetches_nothing(hostile):
    text = "Host: see https://example.com/x.png and <img src=https://evil.example/p.gif>\n"
    analysis = _analysis(text, [Segment("s1", "turn", 0, len(text) - 1, speaker="Host")],
                         source="https://example.com/page.html", title="http://t.example")
    page = render_html(analysis)
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#"), (tag, attrs)
    assert "@import" not in page and "url(" not in page.split("</style>")[0]
    # the URLs in the text appear only as escaped text
    assert "https://example.com/x.png" in page
    assert "&lt;img src=https://evil.example/p.gif&gt;" in page


def test_csp_pins_the_inline_style_and_script(hostile):
    page = render_html(hostile)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None and csp.group(1) == report_csp()
    assert "default-src 'none'" in csp.group(1) and "unsafe-inline" not in csp.group(1)
    assert page.index("Content-Security-Policy") < page.index("<style>")
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    for body in (style, script):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1)


def test_same_analysis_same_bytes(hostile):
    assert render_html(hostile) == render_html(hostile)


def test_real_analysis_is_deterministic_and_shows_the_finding():
    import redline

    text = "Host: Hello.\nIvan Petrov: We must wipe Kyiv off the map.\n"
    first = redline.analyze(text, source="t.txt")
    second = redline.analyze(text, source="t.txt")
    page = render_html(first)
    assert page == render_html(second)
    parse(page)
    [f] = [f for f in first.findings if f.action == "destroy"]
    assert f.severity == 8 and f.modality == "call"
    assert f'<a class="badge sev-4" id="{f.id}" href="#row-{f.id}"' in page
    assert f'<tr id="row-{f.id}" data-f="{f.id}">' in page
    assert f'<a href="#{f.id}" aria-label="Show finding {f.id} in the text">' in page


# --- index page and CLI -----------------------------------------------------------------------


def test_index_sorted_by_max_severity_and_escaped(hostile):
    calm = _analysis("Calm words.\n", [Segment("s1", "body", 0, 11)], source="calm.txt")
    text = "Host: We must strike.\n"
    mid = _analysis(text, [Segment("s1", "turn", 0, len(text) - 1, speaker="Host")],
                    [_finding(text, 6, 20, severity=6)], source="mid.txt")
    entries = [index_entry(calm, "calm.html"), index_entry(hostile, "x<y>.html"),
               index_entry(mid, "mid.html")]
    page = render_index(entries)
    parsed = parse(page)
    hrefs = [a.get("href") for tag, a in parsed.tags if tag == "a"]
    assert hrefs == ["x%3Cy%3E.html", "mid.html", "calm.html"]
    assert "<script" not in page and "<img src=x" not in page


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("html")
    (root / "calm.txt").write_text("Host: Good evening.\nGuest: Thank you, lovely weather.\n",
                                   encoding="utf-8")
    (root / "threat.txt").write_text(
        "Host: Hello.\nIvan Petrov: We must wipe Kyiv off the map.\n", encoding="utf-8")
    (root / "index.txt").write_text("Host: A document called index.\n", encoding="utf-8")
    return root


def test_cli_html_to_a_file_and_to_stdout(run_cli, docs, tmp_path):
    target = tmp_path / "report.html"
    result = run_cli("analyze", docs / "threat.txt", "--format", "html", "--out", target)
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "wipe Kyiv off the map" in page
    result = run_cli("analyze", docs / "threat.txt", "--format", "html")
    assert result.exit_code == 0 and result.stdout == page


def test_cli_html_for_several_documents_needs_a_folder(run_cli, docs):
    result = run_cli("analyze", docs, "--format", "html")
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--out DIR/" in lines[0]
    assert result.stdout == ""


def test_cli_html_folder_writes_reports_and_index(run_cli, docs, tmp_path):
    out = tmp_path / "reports"
    result = run_cli("analyze", docs, "--format", "html", "--out", f"{out}/")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["calm.html", "index-2.html", "index.html", "threat.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    parse(index)
    order = [m.group(1) for m in re.finditer(r'<th scope="row"><a href="([^"]+)">', index)]
    assert order[0] == "threat.html"  # most severe first
    assert set(order) == {"calm.html", "index-2.html", "threat.html"}


def test_cli_html_one_file_holding_several_documents(run_cli, tmp_path):
    """A Telegram export is one file but many documents: one page cannot hold them."""
    messages = [
        {"id": n, "type": "message", "date": f"2022-01-1{n}T10:00:00", "from": "Channel",
         "text": text, "text_entities": [{"type": "plain", "text": text}]}
        for n, text in ((1, "We must strike the bridges of Kyiv."), (2, "Calm news today."))
    ]
    export = tmp_path / "result.json"
    export.write_text(json.dumps({"name": "Channel", "type": "public_channel", "id": 1,
                                  "messages": messages}), encoding="utf-8")
    result = run_cli("analyze", export, "--format", "html", "--out", tmp_path / "one.html")
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--out DIR/" in lines[0]
    result = run_cli("analyze", export, "--format", "html", "--out", f"{tmp_path / 'many'}/")
    assert result.exit_code == 0, result.stderr
    assert len(list((tmp_path / "many").glob("*.html"))) == 3  # two reports and the index


# --- reading order and headline (issue 18) ---------------------------------------------------


def _modal_analysis() -> Analysis:
    sentences = [("negated", 10), ("report", 9), ("prediction", 9), ("question", 9),
                 ("proposal", 6), ("call", 7), ("threat", 5), ("prediction", 4)]
    text = "".join(f"Speaker: Sentence {n} about force.\n" for n in range(len(sentences)))
    segments, findings, pos = [], [], 0
    for n, line in enumerate(text.splitlines(keepends=True)):
        segments.append(Segment(f"s{n + 1}", "turn", pos, pos + len(line) - 1, speaker="Speaker"))
        start = pos + line.index("Sentence")
        modality, severity = sentences[n]
        findings.append(_finding(text, start, start + len(f"Sentence {n}"), severity=severity,
                                 modality=modality))
        pos += len(line)
    return _analysis(text, segments, findings)


def test_headline_shows_stances_then_predictions_never_negated():
    from redline.report.html import report_context

    head = report_context(_modal_analysis())["headline"]
    assert [(h["modality"], h["severity"]) for h in head] == [
        ("call", 7), ("proposal", 6), ("threat", 5), ("prediction", 9), ("prediction", 4)]


def test_headline_names_an_entity_actor_not_a_pronoun():
    """'The United States is preparing an invasion' is that country's plan, not the speaker's:
    the headline line says whose; 'we' is the speaker's side and is left unsaid."""
    analysis = _modal_analysis()
    analysis.findings[4].actor = Participant("The United States", entity="e1")
    page = render_html(analysis)
    assert "proposal by The United States — Speaker" in page
    assert "call by" not in page


def test_text_comes_before_the_tables_and_long_tables_fold():
    from redline.report.html import ROWS_SHOWN

    analysis = _modal_analysis()
    entities = [Entity(f"e{n}", f"Place {n}", "PLACE", mentions=[(0, 7)])
                for n in range(1, ROWS_SHOWN + 3)]
    analysis.entities = entities
    page = render_html(analysis)
    parse(page)
    order = [page.index(mark) for mark in ('id="h-summary"', '<article class="doc"',
                                           'class="panel"', 'id="findings"', 'id="h-entities"')]
    assert order == sorted(order)
    assert page.count('<li data-pf="') == len(analysis.findings)
    folded = re.findall(r'<tr id="ent-e\d+" class="more">', page)
    assert len(folded) == len(entities) - ROWS_SHOWN
    assert 'id="more-entities"' in page and 'id="more-findings"' not in page
