"""redline.ingest: decoding bytes of unknown encoding and turning inputs into documents."""

from __future__ import annotations

import codecs
import io
import json
import random
from pathlib import Path

import pytest

from redline.document import Document
from redline.errors import InputError
from redline.ingest import DEFAULT_MAX_BYTES, iter_documents
from redline.ingest.encoding import BinaryInput, decode_bytes

RUSSIAN = (
    "Президент заявил, что Россия не намерена отступать от своих целей, и пообещал ответить "
    "на любые провокации Запада. По его словам, поставки нового оружия Киеву лишь затягивают "
    "конфликт, а переговоры возможны только при учёте интересов безопасности страны. "
    "Депутаты Государственной думы поддержали это заявление и потребовали ужесточить санкции "
    "против недружественных государств — «немедленно и без исключений»."
)
# KOI8-R has no typographic dash or guillemets; texts in it use plain ASCII punctuation.
RUSSIAN_KOI8 = RUSSIAN.replace("—", "-").replace("«", '"').replace("»", '"')
ENGLISH = "Host: Good evening. Tonight we ask whether the ceasefire can hold.\nGuest: Thank you.\n"


def _noise(seed: int, low: int, n: int = 4000) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(n))


def _items(paths, **kw) -> list[Document | InputError]:
    return list(iter_documents([str(p) for p in paths], **kw))


def _assert_one_line_naming(err: object, name: str) -> None:
    assert isinstance(err, InputError), err
    msg = str(err)
    assert "\n" not in msg and "\r" not in msg, msg
    assert name in msg, msg


# --- decode_bytes ---------------------------------------------------------------------------


def test_decode_plain_utf8():
    text = "Kyiv — Київ — Киев 😀 e\u0301\n"
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_decode_utf8_with_bom_drops_the_bom():
    text, enc = decode_bytes(codecs.BOM_UTF8 + "Héllo, мир".encode())
    assert text == "Héllo, мир"
    assert enc.replace("_", "-").startswith("utf-8")


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"),
                                       (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_decode_utf16_with_bom(bom, codec):
    original = "Host: Привет 😀\r\nGuest: ok"
    text, enc = decode_bytes(bom + original.encode(codec))
    assert text == "Host: Привет 😀\nGuest: ok"
    assert "16" in enc


@pytest.mark.parametrize("codec,original", [("cp1251", RUSSIAN), ("koi8_r", RUSSIAN_KOI8)])
def test_decode_russian_single_byte_encodings(codec, original):
    assert len(original) > 300
    text, enc = decode_bytes(original.encode(codec))
    assert text == original
    assert codecs.lookup(enc).name == codecs.lookup(codec).name


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_decode_short_russian_line(codec):
    short = "Ведущий: Добрый вечер, Москва."
    assert decode_bytes(short.encode(codec))[0] == short


def test_newlines_normalised_and_nothing_else():
    raw = "a\tb\u00a0c  \r\nline two \rline three\t\n\n  indented\u200d \r\n"
    text, _ = decode_bytes(raw.encode("utf-8"))
    assert text == "a\tb\u00a0c  \nline two \nline three\t\n\n  indented\u200d \n"
    assert "\r" not in text


def test_decoded_text_is_not_unicode_normalised():
    nfd = "Cafe\u0301 Zelenskyy"  # combining acute must survive (no NFC)
    assert decode_bytes(nfd.encode())[0] == nfd


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _noise(1, 0),
    b"text\x00with\x00nuls\x00" * 50,
    _noise(2, 1),
    _noise(3, 0x80),
    bytes(range(32)) * 100,
], ids=["png", "nuls", "random", "random-high", "controls"])
def test_binary_bytes_are_refused(data):
    with pytest.raises(BinaryInput) as info:
        decode_bytes(data)
    assert "\n" not in str(info.value)


# --- iter_documents: files ------------------------------------------------------------------


def test_missing_path(tmp_path):
    missing = tmp_path / "nope.txt"
    [err] = _items([missing])
    _assert_one_line_naming(err, str(missing))
    assert "no such file" in str(err)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    [err] = _items([path])
    _assert_one_line_naming(err, str(path))
    assert "empty" in str(err)


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.md"
    path.write_bytes(b"  \r\n\t\n \n")
    [err] = _items([path])
    _assert_one_line_naming(err, str(path))
    assert "empty" in str(err)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "speech.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    [err] = _items([path])
    _assert_one_line_naming(err, str(path))
    assert ".pdf" in str(err)
    assert ".txt" in str(err)  # says what is supported


def test_text_file_document(tmp_path):
    path = tmp_path / "talk.txt"
    path.write_bytes(ENGLISH.replace("\n", "\r\n").encode("utf-8"))
    [doc] = _items([path])
    assert isinstance(doc, Document)
    assert doc.text == ENGLISH
    assert doc.source == str(path)
    assert doc.id  # a content id when the input gives none


def test_cp1251_file_document(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes(("Ведущий: Добрый вечер.\r\n" + RUSSIAN).encode("cp1251"))
    [doc] = _items([path])
    assert doc.text == "Ведущий: Добрый вечер.\n" + RUSSIAN


def test_same_text_same_id(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ENGLISH, encoding="utf-8")
    b.write_bytes(ENGLISH.replace("\n", "\r\n").encode("utf-16"))
    doc_a, doc_b = _items([a, b])
    assert doc_a.id == doc_b.id


def test_directory_tree(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text("Speech number one.\n", encoding="utf-8")
    (root / "a.md").write_text("# Heading\n\nMarkdown body text.\n", encoding="utf-8")
    (root / "sub" / "page.html").write_text(
        "<html><head><title>Page</title></head><body><article><p>Text of the web page, long "
        "enough to be its main content.</p></article></body></html>", encoding="utf-8")
    (root / "sub" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300))
    (root / "sub" / "deeper" / "c.txt").write_text("Deep text.\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("never read\n", encoding="utf-8")
    (root / ".git" / "HEAD.txt").write_text("never read either\n", encoding="utf-8")

    items = _items([root])
    names = [Path(i.source).name for i in items]
    assert names == ["a.md", "b.txt", "c.txt", "image.txt", "page.html"]
    assert [type(i).__name__ for i in items] == [
        "Document", "Document", "Document", "InputError", "Document"]
    err = items[3]
    _assert_one_line_naming(err, str(root / "sub" / "image.txt"))
    assert "binary" in str(err)
    page = items[4]
    assert page.title == "Page"
    assert "Text of the web page" in page.text
    assert "<p>" not in page.text
    assert items[0].text == "# Heading\n\nMarkdown body text.\n"


def test_empty_directory(tmp_path):
    (tmp_path / "void").mkdir()
    [err] = _items([tmp_path / "void"])
    _assert_one_line_naming(err, str(tmp_path / "void"))


def test_inputs_keep_command_line_order(tmp_path):
    z, a = tmp_path / "z.txt", tmp_path / "a.txt"
    z.write_text("Zed.\n", encoding="utf-8")
    a.write_text("Ay.\n", encoding="utf-8")
    items = _items([z, tmp_path / "missing.txt", a])
    assert [getattr(i, "text", None) for i in items] == ["Zed.\n", None, "Ay.\n"]


# --- iter_documents: JSONL ------------------------------------------------------------------


def test_jsonl_records(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": "Host: Hi.\r\nGuest: Hello.", "id": "doc-1", "title": "First",
                    "source": "https://example.org/1", "date": "2024-05-01",
                    "speaker": "Vladimir Putin", "lang": "ru"}, ensure_ascii=False),
        "this is not json",
        "[1, 2, 3]",
        json.dumps({"id": "no-text"}),
        json.dumps({"text": "   "}),
        "",
        json.dumps({"text": 42}),
        json.dumps({"text": "Второй документ.", "id": 7}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items([path])
    assert len(items) == 7

    first = items[0]
    assert isinstance(first, Document)
    assert first.text == "Host: Hi.\nGuest: Hello."
    assert first.id == "doc-1"
    assert first.title == "First"
    assert first.source == "https://example.org/1"
    for key, value in [("date", "2024-05-01"), ("speaker", "Vladimir Putin"), ("lang", "ru")]:
        assert first.meta[key] == value

    for item, lineno in zip(items[1:6], (2, 3, 4, 5, 7), strict=True):
        _assert_one_line_naming(item, f"{path}:{lineno}")
    assert "JSON" in str(items[1])
    assert "text" in str(items[3])
    assert "empty" in str(items[4])

    last = items[6]
    assert isinstance(last, Document)
    assert last.id == "7"
    assert last.text == "Второй документ."
    assert last.source  # falls back to file:line


def test_jsonl_empty_file(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    [err] = _items([path])
    _assert_one_line_naming(err, str(path))


def test_jsonl_line_over_limit(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "ok"}) + "\n",
                    encoding="utf-8")
    err, doc = _items([path], max_bytes=100)
    _assert_one_line_naming(err, f"{path}:1")
    assert "limit" in str(err)
    assert doc.text == "ok"


# --- stdin ----------------------------------------------------------------------------------


def test_stdin_text():
    [doc] = _items(["-"], stdin=io.BytesIO(RUSSIAN.encode("cp1251") + b"\r\n"))
    assert doc.text == RUSSIAN + "\n"
    assert doc.source == "<stdin>"


def test_stdin_html():
    page = (b"<!DOCTYPE html><html><head><title>Transcript</title></head><body><article>"
            b"<p>Host: Welcome to the programme, tonight we talk about the ceasefire.</p>"
            b"<p>Guest: Thank you for having me on the programme tonight.</p>"
            b"</article></body></html>")
    [doc] = _items(["-"], stdin=io.BytesIO(page))
    assert doc.title == "Transcript"
    assert "Host: Welcome" in doc.text
    assert "<p>" not in doc.text and "DOCTYPE" not in doc.text


def test_stdin_empty():
    [err] = _items(["-"], stdin=io.BytesIO(b" \n"))
    _assert_one_line_naming(err, "<stdin>")


def test_stdin_binary():
    [err] = _items(["-"], stdin=io.BytesIO(b"\x00\x01\x02binary" * 20))
    _assert_one_line_naming(err, "<stdin>")


# --- size limit -----------------------------------------------------------------------------


def test_default_limit_is_generous():
    assert DEFAULT_MAX_BYTES >= 10 * 1024 * 1024


def test_file_over_max_bytes(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 400)  # 2000 bytes
    [err] = _items([path], max_bytes=1000)
    _assert_one_line_naming(err, str(path))
    assert "limit" in str(err)
    assert "--max-size" in str(err)
    # at the limit is fine
    [doc] = _items([path], max_bytes=2000)
    assert isinstance(doc, Document)


def test_stdin_over_max_bytes():
    [err] = _items(["-"], stdin=io.BytesIO(b"word " * 400), max_bytes=1000)
    _assert_one_line_naming(err, "<stdin>")
    assert "limit" in str(err)


def test_small_limit_message_is_not_self_contradictory(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a " * 10_000)  # 20 KB
    [err] = _items([path], max_bytes=int(0.01 * 1048576))
    assert "0.0 MB" not in str(err), str(err)


def test_error_for_name_with_newline_is_one_line(tmp_path):
    root = tmp_path / "dir"
    root.mkdir()
    (root / "bad\nname.txt").write_bytes(b"")
    [err] = _items([root])
    assert isinstance(err, InputError)
    assert "\n" not in str(err), repr(str(err))


# --- HTML -----------------------------------------------------------------------------------


def test_malformed_html_still_yields_text(tmp_path):
    path = tmp_path / "broken.html"
    path.write_bytes(b"<html><body><p>Unclosed paragraph about Kyiv and Moscow <b>bold <i>italic"
                     b"</p><div>More text here about the ceasefire talks.")
    [doc] = _items([path])
    assert "Unclosed paragraph about Kyiv" in doc.text
    assert "ceasefire talks" in doc.text
    assert "<" not in doc.text


def test_html_without_text(tmp_path):
    path = tmp_path / "script.htm"
    path.write_bytes(b"<html><head><script>var x = 1;</script></head><body></body></html>")
    [err] = _items([path])
    _assert_one_line_naming(err, str(path))


def test_cp1251_html(tmp_path):
    path = tmp_path / "ru.html"
    page = ("<html><head><meta charset='windows-1251'><title>Интервью</title></head><body>"
            "<p>Ведущий: Добрый вечер. Сегодня у нас в студии гость.</p><p>Гость: Спасибо.</p>"
            "</body></html>")
    path.write_bytes(page.encode("cp1251"))
    [doc] = _items([path])
    assert doc.title == "Интервью"
    assert doc.text.splitlines() == ["Ведущий: Добрый вечер. Сегодня у нас в студии гость.",
                                     "Гость: Спасибо."]


# --- damaged UTF-8 --------------------------------------------------------------------------


@pytest.mark.parametrize("tail", [b"\xd0", b"\xff and more text after the bad byte."],
                         ids=["truncated", "stray-byte"])
def test_utf8_with_one_bad_byte_is_still_text(tail):
    body = "Ведущий: Добрый вечер. Сегодня у нас в студии Александр Дугин. " * 5
    text, _ = decode_bytes(body.encode("utf-8") + tail)
    assert text.startswith(body)


def test_jsonl_lone_surrogate_is_an_input_error_or_replaced(tmp_path):
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"text": "Host: Hello \\ud800 world."}\n', encoding="utf-8")
    [item] = _items([path])
    if isinstance(item, InputError):
        _assert_one_line_naming(item, f"{path}:1")
    else:
        item.text.encode("utf-8")  # valid Unicode: surrogates replaced


def test_jsonl_with_bom_and_crlf(tmp_path):
    path = tmp_path / "windows.jsonl"
    lines = [json.dumps({"id": "a", "text": "Host: Hi.\r\nGuest: Hello."}),
             json.dumps({"id": "b", "text": "Привет."}, ensure_ascii=False)]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    items = _items([path])
    assert [(d.id, d.text) for d in items] == [("a", "Host: Hi.\nGuest: Hello."),
                                               ("b", "Привет.")]


PAGE = "<!DOCTYPE html><html><body><p>Host: Hello there, everyone.</p></body></html>"


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + PAGE.encode("utf-8"),
    PAGE.encode("utf-16"),
    b"<!-- saved from a browser -->" + PAGE.removeprefix("<!DOCTYPE html>").encode("utf-8"),
], ids=["utf8-bom", "utf16", "leading-comment"])
def test_stdin_html_sniffing(data):
    [doc] = _items(["-"], stdin=io.BytesIO(data))
    assert isinstance(doc, Document)
    assert "<p>" not in doc.text
    assert "Host: Hello there, everyone." in doc.text
