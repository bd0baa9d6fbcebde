"""Hostile and huge input (issue 19): every kind of bad input is one clear line, the batch goes
on, and output errors exit 2 -- never a hang, never a traceback.

The matrix runs as real processes (the exit status and stderr as a user sees them): one batch of
every bad input kind with good documents among them, then one process per output failure.
"""

from __future__ import annotations

import io
import json
import os
import random
import socket
import stat
import sys
from pathlib import Path

import pytest

import redline
import redline.engine
from redline.ingest import iter_documents
from redline.lang.english import MAX_CHUNK

GOOD = "Host: Welcome back.\nGuest: We must defend our border, and we will.\n"
DEEP_HTML = ("<html><head><title>Deep page</title></head><body>" + "<div>" * 300
             + "<p>The hidden body says we must strike the depot.</p>" + "</div>" * 300
             + "</body></html>")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    return sock


def _build(root: Path) -> tuple[list[tuple[str, str]], list[object]]:
    """Create every bad input under ``root``: ``[(name, expected words in its line)]``, and the
    objects to keep alive (a bound socket) while the process runs."""
    rng = random.Random(19)
    files = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\n  ",
        "blob.txt": b"\x00\x01\x02\x03" * 100,
        "random.txt": bytes(rng.randrange(256) for _ in range(4000)),
        "nuls.md": b"\x00" * 1000,
        "report.pdf": b"%PDF-1.4 not for us",
        "noext": b"plain words",
        "big.txt": b"words " * 40_000,  # 240 KB over --max-size 0.1
        "bad.jsonl": b'{"text": "We must defend the border."}\n{not json\n[1, 2]\n{"id": 3}\n'
                     b'{"text": "  "}\n{"text": "' + b"x" * 120_000 + b'"}\n',
        "empty.jsonl": b"\n\n",
        "scripts.html": b"<html><body><script>alert(1)</script></body></html>",
        "notjson.json": b"{this is not json",
        "nottelegram.json": b'{"hello": "world"}',
        "bad\nname.txt": b"",
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    _fifo(root / "fifo.txt")
    (root / "folder").mkdir()
    (root / "folder" / "a.txt").write_text(GOOD, "utf-8")
    _fifo(root / "folder" / "b.txt")
    (root / "emptydir").mkdir()
    (root / "dir.txt").mkdir()
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "null.txt").symlink_to("/dev/null")
    (root / "urandom.txt").symlink_to("/dev/urandom")
    (root / "broken.txt").symlink_to(root / "nowhere.txt")
    (root / "loop1.txt").symlink_to(root / "loop2.txt")
    (root / "loop2.txt").symlink_to(root / "loop1.txt")
    keep = [_socket(root / "sock.txt")]
    expected = [
        ("missing.txt", "no such file or directory"),
        ("empty.txt", "empty input"),
        ("blank.txt", "empty input"),
        ("blob.txt", "binary"),
        ("random.txt", "binary"),
        ("nuls.md", "binary"),
        ("report.pdf", "unsupported file type '.pdf'"),
        ("noext", "unsupported file type '(none)'"),
        ("big.txt", "over the limit"),
        ("fifo.txt", "not a regular file (a named pipe)"),
        ("folder", None),  # a.txt analysed, b.txt (a FIFO) reported
        ("emptydir", "directory holds no files"),
        ("dir.txt", "directory holds no files"),
        ("zero.txt", "not a regular file (a character device)"),
        ("null.txt", "not a regular file (a character device)"),
        ("urandom.txt", "not a regular file (a character device)"),
        ("broken.txt", "broken symbolic link (no such file or directory)"),
        ("loop1.txt", "broken symbolic link (too many levels of symbolic links)"),
        ("sock.txt", "not a regular file (a socket)"),
        ("bad.jsonl", None),  # one good line analysed, five bad lines reported
        ("empty.jsonl", "empty input, no JSON lines"),
        ("scripts.html", "no readable text in this HTML page"),
        ("notjson.json", "not valid JSON"),
        ("nottelegram.json", "not a Telegram Desktop export"),
        ("bad\nname.txt", "empty input"),
    ]
    return expected, keep


def test_a_batch_of_every_bad_input_kind_is_clean(run_subprocess, tmp_path):
    """28 kinds of bad input (and a directory and a JSON lines file that mix good and bad) in one
    batch with good documents between them: one line each, the good ones analysed, exit 0."""
    expected, keep = _build(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    (tmp_path / "deep.html").write_text(DEEP_HTML, "utf-8")
    (tmp_path / "wide.txt").write_bytes(GOOD.encode("utf-16-le"))  # UTF-16, no BOM
    (tmp_path / "proc.txt").symlink_to("/proc/version")  # a regular file that says size 0
    names = [name for name, _ in expected]
    args = [tmp_path / n for n in names[:10]] + [tmp_path / "good.txt"] + [
        tmp_path / n for n in names[10:]] + [tmp_path / n for n in ("deep.html", "wide.txt",
                                                                     "proc.txt")]
    proc = run_subprocess("analyze", "--max-size", "0.1", "--format", "jsonl", *args,
                          timeout=600)
    keep.clear()
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert all(line.startswith("redline: ") for line in lines), lines
    for name, words in expected:
        if words is None:
            continue
        shown = str(tmp_path / name).replace("\n", "\\n")
        mine = [line for line in lines if line.startswith(f"redline: {shown}:")]
        assert len(mine) == 1 and words in mine[0], (name, mine)
    assert sum("fifo" not in ln and "folder/b.txt: not a regular file (a named pipe)" in ln
               for ln in lines) == 1
    assert sum("bad.jsonl:" in ln for ln in lines) == 5
    analysed = [json.loads(line) for line in proc.stdout.splitlines()]
    sources = [a["document"]["source"] for a in analysed]
    assert sources == [str(tmp_path / "good.txt"), str(tmp_path / "folder" / "a.txt"),
                       f"{tmp_path / 'bad.jsonl'}:1", str(tmp_path / "deep.html"),
                       str(tmp_path / "wide.txt"), str(tmp_path / "proc.txt")]
    deep = analysed[3]
    assert any("nested 302 elements deep" in w for w in deep["document"]["warnings"])
    assert any(f["text"] == "strike" or "strike" in f["text"] for f in deep["findings"])
    assert analysed[4]["document"]["length"] == len(GOOD)
    assert analysed[5]["document"]["length"] > 0


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write into: a folder without write permission, or /sys
    for root (which writes through file modes)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    for candidate in (folder, Path("/sys")):
        probe = candidate / "probe.html"
        try:
            probe.write_text("x", "utf-8")
        except OSError:
            return candidate
        probe.unlink()
    pytest.skip("no read-only folder on this machine")


@pytest.mark.parametrize("kind", ["full disk", "I/O error", "read-only folder",
                                  "folder is a file", "one page for several documents"])
def test_output_errors_are_one_line_and_exit_2(run_subprocess, tmp_path, kind):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, "utf-8")
    (tmp_path / "afile").write_text("x", "utf-8")
    args = {
        "full disk": lambda: ["--out", "/dev/full"],
        "I/O error": lambda: ["--out", "/proc/version"],
        "read-only folder": lambda: ["--format", "html", "--out",
                                     f"{_read_only_folder(tmp_path)}/"],
        "folder is a file": lambda: ["--out", f"{tmp_path / 'afile' / 'out'}/"],
        "one page for several documents": lambda: ["--format", "html", "--out",
                                                   tmp_path / "a.html"],
    }[kind]()
    inputs = [good, good] if kind == "one page for several documents" else [good]
    proc = run_subprocess("analyze", *inputs, *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("redline: "), lines
    if kind not in ("folder is a file", "one page for several documents"):
        assert "cannot write the output" in lines[0]


def test_an_unreadable_folder_is_named_as_such(tmp_path, monkeypatch):
    """Not 'holds no files': os.walk's silent skip of a folder it cannot list is reported."""
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = [str(i) for i in iter_documents([str(tmp_path / "locked")])]
    assert items == [f"{tmp_path / 'locked'}: cannot read this directory: Permission denied"]


def test_utf16_without_a_byte_order_mark_is_text(tmp_path):
    for enc in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{enc}.txt"
        path.write_bytes("Гость: Мы будем защищать границу. Host: yes.\n".encode(enc))
        (doc,) = iter_documents([str(path)])
        assert doc.text.startswith("Гость: Мы будем") and doc.meta["encoding"] == enc


def test_a_long_unpunctuated_paragraph_is_cut_for_the_parser_with_exact_offsets():
    words = "we must strike the enemy bases and our army will defend the homeland"
    text = "Guest: " + " ".join([words] * 300)  # about 21,000 characters, no sentence end
    analysis = redline.analyze(text, lang="en")
    (warning,) = [w for w in analysis.document.warnings if "the parser read it in" in w]
    cuts = [int(c) for c in warning.split("cut at ")[1].split(", ")]
    assert len(cuts) == len(text) // MAX_CHUNK
    assert all(text[c - 1] == " " and text[c] != " " for c in cuts)  # at a space, never in a word
    assert all(b - a <= MAX_CHUNK for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True))
    assert analysis.findings
    for item in [*analysis.findings, *analysis.entities, *analysis.techniques]:
        assert text[item.start:item.end] == item.text


def test_a_paragraph_with_sentences_is_cut_at_a_sentence_end():
    text = " ".join(["Our soldiers will defend every village near the border."] * 200)
    analysis = redline.analyze(text, lang="en")
    (warning,) = analysis.document.warnings
    cuts = [int(c) for c in warning.split("cut at ")[1].split(", ")]
    assert all(text[c - 2:c] == ". " for c in cuts)


def test_help_texts_say_what_the_commands_do(run_cli):
    top = run_cli("--help").stdout
    assert "analyze     Analyse documents and print" in top
    assert "ingest      Analyse documents and store them" in top
    for command in ("query", "trends"):
        text = " ".join(run_cli(command, "--help").stdout.split())
        assert "created if missing" not in text and "it must exist" in text
    assert "created if missing" in " ".join(run_cli("ingest", "--help").stdout.split())


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_analyze_shows_progress_on_a_terminal_for_a_long_run(tmp_path, monkeypatch):
    from redline import cli

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(GOOD, "utf-8")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli._progress((str(tmp_path / "a.txt"),)) is None  # one small document: no bar
    reporter = cli._progress((str(tmp_path),))
    assert reporter is not None and reporter.stats.total == 2
    stages: list[str] = []
    hook = cli._stage_note(reporter, "a.txt")
    analysis = redline.engine.analyze_document(
        next(iter_documents([str(tmp_path / "a.txt")])), lang="en",
        on_stage=lambda stage: (stages.append(stage), hook(stage)))
    cli._tick(reporter, 1, 0)
    reporter.close()
    assert analysis.segments
    names = [c.name for c in redline.engine.registry().for_language("en")]
    assert [s for s in stages if " " not in s] == names
    assert "english_parse 0/2 pieces" in stages  # the parse counts its pieces as it goes
    assert "english_parse 2/2 pieces" in stages
    shown = terminal.getvalue()
    assert "analyze" in shown and "1/2" in shown and "a.txt: " in shown


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path, monkeypatch):
    from redline import cli

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli._progress((str(tmp_path),)) is None
