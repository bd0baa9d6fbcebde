"""The app's routes: the form and its report, the JSON API, the corpus browser.

Each route is a plain function on a router; what one app instance was started with (its
`Settings`, its analysis runner, its corpus database) is read from ``request.app.state``, so
that the routes hold no state of their own. The layout and the safety rules are described in
`redline.web.app`.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline import __version__
from redline.document import Analysis, Document
from redline.errors import printable
from redline.report.html import render_html, report_csp
from redline.web.inputs import PASTED, read_request
from redline.web.models import (
    NO_CORPUS,
    Analyzer,
    CorpusPage,
    PageParam,
    SortParam,
    StoredDocument,
    error_doc,
    openapi_body,
)
from redline.web.pages import AppError, Settings, corpus_page, home_page

log = logging.getLogger("redline.web")
router = APIRouter()


class Runner:
    """Runs each analysis in a process of its own, under a time limit, one at a time.

    The process is forked from the server, which has loaded the language models (`prepare`),
    so it starts warm in milliseconds; an analysis over the limit is killed, not abandoned, so
    the next request is served at once (a thread cannot be stopped: a runaway document used to
    keep the worker busy for tens of seconds after its 504).  ``executor`` is one thread for
    the blocking waits and the warm-up.
    """

    def __init__(self, analyzer: Analyzer, timeout: float,
                 prepare: Callable[[Document, str], None] | None = None) -> None:
        self.analyzer, self.timeout, self.prepare = analyzer, timeout, prepare
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="redline-analysis")
        self.turn = asyncio.Lock()  # one analysis process at a time bounds the memory

    async def run(self, job: Callable[[], Any]) -> Any:
        """Run ``job`` in the worker thread of this process (the warm-up, the waits)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, job)

    async def analyse(self, doc: Document, lang: str,
                      render: bool) -> tuple[Analysis, str | None]:
        def job() -> tuple[Analysis, str | None]:
            analysis = self.analyzer(doc, lang)
            return analysis, (render_html(analysis, home_url="/") if render else None)

        try:
            async with asyncio.timeout(self.timeout):
                async with self.turn:
                    if self.prepare is not None:
                        await self.run(lambda: self.prepare(doc, lang))
                    ok, value = await self._in_process(job)
        except TimeoutError:
            raise AppError(
                504,
                f"The analysis took longer than the limit of {self.timeout:g} s and was "
                "stopped. Try a shorter document, or run `redline analyze FILE --format html` "
                "on the command line, which has no time limit.",
            ) from None
        if not ok:
            raise AppError(500, f"The analysis failed ({value}); please report this.")
        return value

    async def _in_process(self, job: Callable[[], Any]) -> tuple[bool, Any]:
        """``(True, result)`` or ``(False, error name)`` from ``job`` run in a forked process,
        which is killed if this coroutine is cancelled (the time limit)."""
        ctx = multiprocessing.get_context("fork")
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(job, sender), daemon=True)
        proc.start()
        sender.close()
        try:
            return await self.run(lambda: _receive(receiver))
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join()


def _child(job: Callable[[], Any], sender: Connection) -> None:
    """The analysis process: run the job, send its result or the name of its error."""
    try:
        sender.send((True, job()))
    except Exception as exc:
        log.exception("analysis failed")
        sender.send((False, type(exc).__name__))


def _receive(receiver: Connection) -> tuple[bool, Any]:
    """Wait for the analysis process's answer; a killed process answers with an end of file."""
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return False, "the analysis process ended without an answer"
    finally:
        receiver.close()


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _runner(request: Request) -> Runner:
    return request.app.state.runner


# --- the form and the API --------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request) -> Response:
    return home_page(request, _settings(request))


@router.get("/report", include_in_schema=False)
async def report_again() -> Response:
    """A reload or bookmark of a report page: nothing is stored, so back to the form."""
    return RedirectResponse("/", status_code=303)


@router.post("/report", response_class=HTMLResponse, include_in_schema=False)
async def report(request: Request) -> Response:
    doc, lang = await read_request(request, _settings(request))
    try:
        _, page = await _runner(request).analyse(doc, lang, render=True)
    except AppError as exc:  # keep pasted text in the form (an upload is chosen again)
        if doc.source == PASTED:
            exc.text, exc.title, exc.lang = doc.text, doc.title or "", lang
        raise
    assert page is not None
    return HTMLResponse(page, headers={"Content-Security-Policy": report_csp()
                                       + "; frame-ancestors 'none'"})


@router.post(
    "/api/analyze",
    summary="Analyse one document",
    description=(
        "Send JSON `{\"text\": ..., \"lang\": \"auto\" or a language code, \"title\": ...}` "
        "or a multipart form with a `file` (.txt, .md, .html, .srt, .vtt, or .jsonl holding "
        "one line). Bodies over the upload limit get 413; an analysis over the time limit gets 504."
    ),
    response_class=Response,
    responses={
        200: {"description": "The analysis (schema redline/analysis@1)",
              "content": {"application/json": {
                  "schema": {"$ref": "#/components/schemas/Analysis"}}}},
        400: error_doc("Malformed request (bad JSON, text and file both given)"),
        413: error_doc("Body over the upload limit"),
        415: error_doc("Neither JSON nor a form"),
        422: error_doc("Nothing to analyse, an unreadable file or an invalid field"),
        504: error_doc("The analysis took longer than the time limit"),
    },
    openapi_extra=openapi_body(),
)
async def api_analyze(request: Request) -> Response:
    doc, lang = await read_request(request, _settings(request))
    analysis, _ = await _runner(request).analyse(doc, lang, render=False)
    return Response(analysis.to_json(indent=None), media_type="application/json")


@router.get("/api/health", summary="Liveness and version")
async def health(request: Request) -> dict[str, Any]:
    settings = _settings(request)
    return {"status": "ok", "redline_version": __version__,
            "max_upload_bytes": settings.max_upload_bytes, "timeout_s": settings.timeout}


# --- the corpus browser (read-only) ----------------------------------------------------------


def _corpus_read(request: Request, read: Callable[[Any], Any]) -> Any:
    engine = request.app.state.corpus_engine
    if engine is None:
        raise AppError(404, NO_CORPUS)
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return read(engine)
    except SQLAlchemyError as exc:
        log.exception("corpus read failed")
        raise AppError(500, f"The corpus database cannot be read ({type(exc).__name__}); "
                            "is it a database made by `redline ingest`?") from None


def _listing(request: Request, sort: str, page: int) -> dict[str, Any]:
    from redline.web.corpus import list_documents, year_trends

    data = _corpus_read(request, lambda engine: list_documents(engine, sort=sort, page=page))
    if page > data["pages"]:
        raise AppError(404, f"There is no page {page}: the corpus has {data['pages']} "
                            f"page{'s' if data['pages'] != 1 else ''} of documents.")
    data["trends"] = _corpus_read(request, year_trends)
    return data


def _document(request: Request, doc_id: str) -> dict[str, Any]:
    from redline.web.corpus import document_detail

    number = int(doc_id) if doc_id.isascii() and doc_id.isdigit() and len(doc_id) < 19 else 0
    found = (_corpus_read(request, lambda engine: document_detail(engine, number))
             if number else None)
    if found is None:
        _corpus_read(request, lambda engine: None)  # no corpus at all says so first
        raise AppError(404, f"There is no document {printable(doc_id)[:40]!r} in the "
                            "corpus; see /corpus for the documents it holds.")
    return found


@router.get("/corpus", response_class=HTMLResponse, include_in_schema=False)
def corpus(request: Request, sort: SortParam = "severity", page: PageParam = 1) -> Response:
    return corpus_page("corpus.html.j2", **_listing(request, sort, page))


@router.get("/corpus/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def corpus_document(request: Request, doc_id: str) -> Response:
    return corpus_page("corpus_doc.html.j2", **_document(request, doc_id))


@router.get(
    "/api/corpus",
    summary="A page of the corpus's documents",
    description=(
        "Needs `redline serve --db`. Documents of the corpus (the current redline version's "
        "rows), 50 a page, sorted by max severity or date, with the trends by year."
    ),
    response_model=CorpusPage,
    responses={404: error_doc("No corpus configured, or a page past the end"),
               422: error_doc("An invalid sort or page")},
)
def api_corpus(request: Request, sort: SortParam = "severity",
               page: PageParam = 1) -> dict[str, Any]:
    return _listing(request, sort, page)


@router.get(
    "/api/corpus/{doc_id}",
    summary="One stored document with its findings and techniques",
    description="Needs `redline serve --db`. `doc_id` is `documents.id` (see /api/corpus).",
    response_model=StoredDocument,
    responses={404: error_doc("No corpus configured, or no such document")},
)
def api_corpus_document(request: Request, doc_id: str) -> dict[str, Any]:
    return _document(request, doc_id)
