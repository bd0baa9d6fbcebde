"""Decode bytes of unknown encoding to text.

Order of trust: a byte-order mark, then strict UTF-8 (most files today), then
charset-normalizer (a maintained detector; Russian files in Windows-1251 and KOI8-R are common).
Text that decodes to mostly control characters is treated as binary and refused.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from redline.document import normalise_newlines

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Cyrillic single-byte encodings we expect; charset-normalizer is asked about these first so that
# short Russian texts are not mistaken for Greek or Central European code pages.
_CYRILLIC = ["cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic"]


class BinaryInput(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls / len(sample) > 0.05 or "\x00" in sample


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` with newlines normalised; raise `BinaryInput` for non-text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = data.decode(name, errors="replace")
            return normalise_newlines(text), name
    wide = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if wide is not None:
        return normalise_newlines(wide[0]), wide[1]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if _looks_binary(text):
            raise BinaryInput("looks like a binary file, not text")
        return normalise_newlines(text), "utf-8"
    if b"\x00" in data[:4096]:
        raise BinaryInput("looks like a binary file, not text")
    nearly = _nearly_utf8(data)
    if nearly is not None:
        return normalise_newlines(nearly), "utf-8 (invalid bytes replaced)"
    best = from_bytes(data, cp_isolation=_CYRILLIC).best()
    if best is None or _mostly_latin_noise(str(best)):
        best = from_bytes(data).best()
    if best is None:
        raise BinaryInput("could not detect a text encoding; is it a binary file?")
    text = str(best)
    if _looks_binary(text):
        raise BinaryInput("looks like a binary file, not text")
    return normalise_newlines(text), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` when the bytes read as UTF-16 without a byte-order mark (Windows
    tools write it): the high byte of nearly every character is that of Latin (0x00), Cyrillic
    (0x04) or punctuation (0x20), and spaces separate words; binary data is neither."""
    if len(data) % 2:
        return None
    sample = data[:65536]
    for name, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        common = sum(1 for b in high if b in (0x00, 0x04, 0x20))
        if common < 0.95 * len(high):
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        spaces = sum(1 for ch in text[:32768] if ch.isspace())
        if spaces >= 0.05 * min(len(text), 32768) and not _looks_binary(text):
            return text, name
    return None


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bad bytes (a truncated file, a stray 0xFF) stays UTF-8.

    Legacy single-byte encodings put invalid sequences almost everywhere, so a handful of
    replacements in a long text means damaged UTF-8, not Windows-1251.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = sum(1 for b in data if b >= 0x80)
    if bad <= max(3, len(text) // 1000) and non_ascii > 4 * bad:
        return text
    return None


def _mostly_latin_noise(text: str) -> bool:
    """True when a Cyrillic decoding produced few Cyrillic letters (the file is not Russian)."""
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    if not letters:
        return False
    cyr = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    return cyr / len(letters) < 0.3
