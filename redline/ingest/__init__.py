"""Readers that turn files, directories, JSONL and stdin into `Document`s."""

from redline.ingest.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, iter_documents

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "iter_documents"]
