"""The document model every stage reads and writes.

One `Document` holds the decoded text (newlines normalised to ``\\n``, nothing else changed) and
the annotations that stages add to it.  All offsets are Python ``str`` indices into that text, so
``doc.text[start:end]`` is, by construction, the text of every span we report.  Annotations are
plain dataclasses; `Analysis.to_dict` renders them in the field order of the contract
(``redline/analysis@1``) so that the same input always serialises to the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import redline.vocabulary as _vocabulary

SCHEMA_ID = "redline/analysis@1"

SEGMENT_KINDS = ("title", "heading", "intro", "turn", "body", "note", "comment")
ENTITY_TYPES = ("PERSON", "PLACE", "ORG", "GROUP", "WEAPON", "EVENT")
# The contract's actions, modalities and techniques: one vocabulary (data/vocabulary.toml).
ACTIONS = _vocabulary.ACTIONS
MODALITIES = _vocabulary.MODALITIES
TECHNIQUES = _vocabulary.TECHNIQUES


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes (the contract's only normalisation)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def valid_unicode(text: str) -> str:
    """Lone surrogates (from JSON escapes such as \\ud800) become U+FFFD, one for one, so
    offsets keep their meaning and the text can be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def content_id(text: str) -> str:
    """A stable id for a document without one: the first 16 hex digits of its SHA-256."""
    return "sha256-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(slots=True)
class Segment:
    """A structural unit of the document: title, heading, intro, turn, body, note or comment."""

    id: str
    kind: str
    start: int
    end: int
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind}
        if self.speaker is not None:
            out["speaker"] = self.speaker
        out["start"], out["end"] = self.start, self.end
        return out


@dataclass(slots=True)
class Entity:
    """One real-world referent with every mention of it, in any spelling or language."""

    id: str
    name: str
    type: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    kind: str | None = None
    key: str = ""  # gazetteer id or normalised NER name; internal, not serialised
    sources: list[str] = field(default_factory=list)  # "gazetteer", "ner": internal

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "country": self.country,
            "aliases": list(self.aliases),
            "mentions": [[s, e] for s, e in self.mentions],
        }
        if self.kind:
            out["kind"] = self.kind
        return out


@dataclass(slots=True)
class Evidence:
    """A span that contributed to a finding, with the reason in plain English."""

    start: int
    end: int
    text: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "why": self.why}


@dataclass(slots=True)
class Participant:
    """The actor or a target of a finding: the words in the text and the entity they resolve to."""

    text: str
    entity: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"entity": self.entity, "text": self.text}
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        return out


@dataclass(slots=True)
class Finding:
    """One act of force that the text threatens, calls for, proposes, predicts or reports."""

    start: int
    end: int
    text: str
    action: str
    modality: str
    severity: int
    confidence: float
    evidence: list[Evidence]
    conditional: bool = False
    actor: Participant | None = None
    targets: list[Participant] = field(default_factory=list)
    cameo: str | None = None
    id: str = ""
    segment: str | None = None
    speaker: str | None = None
    detector: str = ""

    def named_actor(self) -> str:
        """The actor when it is a named entity ("The United States is preparing an invasion"),
        so that a summary line does not read as the speaker's own plan; pronouns ("we must
        strike") stand for the speaker's side and stay unsaid."""
        return self.actor.text if self.actor is not None and self.actor.entity else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "segment": self.segment,
            "speaker": self.speaker,
            "action": self.action,
            "modality": self.modality,
            "conditional": self.conditional,
            "actor": self.actor.to_dict() if self.actor else None,
            "targets": [t.to_dict() for t in self.targets],
            "severity": self.severity,
            "confidence": round(self.confidence, 3),
            "cameo": self.cameo,
            "evidence": [e.to_dict() for e in self.evidence],
            "detector": self.detector,
        }


@dataclass(slots=True)
class Technique:
    """A persuasion technique (SemEval-2023 Task 3 code) on a span, with its reason."""

    technique: str
    start: int
    end: int
    text: str
    confidence: float
    why: str
    id: str = ""
    segment: str | None = None
    detector: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "technique": self.technique,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "segment": self.segment,
            "confidence": round(self.confidence, 3),
            "why": self.why,
            "detector": self.detector,
        }


@dataclass(slots=True)
class Document:
    """Decoded text plus what is known about it before analysis."""

    text: str
    id: str = ""
    source: str | None = None
    title: str | None = None
    language: str = "und"
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = valid_unicode(normalise_newlines(self.text))
        if not self.id:
            self.id = content_id(self.text)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]


@dataclass(slots=True)
class Analysis:
    """The result of analysing one document; serialises to the contract's JSON object."""

    document: Document
    version: str
    segments: list[Segment] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    techniques: list[Technique] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    def segment_at(self, offset: int) -> Segment | None:
        """The segment containing ``offset`` (segments are sorted and do not overlap)."""
        lo, hi = 0, len(self.segments) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            seg = self.segments[mid]
            if offset < seg.start:
                hi = mid - 1
            elif offset >= seg.end:
                lo = mid + 1
            else:
                return seg
        return None

    def reported(self, finding: Finding) -> bool:
        """Someone else's stance that the text reports or quotes: the finding's speaker is not
        its segment's (a detector or the quotes component named whose it is)."""
        seg = self.segment_at(finding.start)
        return finding.speaker != (seg.speaker if seg is not None else None)

    def summary(self) -> dict[str, Any]:
        from redline.summary import summarise

        return summarise(self)

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        document: dict[str, Any] = {
            "id": doc.id,
            "source": doc.source,
            "title": doc.title,
            "language": doc.language,
            "length": len(doc.text),
        }
        for key in ("date", "speaker", "url"):
            if doc.meta.get(key) is not None:
                document[key] = doc.meta[key]
        if doc.warnings:
            document["warnings"] = list(doc.warnings)
        return {
            "schema": SCHEMA_ID,
            "redline_version": self.version,
            "document": document,
            "segments": [s.to_dict() for s in self.segments],
            "entities": [e.to_dict() for e in self.entities],
            "findings": [f.to_dict() for f in self.findings],
            "techniques": [t.to_dict() for t in self.techniques],
            "summary": self.summary(),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Deterministic JSON: fixed key order, no float noise, UTF-8 text kept as is."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
