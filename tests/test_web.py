"""The web app through FastAPI's test client: routes, the JSON API and its OpenAPI schema, the
upload limit (declared and streamed), the time limit, clear errors, headers, escaping.

The same app in a real browser is in tests/e2e; these run without one.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import warnings

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install '.[web]')")

import jsonschema

with warnings.catch_warnings():  # starlette 1.x would rather have httpx2; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from redline.document import Analysis, Document
from redline.schema import analysis_schema
from redline.web.app import BodyLimit, allowed_hosts_for, create_app

SAMPLE = "Host: Hello.\nIvan Petrov: We must wipe Kyiv off the map.\n"
XSS = '<script>alert(1)</script> "onerror=alert(1) </textarea><img src=x onerror=alert(1)>'
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def client():
    app = create_app(max_upload_bytes=LIMIT, timeout=60, warm_up=False)
    with TestClient(app) as c:
        yield c


def _check_analysis(data: dict) -> None:
    jsonschema.validate(data, analysis_schema())


# --- pages ----------------------------------------------------------------------------------


def test_home_page_has_the_form_and_strict_headers(client):
    r = client.get("/")
    assert r.status_code == 200
    assert '<form method="post" action="/report" enctype="multipart/form-data"' in r.text
    assert 'name="file" type="file"' in r.text and 'name="text"' in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "64.0 KB" in r.text  # the limit is shown


def test_report_from_pasted_text(client):
    r = client.post("/report", data={"text": SAMPLE, "lang": "auto", "title": "A title"})
    assert r.status_code == 200, r.text
    assert "wipe Kyiv off the map" in r.text and "<h1>A title</h1>" in r.text
    assert '<a href="/">← New analysis</a>' in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp
    assert r.headers["cache-control"] == "no-store"


def test_report_from_an_uploaded_file(client):
    files = {"file": ("speech.txt", SAMPLE.encode("cp1251"), "text/plain")}
    r = client.post("/report", files=files, data={"text": "", "lang": "en"})
    assert r.status_code == 200, r.text
    assert "source speech.txt" in r.text and "wipe Kyiv off the map" in r.text


def test_uploaded_html_and_one_line_jsonl(client):
    page = "<html><head><title>Page</title></head><body><p>" + SAMPLE + "</p></body></html>"
    r = client.post("/api/analyze", files={"file": ("page.html", page.encode(), "text/html")})
    assert r.status_code == 200, r.text
    assert "wipe Kyiv" in json.dumps(r.json()["findings"])
    line = json.dumps({"id": "d1", "text": SAMPLE, "title": "T"}) + "\n"
    r = client.post("/api/analyze", files={"file": ("one.jsonl", line.encode(), "")})
    assert r.status_code == 200, r.text
    assert r.json()["document"]["title"] == "T"


# --- JSON API -------------------------------------------------------------------------------


def test_api_json_body_returns_the_contract_object(client):
    r = client.post("/api/analyze", json={"text": SAMPLE, "lang": "en", "title": "T"})
    assert r.status_code == 200, r.text
    data = r.json()
    _check_analysis(data)
    assert data["schema"] == "redline/analysis@1"
    assert data["document"]["title"] == "T"
    [f] = [f for f in data["findings"] if f["action"] == "destroy"]
    assert (f["modality"], f["severity"]) == ("call", 8)


def test_api_multipart_file(client):
    r = client.post("/api/analyze", files={"file": ("t.md", SAMPLE.encode(), "text/markdown")})
    assert r.status_code == 200, r.text
    _check_analysis(r.json())
    assert r.json()["document"]["source"] == "t.md"


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400,
         "not valid JSON"),
        ({"json": {"txt": "x"}}, 422, "text: Field required"),
        ({"json": {"text": "   "}}, 422, "empty"),
        ({"json": {"text": "x", "lang": "fr"}}, 422, "lang"),
        ({"content": b"text", "headers": {"content-type": "text/plain"}}, 415, "Send JSON"),
        ({"files": {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}}, 422,
         "unsupported file type '.pdf'"),
        ({"files": {"file": ("a.txt", b"\x00\x01\x02\x03" * 200, "text/plain")}}, 422, "binary"),
        ({"files": {"file": ("a.txt", b"   \n", "text/plain")}}, 422, "empty"),
        ({"files": {"file": ("two.jsonl", b'{"text": "a b"}\n{"text": "c d"}\n', "")}}, 422,
         "holds 2 documents"),
        ({"files": {"file": ("bad.jsonl", b"{oops\n", "")}}, 422, "not valid JSON"),
        ({"data": {"text": "x"}, "files": {"file": ("a.txt", b"Hello there.", "text/plain")}},
         400, "not both"),
        ({"data": {"text": ""}}, 422, "Paste some text"),
    ],
)
def test_api_bad_input_gets_a_clear_message(client, kwargs, status, words):
    r = client.post("/api/analyze", **kwargs)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and words in detail
    assert "Traceback" not in r.text


def test_unknown_route_and_method(client):
    r = client.get("/nowhere")
    assert r.status_code == 404 and "There is no page here" in r.text
    assert client.get("/api/nowhere").json() == {"detail": "There is no page here."}
    assert client.get("/api/analyze").status_code == 405
    r = client.get("/report", follow_redirects=False)  # a reloaded report: nothing is stored
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_openapi_documents_both_bodies_and_the_analysis():
    app = create_app(warm_up=False)
    with TestClient(app) as c:
        schema = c.get("/openapi.json").json()
        op = schema["paths"]["/api/analyze"]["post"]
        assert set(op["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
        assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Analysis"}
        assert {"413", "422", "504"} <= set(op["responses"])
        assert schema["components"]["schemas"]["Analysis"]["required"]
        docs = c.get("/docs")
        assert docs.status_code == 200
        assert "/docs-static/swagger-ui-bundle.js" in docs.text
        assert "https://" not in docs.text  # no CDN
        assert c.get("/docs-static/swagger-ui-bundle.js").status_code == 200
        assert "/report" not in schema["paths"]  # the form target is a page, not API


# --- limits ---------------------------------------------------------------------------------


def test_declared_oversized_upload_gets_413(client):
    big = b"word " * (LIMIT // 4)
    r = client.post("/api/analyze", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413
    assert "over the limit of 64.0 KB" in r.json()["detail"]
    r = client.post("/report", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413 and "Upload too large" in r.text and "<form" in r.text


def test_streamed_oversized_body_without_length_gets_413(client):
    def chunks():
        for _ in range(LIMIT // 1024 + 10):
            yield b"x" * 1024

    r = client.post("/api/analyze", content=chunks(),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text


def test_body_limit_stops_reading_at_the_limit():
    """Past the limit the app is not fed another byte, and with no drain allowance the
    middleware reads nothing more either: the rest of the body is never received."""
    reads = 0
    total_chunks = 100

    async def receive():
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": reads < total_chunks}

    async def app(scope, receive_, send):
        while True:
            message = await receive_()
            if not message.get("more_body"):
                break
        raise AssertionError("the app read the whole body")

    sent = []

    async def send(message):
        sent.append(message)

    async def reject(scope):
        from starlette.responses import PlainTextResponse

        return PlainTextResponse("too large", status_code=413)

    middleware = BodyLimit(app, max_bytes=10 * 1024, reject=reject, drain_bytes=0)
    scope = {"type": "http", "method": "POST", "path": "/api/analyze", "headers": []}
    # a thread of its own: another test's browser may hold this thread's event loop
    worker = threading.Thread(target=asyncio.run, args=(middleware(scope, receive, send),))
    worker.start()
    worker.join(timeout=10)
    assert sent[0]["status"] == 413
    assert reads <= 12  # 11 chunks to pass 10 KB, then at most one more


def test_time_limit_gives_504_and_keeps_the_text():
    def slow(doc: Document, lang: str) -> Analysis:
        time.sleep(1.0)
        raise AssertionError("should have been abandoned")

    app = create_app(timeout=0.1, analyzer=slow, warm_up=False)
    with TestClient(app) as c:
        r = c.post("/api/analyze", json={"text": "Some words here."})
        assert r.status_code == 504
        assert "longer than the limit of 0.1 s" in r.json()["detail"]
        r = c.post("/report", data={"text": "Keep </textarea> me", "title": "T"})
        assert r.status_code == 504
        assert ">Keep &lt;/textarea&gt; me</textarea>" in r.text


def test_a_timed_out_analysis_is_stopped_and_the_next_request_is_served_at_once():
    """The one timing check of the suite (issue 19): a 504 used to leave the analysis running
    in the server's only worker, and the next requests waited for it."""
    def slow_then_fast(doc: Document, lang: str) -> Analysis:
        if doc.text.startswith("slow"):
            time.sleep(60)
        return Analysis(document=doc, version="test")

    app = create_app(timeout=2, analyzer=slow_then_fast, warm_up=False)
    with TestClient(app) as c:
        r = c.post("/api/analyze", json={"text": "slow words here."})
        assert r.status_code == 504
        assert "was stopped" in r.json()["detail"]
        started = time.monotonic()
        r = c.post("/api/analyze", json={"text": "Some words here."})
        assert r.status_code == 200
        assert time.monotonic() - started < 1.0


def test_analysis_failure_is_a_clear_500():
    def broken(doc: Document, lang: str) -> Analysis:
        raise ValueError("internal detail")

    app = create_app(analyzer=broken, warm_up=False)
    with TestClient(app) as c:
        r = c.post("/api/analyze", json={"text": "Some words here."})
        assert r.status_code == 500
        assert r.json() == {"detail": "The analysis failed (ValueError); please report this."}


def test_host_header_is_checked_when_bound_to_loopback():
    app = create_app(warm_up=False, allowed_hosts=allowed_hosts_for("127.0.0.1"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "attacker.example"}).status_code == 400
    assert allowed_hosts_for("0.0.0.0") is None


# --- hostile documents ----------------------------------------------------------------------


def test_hostile_text_title_and_file_name_are_escaped(client):
    r = client.post("/report", data={"text": f"Host: {XSS}\nGuest: {XSS}\n", "title": XSS})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    name = '<img src=x onerror=alert(1)>.txt'
    r = client.post("/report", files={"file": (name, f"Host: {XSS}\n".encode(), "text/plain")})
    assert r.status_code == 200
    assert "<img src=x" not in r.text and "&lt;img src=x onerror=alert(1)&gt;.txt" in r.text


def test_error_page_escapes_what_it_shows_again(client):
    name = '"><img src=x onerror=alert(1)>.pdf'
    r = client.post("/report", data={"text": "", "title": XSS},
                    files={"file": (name, b"data", "application/pdf")})
    assert r.status_code == 422
    assert "<img src=x" not in r.text and "<script>alert" not in r.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; &#34;onerror=alert(1)' in r.text
    r = client.post("/report", data={"text": XSS, "title": ""},
                    files={"file": ("a.txt", b"Hello there.", "text/plain")})
    assert r.status_code == 400
    assert r.text.count("</textarea>") == 1  # ours; the document's is escaped


def test_serve_command_is_wired(run_cli):
    result = run_cli("serve", "--help")
    assert result.exit_code == 0
    for option in ("--host", "--port", "--max-upload-mb", "--timeout"):
        assert option in result.stdout
    assert "127.0.0.1" in result.stdout


def test_serve_on_a_busy_port_says_so(run_cli):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", port)
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
