"""Reading what the user sent: a JSON body, a multipart form with a file, or a pasted text.

A file is decoded exactly as ``redline analyze`` decodes one from disk (the readers' table,
`redline.ingest.readers.READERS`); every problem becomes one clear sentence (`AppError`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from redline.document import Document
from redline.errors import InputError, printable
from redline.ingest.readers import READERS, _document_from_bytes
from redline.web.models import LANG_CODES, AnalyzeRequest
from redline.web.pages import AppError, Settings

PASTED = "pasted text"  # the source name of text typed or pasted into the form


def _document_from_text(text: str, *, title: str | None, source: str) -> Document:
    if not text.strip():
        raise AppError(422, "The text is empty: paste some text or choose a file to analyse.")
    return Document(text=text, title=title or None, source=source)


def _document_from_upload(data: bytes, filename: str, max_bytes: int) -> Document:
    """Decode an uploaded file exactly as ``redline analyze`` decodes one from disk."""
    name = printable(filename) or "upload"
    suffix = Path(filename).suffix.lower() or None
    if suffix is None:
        item = _document_from_bytes(data, name, None)  # no suffix: text, or HTML sniffed
    else:
        reader = READERS.get(suffix)
        if reader is None:
            kinds = ", ".join(sorted(s for s, r in READERS.items() if r.uploads))
            raise AppError(422, f"{name}: unsupported file type {suffix!r}; the web app reads "
                                f"{kinds}.")
        items = list(reader.decode(data, name, max_bytes))
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
    if isinstance(item, InputError):
        raise AppError(422, f"{item}.")
    return item


def _lang(value: object) -> str:
    lang = str(value or "auto").strip().lower()
    if lang not in LANG_CODES:
        raise AppError(422, f"Unknown language {printable(lang)!r}: choose "
                            f"{', '.join(LANG_CODES[:-1])} or {LANG_CODES[-1]}.")
    return lang


async def read_request(request: Request, settings: Settings) -> tuple[Document, str]:
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
            raise AppError(422, validation_message(exc.errors())) from None
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


def validation_message(errors: Any) -> str:
    parts = []
    for err in list(errors)[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts) + "."
