"""Language identification and the per-language NLP pipelines."""

from redline.lang.identify import SUPPORTED_LANGUAGES, identify_language

__all__ = ["SUPPORTED_LANGUAGES", "identify_language"]
