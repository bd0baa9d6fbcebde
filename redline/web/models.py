"""The web app's data shapes: request and response models, and their API documentation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, get_type_hints

from fastapi import Query
from pydantic import BaseModel, Field, create_model

from redline.document import Analysis, Document
from redline.languages import language_codes
from redline.store.trends import TrendRow

LANG_CODES = ("auto", *language_codes())
LangCode = Literal[LANG_CODES]  # type: ignore[valid-type]


Analyzer = Callable[[Document, str], Analysis]


class AnalyzeRequest(BaseModel):
    """The JSON body of ``POST /api/analyze``."""

    text: str = Field(description="The document text (newlines are normalised to \\n).")
    lang: LangCode = Field("auto", description="auto identifies it.")  # type: ignore[valid-type]
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


# One year of `redline trends --by year`: the fields of `TrendRow`, as the API documents them.
YearTrend = create_model(
    "YearTrend", __doc__="One year of `redline trends --by year`.",
    **{name: (kind, Field(description="The year, or (unknown)") if name == "group" else ...)
       for name, kind in get_type_hints(TrendRow).items()})


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


def openapi_body() -> dict[str, Any]:
    """The documented request body of ``POST /api/analyze``: JSON, or a form with a file."""
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


def error_doc(description: str) -> dict[str, Any]:
    """An error response as the API documents it: ``{"detail": ...}``."""
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
