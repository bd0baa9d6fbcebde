"""The local web app: paste or upload a document, read its report; a JSON API beside it.

Routes, and why they are laid out so:

    GET  /                    the form (paste text or upload a file)
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
  header against a list (`allowed_hosts_for`) so that a web page cannot reach it by DNS
  rebinding;
* request bodies are limited while they stream in (`BodyLimit`): a ``Content-Length`` over the
  limit is refused at once, and a body without one (chunked) is counted as it arrives and
  refused as soon as it passes the limit -- never read whole first;
* each analysis runs in a process forked from the warm server, under a time limit: over it,
  the process is killed and the request gets 504 with a clear message, and the next request
  is served at once (`redline.web.routes.Runner`);
* every error is one clear sentence (an HTML page for the form, ``{"detail": ...}`` for the API),
  never a stack trace;
* every response carries a strict Content-Security-Policy; a report gets the report's own
  hash-pinned policy, the form page allows its inline style and nothing else.

The app is put together here; its parts live beside it: `routes` (the routes), `models`
(request and response shapes), `inputs` (reading what the user sent), `pages` (templates and
errors), `middleware` (limits and headers) and `corpus` (the read-only corpus queries).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import Scope

from redline import __version__
from redline.document import Analysis, Document
from redline.ingest.readers import human_size
from redline.web.inputs import validation_message
from redline.web.middleware import BodyLimit, SecurityHeaders, allowed_hosts_for
from redline.web.models import Analyzer
from redline.web.pages import AppError, Settings, error_response, home_page, is_api
from redline.web.routes import Runner, router

__all__ = ["BodyLimit", "allowed_hosts_for", "create_app"]

DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0
log = logging.getLogger("redline.web")


def _default_analyzer(doc: Document, lang: str) -> Analysis:
    from redline.engine import analyze_document

    return analyze_document(doc, lang=lang)


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
    runner = Runner(analyzer or _default_analyzer, timeout,
                    prepare=_prepare if analyzer is None else None)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up and analyzer is None:
            try:
                await runner.run(_warm)
            except Exception:  # a broken model shows up on the first request, clearly
                log.exception("warm-up failed")
        yield
        runner.executor.shutdown(wait=False, cancel_futures=True)
        if corpus_engine is not None:
            corpus_engine.dispose()

    app = FastAPIOffline(
        title="redline",
        version=__version__,
        description=(
            "Analyse political speech offline: speakers, entities, escalation findings and "
            "persuasion techniques, each with its span and reason. `POST /api/analyze` returns "
            "the `redline/analysis@1` object described in the project's docs/contract.md."
        ),
        docs_url="/docs",
        redoc_url=None,
        static_url="/docs-static",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runner = runner
    app.state.corpus_engine = corpus_engine  # read-only, or None without a corpus
    _handle_errors(app, settings)
    app.include_router(router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    _add_middleware(app, settings, allowed_hosts)
    return app


def _handle_errors(app: FastAPI, settings: Settings) -> None:
    """Every error a sentence: the form page again, or ``{"detail": ...}`` for the API."""

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        return error_response(request, settings, exc.status, exc.message,
                              text=exc.text, title=exc.title, lang=exc.lang)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "There is no page here.", 405: "This address does not take that method."}
        return error_response(request, settings, exc.status_code,
                              message.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, settings, 422, validation_message(exc.errors()))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(request, settings, 500,
                              f"Something went wrong ({type(exc).__name__}); please report this.")


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, with the analysis object and the error shape as components."""
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


def _add_middleware(app: FastAPI, settings: Settings, allowed_hosts: list[str] | None) -> None:
    async def reject(scope: Scope) -> Response:
        message = (
            f"The upload is over the limit of {human_size(settings.max_upload_bytes)}. Analyse "
            "a shorter document, start the app with a larger --max-upload-mb, or run "
            "`redline analyze FILE --format html` on the command line."
        )
        if is_api(scope.get("path", "")):
            return JSONResponse({"detail": message}, status_code=413)
        return home_page(None, settings, status=413, error=message)

    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes, reject=reject)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)


def _warm() -> None:
    """Load the English models once, before the first request."""
    _prepare(Document(text="Host: Hello.\nGuest: Thank you.\n"), "en")


WARM_TEXTS = {"en": "Host: Hello.\nGuest: Thank you.\n",
              "ru": "Ведущий: Здравствуйте.\nГость: Спасибо.\n"}
_warmed: set[str] = set()


def _prepare(doc: Document, lang: str) -> None:
    """Load the models of the document's language in the server, once: each analysis runs in
    a process forked from it (`routes.Runner`) and starts with them loaded."""
    from redline.engine import analyze
    from redline.lang.identify import identify_language

    code = lang if lang != "auto" else identify_language(doc.text[:20000])
    if code in WARM_TEXTS and code not in _warmed:
        analyze(WARM_TEXTS[code], lang=code)
        _warmed.add(code)
