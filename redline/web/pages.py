"""The app's pages: the form, the corpus pages and errors, rendered from templates.

Every page carries a strict Content-Security-Policy: its one inline stylesheet, no script.
An error is one sentence on the form page (an HTML request) or ``{"detail": ...}`` (the API).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from redline import __version__
from redline.ingest.readers import READERS, human_size
from redline.languages import language_codes, language_name
from redline.report.html import csp_hash
from redline.web.models import LANG_CODES

_HERE = Path(__file__).resolve().parent


def languages_offered() -> tuple[tuple[str, str], ...]:
    """The form's choices: identify it, or one of the registered languages by name."""
    return (("auto", "Identify it"), *((c, language_name(c)) for c in language_codes()))


def upload_accept() -> str:
    """The upload field's ``accept`` list: every suffix a reader takes."""
    return ",".join(sorted(suffix for suffix, reader in READERS.items() if reader.uploads))


class AppError(Exception):
    """A problem to show the user as one sentence, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        # what the user sent, to keep it in the form when the page is shown again
        self.text, self.title, self.lang = "", "", "auto"


TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Upload too large",
    415: "Unsupported content type",
    422: "Cannot analyse this input",
    500: "Analysis failed",
    504: "Analysis took too long",
}



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


class Settings:
    """What one app instance was started with (shown in the form, used by the routes)."""

    def __init__(self, max_upload_bytes: int, timeout: float, corpus: bool = False) -> None:
        self.max_upload_bytes = max_upload_bytes
        self.timeout = timeout
        self.corpus = corpus  # whether a corpus database is open for browsing


def home_page(request: Request | None, settings: Settings, *, status: int = 200, error: str = "",
          text: str = "", title: str = "", lang: str = "auto", host: str = "") -> HTMLResponse:
    page = _env().get_template("home.html.j2").render(
        css=Markup(_app_css()),
        error=error,
        error_title=TITLES.get(status, "Error"),
        status=status,
        text=text,
        title=title,
        lang=lang if lang in LANG_CODES else "auto",
        langs=languages_offered(),
        limit_mb=human_size(settings.max_upload_bytes),
        timeout=f"{settings.timeout:g}",
        host=host or (request.url.netloc if request is not None else "127.0.0.1:8000"),
        version=__version__,
        corpus=settings.corpus,
        accept=upload_accept(),
        language_names=" or ".join(language_name(c) for c in language_codes()),
    )
    return HTMLResponse(page, status_code=status, headers={"Content-Security-Policy": page_csp()})


def corpus_page(template: str, **context: Any) -> HTMLResponse:
    """A corpus page: same stylesheet and policy as the form page, no script."""
    page = _env().get_template(template).render(css=Markup(_app_css()), version=__version__,
                                                 **context)
    return HTMLResponse(page, headers={"Content-Security-Policy": page_csp()})


def is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/api"


def error_response(request: Request, settings: Settings, status: int, message: str,
                    *, text: str = "", title: str = "", lang: str = "auto") -> Response:
    if is_api(request.url.path):
        return JSONResponse({"detail": message}, status_code=status)
    return home_page(request, settings, status=status, error=message, text=text, title=title,
                 lang=lang)
