"""Language identification and the per-language NLP pipelines."""

from redline.lang.identify import identify_language

__all__ = ["identify_language"]
