"""The corpus browser of the web app: /corpus, /corpus/{id} and their JSON under /api/corpus.

The corpus is a tiny SQLite file written with the store API `redline ingest` uses (analysis ->
`analysis_rows` -> `Store.write`): three analysed documents, one of them hostile, plus copies of
the quiet one under other keys and dates so that the list has two pages.
"""

from __future__ import annotations

import re
import warnings

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install '.[web]')")
pytest.importorskip("sqlalchemy", reason="the corpus extra is not installed")

with warnings.catch_warnings():  # starlette 1.x would rather have httpx2; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from redline.document import Document
from redline.store.db import DatabaseError
from redline.store.rows import analysis_rows, document_key
from redline.store.writer import Store
from redline.web.app import create_app

EVIL = "<script>alert(1)</script>"
FILLERS = 52  # 3 + 52 = 55 documents: two pages of 50


def _write(store: Store, doc: Document) -> None:
    from redline.engine import analyze_document

    assert store.write(analysis_rows(analyze_document(doc, lang="en"), document_key(doc)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    from redline.engine import analyze_document

    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    store = Store(str(path))
    try:
        _write(store, Document(
            text=f"{EVIL}\nIvan Petrov: If they attack, we will wipe Kyiv off the map. {EVIL}",
            title=EVIL, source="evil.jsonl",
            meta={"date": "2021-05-01", "speaker": EVIL, "url": "javascript:alert(1)"}))
        _write(store, Document(
            text="We must strike the bridges of Kyiv tomorrow. They are lying, as always, the "
                 "traitors!", title="Threat", source="threat.jsonl",
            meta={"date": "2023-03-01", "speaker": "Ivan Petrov"}))
        quiet = Document(text="The talks in Warsaw went well and trade will grow.",
                         title="Quiet", source="quiet.jsonl",
                         meta={"date": "2024-01-02", "speaker": "Maria Example"})
        rows = analysis_rows(analyze_document(quiet, lang="en"), document_key(quiet))
        assert store.write(rows)
        for i in range(FILLERS):  # the quiet document again, as other (older) documents
            doc = dict(rows["documents"][0], doc_key=f"filler{i:02d}", title=f"Filler {i:02d}",
                       date=f"2019-02-{i % 28 + 1:02d}", day=f"2019-02-{i % 28 + 1:02d}",
                       month="2019-02", year=2019)
            assert store.write({**rows, "documents": [doc]})
    finally:
        store.close()
    return str(path)


@pytest.fixture(scope="module")
def client(corpus):
    with TestClient(create_app(timeout=60, warm_up=False, db=corpus)) as c:
        yield c


@pytest.fixture(scope="module")
def bare():
    with TestClient(create_app(timeout=60, warm_up=False)) as c:
        yield c


def _ids(client, **params) -> dict[str, int]:
    data = client.get("/api/corpus", params=params).json()
    return {d["title"]: d["id"] for d in data["documents"]}


# --- the list ---------------------------------------------------------------------------------


def test_list_sorted_by_severity_by_default(client):
    r = client.get("/api/corpus")
    assert r.status_code == 200
    data = r.json()
    assert (data["sort"], data["page"], data["per_page"], data["total"], data["pages"]) == (
        "severity", 1, 50, 3 + FILLERS, 2)
    docs = data["documents"]
    assert len(docs) == 50
    assert [d["title"] for d in docs[:3]] == [EVIL, "Threat", "Quiet"]
    assert [d["max_severity"] for d in docs[:3]] == [8, 6, 0]
    severities = [d["max_severity"] for d in docs]
    assert severities == sorted(severities, reverse=True)
    first = docs[0]
    assert (first["speaker"], first["date"], first["language"], first["n_findings"]) == (
        EVIL, "2021-05-01", "en", 1)
    assert first["words"] > 5


def test_list_sorted_by_date_and_paginated(client):
    page1 = client.get("/api/corpus", params={"sort": "date"}).json()
    page2 = client.get("/api/corpus", params={"sort": "date", "page": 2}).json()
    titles = [d["title"] for d in page1["documents"]]
    assert titles[:3] == ["Quiet", "Threat", EVIL]
    dates = [d["date"] for d in page1["documents"] + page2["documents"]]
    assert dates == sorted(dates, reverse=True)
    assert len(page2["documents"]) == 3 + FILLERS - 50
    ids = [d["id"] for d in page1["documents"] + page2["documents"]]
    assert len(set(ids)) == 3 + FILLERS  # every document once across the pages


def test_list_page_html(client):
    r = client.get("/corpus")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    assert "unsafe-inline" not in csp
    rows = re.findall(r'<a href="/corpus/(\d+)">([^<]*)</a>', r.text)
    assert len(rows) == 50
    assert [t for _, t in rows[:3]] == ["&lt;script&gt;alert(1)&lt;/script&gt;", "Threat",
                                        "Quiet"]
    assert "Page 1 of 2" in r.text and 'href="/corpus?sort=severity&amp;page=2"' in r.text
    # the trends by year: 2019 (fillers), 2021, 2023, 2024
    trends = r.text.split('id="trends"')[1]
    assert [y for y in ("2019", "2021", "2023", "2024") if f"<td>{y}</td>" in trends] == [
        "2019", "2021", "2023", "2024"]
    last = client.get("/corpus", params={"sort": "date", "page": 2})
    assert last.status_code == 200 and "Page 2 of 2" in last.text and "rel=\"prev\"" in last.text


def test_trends_in_json(client):
    trends = {t["group"]: t for t in client.get("/api/corpus").json()["trends"]}
    assert set(trends) == {"2019", "2021", "2023", "2024"}
    assert (trends["2019"]["documents"], trends["2019"]["findings"]) == (FILLERS, 0)
    assert (trends["2021"]["threat_documents"], trends["2021"]["max_severity"]) == (1, 8)
    assert trends["2023"]["threat_rate"] == 1.0


@pytest.mark.parametrize("params", [{"sort": "title"}, {"page": 0}, {"page": "x"}])
def test_bad_sort_or_page_is_422(client, params):
    assert client.get("/api/corpus", params=params).status_code == 422
    r = client.get("/corpus", params=params)
    assert r.status_code == 422 and 'role="alert"' in r.text


def test_page_past_the_end_is_404(client):
    r = client.get("/api/corpus", params={"page": 3})
    assert r.status_code == 404 and "2 pages" in r.json()["detail"]
    assert client.get("/corpus", params={"page": 3}).status_code == 404


# --- one document -----------------------------------------------------------------------------


def test_document_page_has_metadata_findings_and_techniques(client):
    doc_id = _ids(client)["Threat"]
    r = client.get(f"/corpus/{doc_id}")
    assert r.status_code == 200
    assert "script-src 'none'" in r.headers["content-security-policy"]
    html = r.text
    assert "Ivan Petrov" in html and "2023-03-01" in html and "threat.jsonl" in html
    findings = html.split('id="findings"')[1].split("</table>")[0]
    assert "military_attack" in findings and "call" in findings
    assert '<td class="num">6</td>' in findings
    assert "We must strike the bridges of Kyiv" in findings
    assert findings.count("<li>") >= 1  # the evidence's why's
    techniques = html.split('id="techniques"')[1].split("</table>")[0]
    assert "name_calling" in techniques
    assert 'href="/corpus"' in html  # back to the list


def test_document_json_in_document_order(client):
    doc_id = _ids(client)["Threat"]
    r = client.get(f"/api/corpus/{doc_id}")
    assert r.status_code == 200
    data = r.json()
    doc = data["document"]
    assert (doc["id"], doc["title"], doc["speaker"], doc["max_severity"]) == (
        doc_id, "Threat", "Ivan Petrov", 6)
    assert doc["meta"]["speaker"] == "Ivan Petrov"  # decoded from its JSON text
    f = data["findings"][0]
    assert (f["action"], f["modality"], f["severity"], f["conditional"]) == (
        "military_attack", "call", 6, False)
    assert 0 < f["confidence"] <= 1
    assert doc["text"][f["start_char"]:f["end_char"]] == f["text"]
    assert f["evidence"] and all(e["why"] for e in f["evidence"])
    assert [t["technique"] for t in data["techniques"]] == ["name_calling"]
    starts = [x["start_char"] for x in data["findings"]]
    assert starts == sorted(starts)


def test_document_without_findings(client):
    r = client.get(f"/corpus/{_ids(client)['Quiet']}")
    assert r.status_code == 200 and "No findings." in r.text and "No techniques." in r.text


@pytest.mark.parametrize("doc_id", ["999999", "0", "abc", "1e3", "99999999999999999999999"])
def test_unknown_document_is_404(client, doc_id):
    r = client.get(f"/api/corpus/{doc_id}")
    assert r.status_code == 404
    assert "no document" in r.json()["detail"]
    page = client.get(f"/corpus/{doc_id}")
    assert page.status_code == 404 and "no document" in page.text
    assert "script-src 'none'" in page.headers["content-security-policy"]


def test_unknown_document_name_is_escaped(client):
    r = client.get("/corpus/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code == 404 and EVIL not in r.text


# --- hostile documents ------------------------------------------------------------------------


def test_hostile_document_is_escaped_everywhere(client):
    doc_id = _ids(client)[EVIL]
    for path in ("/corpus", "/corpus?sort=date", f"/corpus/{doc_id}"):
        r = client.get(path)
        assert r.status_code == 200
        assert "<script" not in r.text.lower(), path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    detail = client.get(f"/corpus/{doc_id}").text
    assert 'href="javascript' not in detail  # the document's URL is text, not a link
    assert "javascript:alert(1)" in detail
    # no resource from anywhere: no src= at all, links only to this app
    for html in (detail, client.get("/corpus").text):
        assert " src=" not in html
        assert all(h.startswith("/") for h in re.findall(r'href="([^"]*)"', html))
    data = client.get(f"/api/corpus/{doc_id}").json()
    assert data["document"]["title"] == EVIL  # the JSON keeps the text as it is


# --- configuration ----------------------------------------------------------------------------


def test_home_links_to_the_corpus_only_when_configured(client, bare):
    assert 'href="/corpus"' in client.get("/").text
    assert 'href="/corpus"' not in bare.get("/").text


@pytest.mark.parametrize("path", ["/corpus", "/corpus/1", "/corpus?sort=date&page=2"])
def test_no_corpus_configured_is_a_friendly_404(bare, path):
    r = bare.get(path)
    assert r.status_code == 404
    assert "No corpus is configured" in r.text and "--db" in r.text
    api = bare.get("/api" + path)
    assert api.status_code == 404 and "No corpus is configured" in api.json()["detail"]


def test_missing_database_file_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="no such database"):
        create_app(warm_up=False, db=str(tmp_path / "missing.db"))


def test_the_corpus_is_opened_read_only(client, corpus):
    import hashlib
    from pathlib import Path

    before = hashlib.sha256(Path(corpus).read_bytes()).hexdigest()
    for path in ("/corpus", "/api/corpus?sort=date&page=2", "/corpus/1", "/api/corpus/2"):
        assert client.get(path).status_code == 200
    assert hashlib.sha256(Path(corpus).read_bytes()).hexdigest() == before
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    engine = client.app.state.corpus_engine  # the app's own handle refuses writes
    with engine.begin() as conn, pytest.raises(OperationalError, match="readonly"):
        conn.execute(text("DELETE FROM documents"))


def test_openapi_documents_the_corpus_endpoints(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/corpus", "/api/corpus/{doc_id}"):
        op = spec["paths"][path]["get"]
        assert op["summary"] and "404" in op["responses"]
        assert "$ref" in str(op["responses"]["200"])
    params = {p["name"] for p in spec["paths"]["/api/corpus"]["get"]["parameters"]}
    assert params == {"sort", "page"}
    assert "/corpus" not in spec["paths"]  # the pages are not API


def test_serve_refuses_a_missing_database(run_cli, tmp_path):
    result = run_cli("serve", "--port", "0", "--db", str(tmp_path / "nope.db"))
    assert result.exit_code == 2
    assert "no such database" in result.stderr
