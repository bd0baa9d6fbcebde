"""The local web app: paste or upload a document, read its report; a JSON API beside it.

Routes, and why they are laid out so:

    GET  /                    the form (paste text or upload a .txt/.md/.html/.jsonl file)
    POST /report              the form's target: the same self-contained report as
                              ``redline analyze --format html``
    POST /api/analyze         JSON ``{"text", "lang", "title"}`` or a multipart ``file``
                              -> the ``redline/analysis@1`` object
    GET  /api/health          liveness and version
    GET  /docs, /openapi.json the API documentation, served from local files (no CDN)
    GET  /corpus              with ``--db``: the corpus's documents (``?sort=severity|date``,
                              ``?page=``, 50 a page) and its trends by year
    GET  /corpus/{doc_id}     one stored document: metadata, findings, techniques
    GET  /api/corpus, /api/corpus/{doc_id}   the same as JSON

Pages people read live at the top level and machine endpoints under ``/api/``.  The corpus is
opened read-only (see `redline.web.corpus`); without ``--db`` its pages answer 404 saying so.

Safety, because documents are hostile and the app runs on someone's own machine:

* it binds 127.0.0.1 unless told otherwise (see ``redline serve``), and can check the Host
  header against a list (``allowed_hosts``) so that a web page cannot reach it by DNS
  rebinding;
* request bodies are limited while they stream in (`BodyLimit`): a ``Content-Length`` over the
  limit is refused at once, and a body without one (chunked) is counted as it arrives and
  refused as soon as it passes the limit -- never read whole first;
* each analysis runs in a worker thread under a time limit -> 504 with a clear message.
  Python cannot stop a thread, so an abandoned analysis finishes in the background; there is
  one worker, so a runaway document delays the next request instead of piling up threads
  (spaCy is not promised to be thread-safe either);
* every error is one clear sentence (an HTML page for the form, ``{"detail": ...}`` for the API),
  never a stack trace;
* every response carries a strict Content-Security-Policy; a report gets the report's own
  hash-pinned policy, the form page allows its inline style and nothing else.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi_offline import FastAPIOffline
from markupsafe import Markup
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline import __version__
from redline.document import Analysis, Document
from redline.errors import InputError, printable
from redline.ingest.readers import (
    JSONL_SUFFIXES,
    SUPPORTED_SUFFIXES,
    _document_from_bytes,
    _read_jsonl,
    human_size,
)
from redline.report.html import csp_hash, render_html, report_csp

log = logging.getLogger("redline.web")

DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0
LANGS = (("auto", "Identify it"), ("en", "English"), ("ru", "Russian"))
LANG_CODES = tuple(code for code, _ in LANGS)
PASTED = "pasted text"  # the source name of text typed or pasted into the form
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
_HERE = Path(__file__).resolve().parent

Analyzer = Callable[[Document, str], Analysis]


class AnalyzeRequest(BaseModel):
    """The JSON body of ``POST /api/analyze``."""

    text: str = Field(description="The document text (newlines are normalised to \\n).")
    lang: Literal["auto", "en", "ru"] = Field("auto", description="auto identifies it.")
    title: str | None = Field(None, description="A title for the document.")
    source: str | None = Field(None, description="Where it came from (a file name, a URL).")


NO_CORPUS = ("No corpus is configured: start the app with `redline serve --db corpus.db` (or set "
             "$REDLINE_DB) to browse a corpus made by `redline ingest`.")
SortParam = Annotated[Literal["severity", "date"], Query(
    description="severity: highest finding severity first (then newest); date: newest first")]
PageParam = Annotated[int, Query(ge=1, le=1_000_000,
                                 description="Page number, 50 documents a page")]


class CorpusDocument(BaseModel):
    """One row of the corpus list (columns of the ``documents`` table, docs/schema.md)."""

    id: int = Field(description="documents.id: the document's address, /corpus/{id}")
    external_id: str | None
    title: str | None
    source: str | None
    date: str | None
    speaker: str | None
    language: str | None
    words: int
    n_findings: int
    max_severity: int = Field(description="Highest finding severity, 0 if none")


class YearTrend(BaseModel):
    """One year of `redline trends --by year`."""

    group: str = Field(description="The year, or (unknown)")
    documents: int
    findings: int
    threat_documents: int
    threat_rate: float
    max_severity: int
    max_threat_severity: int


class CorpusPage(BaseModel):
    """A page of the corpus's documents, with the corpus's trends by year."""

    redline_version: str | None = Field(description="The redline version whose rows are listed")
    sort: Literal["severity", "date"]
    page: int
    per_page: int
    total: int = Field(description="Documents in the corpus (this version)")
    pages: int
    documents: list[CorpusDocument]
    trends: list[YearTrend]


class StoredTarget(BaseModel):
    position: int
    entity_id: str | None
    text: str
    start_char: int | None
    end_char: int | None


class StoredEvidence(BaseModel):
    position: int
    start_char: int
    end_char: int
    text: str
    why: str


class StoredFinding(BaseModel):
    """A ``findings`` row with its targets and evidence."""

    finding_id: str
    segment_id: str | None
    speaker: str | None
    action: str
    modality: str
    conditional: bool
    severity: int
    confidence: float
    cameo: str | None
    start_char: int
    end_char: int
    text: str
    actor_text: str | None
    actor_entity_id: str | None
    detector: str
    targets: list[StoredTarget]
    evidence: list[StoredEvidence]


class StoredTechnique(BaseModel):
    technique_id: str
    technique: str
    segment_id: str | None
    start_char: int
    end_char: int
    text: str
    confidence: float
    why: str
    detector: str


class StoredDocument(BaseModel):
    """A stored document: its ``documents`` row (meta and warnings decoded), its findings and
    techniques in text order."""

    document: dict[str, Any] = Field(description="The documents row, text included")
    findings: list[StoredFinding]
    techniques: list[StoredTechnique]


class AppError(Exception):
    """A problem to show the user as one sentence, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        # what the user sent, to keep it in the form when the page is shown again
        self.text, self.title, self.lang = "", "", "auto"


_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Upload too large",
    415: "Unsupported content type",
    422: "Cannot analyse this input",
    500: "Analysis failed",
    504: "Analysis took too long",
}


# --- pages -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _app_css() -> str:
    return (_HERE / "static" / "app.css").read_text(encoding="utf-8")


def page_csp() -> str:
    """The form page: its one inline stylesheet, no script, forms only to this app."""
    return (
        f"default-src 'none'; style-src {csp_hash(_app_css())}; script-src 'none'; "
        "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class Settings:
    """What one app instance was started with (shown in the form, used by the routes)."""

    def __init__(self, max_upload_bytes: int, timeout: float, corpus: bool = False) -> None:
        self.max_upload_bytes = max_upload_bytes
        self.timeout = timeout
        self.corpus = corpus  # whether a corpus database is open for browsing


def _home(request: Request | None, settings: Settings, *, status: int = 200, error: str = "",
          text: str = "", title: str = "", lang: str = "auto", host: str = "") -> HTMLResponse:
    page = _env().get_template("home.html.j2").render(
        css=Markup(_app_css()),
        error=error,
        error_title=_TITLES.get(status, "Error"),
        status=status,
        text=text,
        title=title,
        lang=lang if lang in LANG_CODES else "auto",
        langs=LANGS,
        limit_mb=human_size(settings.max_upload_bytes),
        timeout=f"{settings.timeout:g}",
        host=host or (request.url.netloc if request is not None else "127.0.0.1:8000"),
        version=__version__,
        corpus=settings.corpus,
    )
    return HTMLResponse(page, status_code=status, headers={"Content-Security-Policy": page_csp()})


def _page(template: str, **context: Any) -> HTMLResponse:
    """A corpus page: same stylesheet and policy as the form page, no script."""
    page = _env().get_template(template).render(css=Markup(_app_css()), version=__version__,
                                                 **context)
    return HTMLResponse(page, headers={"Content-Security-Policy": page_csp()})


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/api"


def _error_response(request: Request, settings: Settings, status: int, message: str,
                    *, text: str = "", title: str = "", lang: str = "auto") -> Response:
    if _is_api(request.url.path):
        return JSONResponse({"detail": message}, status_code=status)
    return _home(request, settings, status=status, error=message, text=text, title=title,
                 lang=lang)


# --- request limits ----------------------------------------------------------------------------


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, counting bytes as they stream in.

    A declared ``Content-Length`` over the limit is refused before the body is read; otherwise
    each chunk is counted as the app reads it, and the request stops at the first chunk past
    the limit (nothing past it is stored).  The rest of the body is then read and thrown away,
    up to ``drain_bytes``, so that a browser still sending its upload sees the 413 page rather
    than a reset connection; past that the connection is simply closed after the response.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int,
                 reject: Callable[[Scope], Awaitable[Response]],
                 drain_bytes: int | None = None) -> None:
        self.app, self.max_bytes, self.reject = app, max_bytes, reject
        self.drain_bytes = drain_bytes if drain_bytes is not None else max(
            64 * 1024 * 1024, 4 * max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._drain(receive, declared)
            await self._send_reject(scope, receive, send)
            return
        received = 0
        started = finished = False

        async def counting_receive() -> Message:
            nonlocal received, finished
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                finished = not message.get("more_body", False)
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if started:  # cannot happen with our routes: they read the body before answering
                raise
            if not finished:  # (a finished body has nothing left; receive() would wait)
                await self._drain(receive, None)
            await self._send_reject(scope, receive, send)

    async def _drain(self, receive: Receive, declared: int | None) -> None:
        if declared is not None and declared > self.drain_bytes:
            return
        seen = 0
        while seen <= self.drain_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _send_reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.reject(scope)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class SecurityHeaders:
    """Add a Content-Security-Policy and the usual hardening headers to every response that
    does not set its own policy (reports and the form page set theirs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        docs = path == "/docs" or path.startswith(("/docs/", "/docs-static/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    csp = DOCS_CSP if docs else "default-src 'none'; frame-ancestors 'none'"
                    headers.append((b"content-security-policy", csp.encode()))
                for key, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ):
                    if key not in names:
                        headers.append((key, value))
                if not docs and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))  # reports hold documents
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- reading what the user sent ----------------------------------------------------------------


def _document_from_text(text: str, *, title: str | None, source: str) -> Document:
    if not text.strip():
        raise AppError(422, "The text is empty: paste some text or choose a file to analyse.")
    return Document(text=text, title=title or None, source=source)


def _document_from_upload(data: bytes, filename: str, max_bytes: int) -> Document:
    """Decode an uploaded file exactly as ``redline analyze`` decodes one from disk."""
    name = printable(filename) or "upload"
    suffix = Path(filename).suffix.lower() or None
    if suffix is not None and suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise AppError(422, f"{name}: unsupported file type {suffix!r}; redline reads {kinds}.")
    if suffix in JSONL_SUFFIXES:
        items = list(_read_jsonl(io.BytesIO(data), name, max_bytes))
        problems = [i for i in items if isinstance(i, InputError)]
        if problems:
            raise AppError(422, f"{problems[0]}.")
        if len(items) != 1:
            raise AppError(
                422,
                f"{name} holds {len(items)} documents; the web app reports one at a time. Upload "
                "a file with one JSON line, or run `redline analyze FILE --format html --out "
                "DIR/` for a report per document.",
            )
        item = items[0]
    else:
        item = _document_from_bytes(data, name, suffix)
    if isinstance(item, InputError):
        raise AppError(422, f"{item}.")
    return item


def _lang(value: object) -> str:
    lang = str(value or "auto").strip().lower()
    if lang not in LANG_CODES:
        raise AppError(422, f"Unknown language {printable(lang)!r}: choose auto, en or ru.")
    return lang


async def _read_request(request: Request, settings: Settings) -> tuple[Document, str]:
    """The document and language from a JSON body, a multipart form or a URL-encoded form."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        raw = await request.body()
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AppError(400, f"The body is not valid JSON ({str(exc)[:80]}).") from None
        try:
            body = AnalyzeRequest.model_validate(payload)
        except ValidationError as exc:
            raise AppError(422, _validation_message(exc.errors())) from None
        doc = _document_from_text(body.text, title=body.title, source=body.source or "api")
        return doc, body.lang
    if ctype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise AppError(
            415,
            "Send JSON ({\"text\": ..., \"lang\": ..., \"title\": ...}) or a multipart form with "
            "a 'file' (or a 'text') field.",
        )
    form = await request.form(max_files=1, max_fields=20,
                              max_part_size=settings.max_upload_bytes)
    text = form.get("text")
    text = text if isinstance(text, str) else ""
    title_value = form.get("title")
    title = title_value.strip() if isinstance(title_value, str) else ""
    upload = form.get("file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename or upload.size)
    lang_value = form.get("lang")
    lang = "auto"
    try:
        lang = _lang(lang_value)
        if has_file and text.strip():
            raise AppError(400, "Paste text or choose a file, not both.")
        if has_file:
            assert isinstance(upload, UploadFile)
            data = await upload.read()
            doc = _document_from_upload(data, upload.filename or "", settings.max_upload_bytes)
            if title:
                doc.title = title
            return doc, lang
        if not text.strip():
            raise AppError(422, "Paste some text or choose a file to analyse.")
        return _document_from_text(text, title=title, source=PASTED), lang
    except AppError as exc:
        exc.text, exc.title, exc.lang = text, title, lang
        raise


def _validation_message(errors: Any) -> str:
    parts = []
    for err in list(errors)[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts) + "."


# --- the app -----------------------------------------------------------------------------------


def _default_analyzer(doc: Document, lang: str) -> Analysis:
    from redline.engine import analyze_document

    return analyze_document(doc, lang=lang)


def _openapi_body() -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": AnalyzeRequest.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary",
                                     "description": "A .txt, .md, .html or one-line .jsonl file"},
                            "text": {"type": "string", "description": "Text, instead of a file"},
                            "lang": {"type": "string", "enum": list(LANG_CODES),
                                     "default": "auto"},
                            "title": {"type": "string"},
                        },
                    }
                },
            },
        }
    }


def _error_doc(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def create_app(
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    timeout: float = DEFAULT_TIMEOUT,
    analyzer: Analyzer | None = None,
    allowed_hosts: list[str] | None = None,
    warm_up: bool = True,
    db: str | None = None,
) -> FastAPI:
    """Build the app.  ``analyzer`` replaces the engine (tests use a slow one to exercise the
    time limit); ``warm_up`` loads the language models at start-up so that the first request
    is not the slow one; ``db`` (a SQLite path or a database URL) is the corpus to browse,
    opened read-only -- a missing SQLite file raises `redline.store.db.DatabaseError`."""
    corpus_engine = None
    if db:
        from redline.store.db import open_engine

        corpus_engine = open_engine(db, read_only=True, create=False)
    settings = Settings(max_upload_bytes, timeout, corpus=corpus_engine is not None)
    run = analyzer or _default_analyzer
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="redline-analysis")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up and analyzer is None:
            loop = asyncio.get_running_loop()
            try:
                await loop.run_in_executor(executor, _warm)
            except Exception:  # a broken model shows up on the first request, clearly
                log.exception("warm-up failed")
        yield
        executor.shutdown(wait=False, cancel_futures=True)
        if corpus_engine is not None:
            corpus_engine.dispose()

    app = FastAPIOffline(
        title="redline",
        version=__version__,
        description=(
            "Analyse political speech offline: speakers, entities, escalation findings and "
            "persuasion techniques, each with its span and reason. `POST /api/analyze` returns "
            "the `redline/analysis@1` object described in the project's DESIGN.md."
        ),
        docs_url="/docs",
        redoc_url=None,
        static_url="/docs-static",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.corpus_engine = corpus_engine  # read-only, or None without a corpus

    async def analyse(doc: Document, lang: str, render: bool) -> tuple[Analysis, str | None]:
        def job() -> tuple[Analysis, str | None]:
            analysis = run(doc, lang)
            return analysis, (render_html(analysis, home_url="/") if render else None)

        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(executor, job), timeout)
        except TimeoutError:
            raise AppError(
                504,
                f"The analysis took longer than the limit of {timeout:g} s and was abandoned. "
                "Try a shorter document, or run `redline analyze FILE --format html` on the "
                "command line, which has no time limit.",
            ) from None
        except AppError:
            raise
        except Exception as exc:
            log.exception("analysis failed")
            raise AppError(
                500, f"The analysis failed ({type(exc).__name__}); please report this."
            ) from None

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        return _error_response(request, settings, exc.status, exc.message,
                               text=exc.text, title=exc.title, lang=exc.lang)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "There is no page here.", 405: "This address does not take that method."}
        return _error_response(request, settings, exc.status_code,
                               message.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, settings, 422, _validation_message(exc.errors()))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error")
        return _error_response(request, settings, 500,
                               f"Something went wrong ({type(exc).__name__}); please report this.")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request) -> Response:
        return _home(request, settings)

    @app.get("/report", include_in_schema=False)
    async def report_again() -> Response:
        """A reload or bookmark of a report page: nothing is stored, so back to the form."""
        return RedirectResponse("/", status_code=303)

    @app.post("/report", response_class=HTMLResponse, include_in_schema=False)
    async def report(request: Request) -> Response:
        doc, lang = await _read_request(request, settings)
        try:
            _, page = await analyse(doc, lang, render=True)
        except AppError as exc:  # keep pasted text in the form (an upload is chosen again)
            if doc.source == PASTED:
                exc.text, exc.title, exc.lang = doc.text, doc.title or "", lang
            raise
        assert page is not None
        return HTMLResponse(page, headers={"Content-Security-Policy": report_csp()
                                           + "; frame-ancestors 'none'"})

    @app.post(
        "/api/analyze",
        summary="Analyse one document",
        description=(
            "Send JSON `{\"text\": ..., \"lang\": \"auto|en|ru\", \"title\": ...}` or a "
            "multipart form with a `file` (.txt, .md, .html, or .jsonl holding one line). "
            "Bodies over the upload limit get 413; an analysis over the time limit gets 504."
        ),
        response_class=Response,
        responses={
            200: {"description": "The analysis (schema redline/analysis@1)",
                  "content": {"application/json": {
                      "schema": {"$ref": "#/components/schemas/Analysis"}}}},
            400: _error_doc("Malformed request (bad JSON, text and file both given)"),
            413: _error_doc("Body over the upload limit"),
            415: _error_doc("Neither JSON nor a form"),
            422: _error_doc("Nothing to analyse, an unreadable file or an invalid field"),
            504: _error_doc("The analysis took longer than the time limit"),
        },
        openapi_extra=_openapi_body(),
    )
    async def api_analyze(request: Request) -> Response:
        doc, lang = await _read_request(request, settings)
        analysis, _ = await analyse(doc, lang, render=False)
        return Response(analysis.to_json(indent=None), media_type="application/json")

    @app.get("/api/health", summary="Liveness and version")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "redline_version": __version__,
                "max_upload_bytes": settings.max_upload_bytes, "timeout_s": settings.timeout}

    # --- the corpus browser (read-only) ---

    def corpus_read(read: Callable[[Any], Any]) -> Any:
        if corpus_engine is None:
            raise AppError(404, NO_CORPUS)
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return read(corpus_engine)
        except SQLAlchemyError as exc:
            log.exception("corpus read failed")
            raise AppError(500, f"The corpus database cannot be read ({type(exc).__name__}); "
                                "is it a database made by `redline ingest`?") from None

    def corpus_listing(sort: str, page: int) -> dict[str, Any]:
        from redline.web.corpus import list_documents, year_trends

        data = corpus_read(lambda engine: list_documents(engine, sort=sort, page=page))
        if page > data["pages"]:
            raise AppError(404, f"There is no page {page}: the corpus has {data['pages']} "
                                f"page{'s' if data['pages'] != 1 else ''} of documents.")
        data["trends"] = corpus_read(year_trends)
        return data

    def corpus_document(doc_id: str) -> dict[str, Any]:
        from redline.web.corpus import document_detail

        number = int(doc_id) if doc_id.isascii() and doc_id.isdigit() and len(doc_id) < 19 else 0
        found = corpus_read(lambda engine: document_detail(engine, number)) if number else None
        if found is None:
            corpus_read(lambda engine: None)  # no corpus at all says so first
            raise AppError(404, f"There is no document {printable(doc_id)[:40]!r} in the "
                                "corpus; see /corpus for the documents it holds.")
        return found

    @app.get("/corpus", response_class=HTMLResponse, include_in_schema=False)
    def corpus_page(sort: SortParam = "severity", page: PageParam = 1) -> Response:
        return _page("corpus.html.j2", **corpus_listing(sort, page))

    @app.get("/corpus/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def corpus_document_page(doc_id: str) -> Response:
        return _page("corpus_doc.html.j2", **corpus_document(doc_id))

    @app.get(
        "/api/corpus",
        summary="A page of the corpus's documents",
        description=(
            "Needs `redline serve --db`. Documents of the corpus (the current redline version's "
            "rows), 50 a page, sorted by max severity or date, with the trends by year."
        ),
        response_model=CorpusPage,
        responses={404: _error_doc("No corpus configured, or a page past the end"),
                   422: _error_doc("An invalid sort or page")},
    )
    def api_corpus(sort: SortParam = "severity", page: PageParam = 1) -> dict[str, Any]:
        return corpus_listing(sort, page)

    @app.get(
        "/api/corpus/{doc_id}",
        summary="One stored document with its findings and techniques",
        description="Needs `redline serve --db`. `doc_id` is `documents.id` (see /api/corpus).",
        response_model=StoredDocument,
        responses={404: _error_doc("No corpus configured, or no such document")},
    )
    def api_corpus_document(doc_id: str) -> dict[str, Any]:
        return corpus_document(doc_id)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            from redline.schema import analysis_schema

            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            analysis = {k: v for k, v in analysis_schema().items() if k not in ("$schema", "$id")}
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Analysis"] = analysis
            components["Error"] = {
                "type": "object", "required": ["detail"],
                "properties": {"detail": {"type": "string",
                                          "description": "What went wrong, in one sentence"}},
            }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    async def reject(scope: Scope) -> Response:
        message = (
            f"The upload is over the limit of {human_size(max_upload_bytes)}. Analyse a "
            "shorter document, start the app with a larger --max-upload-mb, or run "
            "`redline analyze FILE --format html` on the command line."
        )
        if _is_api(scope.get("path", "")):
            return JSONResponse({"detail": message}, status_code=413)
        return _home(None, settings, status=413, error=message)

    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes, reject=reject)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app


def _warm() -> None:
    """Load the language models once, before the first request."""
    from redline.engine import analyze

    analyze("Host: Hello.\nGuest: Thank you.\n", lang="en")


def allowed_hosts_for(host: str) -> list[str] | None:
    """The Host headers to accept: loopback names when bound to loopback (this stops DNS
    rebinding), anything when the user chose to serve on a network address."""
    if host in LOOPBACK_HOSTS:
        return ["127.0.0.1", "localhost", "::1", "[::1]"]
    return None
