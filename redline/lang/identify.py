"""Which language is a document in?  English, Russian, or something we do not analyse yet.

The script decides first (Latin, Cyrillic or other), then lingua -- in its low-accuracy mode,
restricted to the languages of that script -- tells English from French or Russian from
Ukrainian.  Restricting the candidate set keeps lingua at about 40 MB and 0.2 s to load, where
the full detector costs over 1 GB and mislabels short strings ("NATO" -> Italian).  Texts too
short for a statistical guess take the script's default (English or Russian).

The low-accuracy mode alone calls about one lower-cased English tweet in 300 Swedish, German or
Romanian ("black male assassinates 5 white men ... kill all whites" -> Swedish), and a wrong
"not supported" silently drops every finding.  So a departure from the script's default is
confirmed by lingua's high-accuracy models for just the two candidates: the text stays in the
default language unless its confidence there is below `_CONFIRM`.  The pair models load only
for texts that need them (about 25 MB a language).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

_SHORT = 60  # letters; below this lingua's low-accuracy mode is unreliable
_SAMPLE = 4000
_CONFIRM = 0.2  # the default language's high-accuracy confidence below which it is overruled


def _script_counts(text: str) -> tuple[int, int, int]:
    latin = cyrillic = other = 0
    for ch in text:
        if not ch.isalpha():
            continue
        if ch < "\u0250":
            latin += 1
        elif "\u0400" <= ch <= "\u052f":
            cyrillic += 1
        else:
            other += 1
    return latin, cyrillic, other


@lru_cache(maxsize=1)
def _scripts() -> dict[str, dict]:
    """Per script: the default language, lingua's candidates, letters that settle short texts
    (``data/languages.toml``)."""
    raw = resources.files("redline").joinpath("data/languages.toml").read_text("utf-8")
    return tomllib.loads(raw)["script"]


@lru_cache(maxsize=1)
def _detectors():
    from lingua import LanguageDetectorBuilder as B

    def build(script: str):
        codes = _scripts()[script]["candidates"]
        return B.from_languages(*(_language(c) for c in codes)).with_low_accuracy_mode().build()

    return build("latin"), build("cyrillic")


def identify_language(text: str) -> str:
    """ISO 639-1 code of the document's main language (``"und"`` when there are no letters)."""
    sample = text[:_SAMPLE]
    latin, cyrillic, other = _script_counts(sample)
    total = latin + cyrillic + other
    if total == 0:
        return "und"
    if other > latin + cyrillic:
        return _other_script_code(sample)
    is_cyrillic = cyrillic >= latin
    script = _scripts()["cyrillic" if is_cyrillic else "latin"]
    default = script["default"]
    if total < _SHORT:
        marks = script.get("short_marks", {})
        return next((code for code, letters in sorted(marks.items())
                     if any(ch in sample for ch in letters)), default)
    detector = _detectors()[1 if is_cyrillic else 0]
    found = detector.detect_language_of(sample)
    code = found.iso_code_639_1.name.lower() if found is not None else default
    if code == default or _pair(default, code).compute_language_confidence(
            sample, _language(default)) >= _CONFIRM:
        return default
    return code


def _language(code: str):
    from lingua import IsoCode639_1, Language

    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


@lru_cache(maxsize=16)
def _pair(default: str, other: str):
    """A high-accuracy detector for two candidates only: small, and sure where it answers."""
    from lingua import LanguageDetectorBuilder as B

    return B.from_languages(_language(default), _language(other)).build()


def _other_script_code(sample: str) -> str:
    """A best-effort code for non-Latin, non-Cyrillic scripts, from Unicode blocks."""
    blocks = (
        ("\u0600", "\u06ff", "ar"),
        ("\u0590", "\u05ff", "he"),
        ("\u4e00", "\u9fff", "zh"),
        ("\u3040", "\u30ff", "ja"),
        ("\uac00", "\ud7af", "ko"),
        ("\u0370", "\u03ff", "el"),
        ("\u0900", "\u097f", "hi"),
        ("\u0e00", "\u0e7f", "th"),
        ("\u10a0", "\u10ff", "ka"),
        ("\u0530", "\u058f", "hy"),
    )
    counts = {code: sum(1 for ch in sample if lo <= ch <= hi) for lo, hi, code in blocks}
    code, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return code if n else "und"
