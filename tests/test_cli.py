"""The command line, per the contract in DESIGN.md ("Command line").

Most tests run the CLI in-process (``run_cli``); two spawn a real process: standard input as
bytes, and the exit status / absence of a traceback for bad inputs as the user sees them.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

SCHEMA_ID = "redline/analysis@1"

TRANSCRIPT = """\
Evening Debate: Is the Ceasefire Holding?

Host: Good evening and welcome. Tonight we ask whether the ceasefire can hold. With me are \
Alexander Dugin and Kaja Kallas.

Alexander Dugin: Thank you. The West has chosen escalation. Every week brings new weapons to Kyiv.

Kaja Kallas: That is simply not true. Estonia and the European Union want peace, but not at any \
price.

Host: We have to leave it there. Thank you both.
"""

SPEECH = """\
Address to the Nation

My fellow citizens, tonight I speak to you about the security of our country and of Europe.
We will defend every inch of our territory. We do not intend to attack anyone.
Thank you, and good night.
"""

FRENCH = (
    "Le président de la République a déclaré mardi que la France continuerait de soutenir "
    "l'Ukraine aussi longtemps qu'il le faudrait. Devant les ambassadeurs réunis à l'Élysée, "
    "il a rappelé que la paix ne pouvait être imposée par la force et que les négociations "
    "devaient respecter la souveraineté du pays. Plusieurs responsables de l'opposition ont "
    "critiqué ce discours, jugeant que le gouvernement n'avait pas de stratégie claire pour "
    "sortir de la crise.\n"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    (root / "transcript.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "speech.txt").write_bytes(SPEECH.replace("\n", "\r\n").encode("utf-8"))
    (root / "french.txt").write_text(FRENCH, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def transcript_result(run_cli, corpus):
    """One in-process analysis of the transcript, shared by the tests that only read it."""
    result = run_cli("analyze", corpus / "transcript.txt")
    assert result.exit_code == 0, result.stderr
    return result


def _err_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def _assert_reported(result, name: str) -> str:
    """stderr has exactly one line naming ``name``, and no traceback; returns that line."""
    assert "Traceback" not in result.stderr
    lines = [line for line in _err_lines(result) if name in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- output formats -------------------------------------------------------------------------


def test_one_file_prints_one_json_object(transcript_result, corpus):
    out = transcript_result.stdout
    data = json.loads(out)  # the whole of stdout is one object
    assert isinstance(data, dict)
    assert data["schema"] == SCHEMA_ID
    doc = data["document"]
    assert doc["source"] == str(corpus / "transcript.txt")
    assert doc["language"] == "en"
    assert doc["length"] == len(TRANSCRIPT)
    for key in ("segments", "entities", "findings", "techniques", "summary"):
        assert key in data
    speakers = {s.get("speaker") for s in data["segments"] if s["kind"] == "turn"}
    assert {"Host", "Alexander Dugin", "Kaja Kallas"} <= speakers
    assert transcript_result.stderr == ""


def test_spans_match_the_file(transcript_result):
    data = json.loads(transcript_result.stdout)
    for seg in data["segments"]:
        assert 0 <= seg["start"] <= seg["end"] <= len(TRANSCRIPT)
    for ent in data["entities"]:
        for start, end in ent["mentions"]:
            assert TRANSCRIPT[start:end].strip()
    for item in data["findings"] + data["techniques"]:
        assert TRANSCRIPT[item["start"]:item["end"]] == item["text"]


def test_two_files_default_to_jsonl_in_input_order(run_cli, corpus):
    paths = [corpus / "transcript.txt", corpus / "speech.txt"]
    result = run_cli("analyze", *paths)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    docs = [json.loads(line) for line in lines]
    assert [d["schema"] for d in docs] == [SCHEMA_ID, SCHEMA_ID]
    assert [d["document"]["source"] for d in docs] == [str(p) for p in paths]
    # the CRLF file is measured after newline normalisation
    assert docs[1]["document"]["length"] == len(SPEECH)
    reversed_run = run_cli("analyze", *reversed(paths))
    assert reversed_run.stdout.splitlines() == lines[::-1]


def test_json_format_for_several_documents_is_an_array(run_cli, corpus):
    result = run_cli("analyze", corpus / "transcript.txt", corpus / "speech.txt",
                     "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 2
    assert all(d["schema"] == SCHEMA_ID for d in data)


def test_jsonl_format_for_one_document(run_cli, corpus):
    result = run_cli("analyze", corpus / "transcript.txt", "--format", "jsonl")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert json.loads(line)["schema"] == SCHEMA_ID


def test_text_format_is_a_readable_summary(run_cli, corpus):
    result = run_cli("analyze", corpus / "transcript.txt", "--format", "text")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert not out.lstrip().startswith("{")
    assert "Evening Debate" in out or "transcript.txt" in out
    for name in ("Host", "Alexander Dugin", "Kaja Kallas"):
        assert name in out
    assert "Findings" in out
    assert len(out.splitlines()) >= 5


def test_out_writes_the_file(run_cli, corpus, tmp_path, transcript_result):
    target = tmp_path / "analysis.json"
    result = run_cli("analyze", corpus / "transcript.txt", "--out", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert json.loads(written)["schema"] == SCHEMA_ID
    assert written == transcript_result.stdout


def test_out_for_several_documents(run_cli, corpus, tmp_path):
    target = tmp_path / "batch.jsonl"
    result = run_cli("analyze", corpus / "transcript.txt", corpus / "speech.txt", "--out", target)
    assert result.exit_code == 0, result.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2


def test_html_format(run_cli, corpus, tmp_path):
    target = tmp_path / "report.html"
    result = run_cli("analyze", corpus / "transcript.txt", "--format", "html", "--out", target)
    assert result.exit_code == 0, result.stderr
    assert "<html" in target.read_text(encoding="utf-8").lower()


def test_lang_option_forces_the_language(run_cli, corpus):
    result = run_cli("analyze", corpus / "transcript.txt", "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["document"]["language"] == "ru"


def test_deterministic_output(run_cli, corpus, transcript_result):
    again = run_cli("analyze", corpus / "transcript.txt")
    assert again.stdout_bytes == transcript_result.stdout_bytes


# --- schema ---------------------------------------------------------------------------------


def test_schema_command_validates_real_analyses(run_cli, corpus, transcript_result):
    from jsonschema import Draft202012Validator

    result = run_cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    analyses = [json.loads(transcript_result.stdout)]
    batch = run_cli("analyze", corpus / "speech.txt", corpus / "french.txt")
    analyses += [json.loads(line) for line in batch.stdout.splitlines()]
    for analysis in analyses:
        errors = sorted(validator.iter_errors(analysis), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # and the schema rejects something that is not an analysis
    assert not validator.is_valid({"schema": SCHEMA_ID})


# --- bad inputs -----------------------------------------------------------------------------


def test_missing_file(run_cli, tmp_path):
    missing = tmp_path / "nowhere.txt"
    result = run_cli("analyze", missing)
    assert result.exit_code == 2
    assert result.stdout == ""
    line = _assert_reported(result, str(missing))
    assert "no such file" in line


def test_empty_file(run_cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("analyze", empty)
    assert result.exit_code == 2
    line = _assert_reported(result, str(empty))
    assert "empty" in line


def test_unsupported_file_type(run_cli, tmp_path):
    doc = tmp_path / "speech.docx"
    doc.write_bytes(b"PK\x03\x04")
    result = run_cli("analyze", doc)
    assert result.exit_code == 2
    assert ".docx" in _assert_reported(result, str(doc))


def test_directory_with_a_binary_file(run_cli, tmp_path):
    root = tmp_path / "speeches"
    root.mkdir()
    (root / "a.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500))
    (root / "c.txt").write_text(SPEECH, encoding="utf-8")
    result = run_cli("analyze", root)
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(d["document"]["source"]).name for d in docs] == ["a.txt", "c.txt"]
    line = _assert_reported(result, str(root / "b.txt"))
    assert "binary" in line
    assert len(_err_lines(result)) == 1


def test_random_bytes_file(run_cli, tmp_path):
    rng = random.Random(7)
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    result = run_cli("analyze", noise)
    assert result.exit_code == 2
    assert result.stdout == ""
    _assert_reported(result, str(noise))


def test_file_over_max_size(run_cli, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 4096)  # 20 KB
    result = run_cli("analyze", big, "--max-size", "0.01")
    assert result.exit_code == 2
    assert result.stdout == ""
    line = _assert_reported(result, str(big))
    assert "limit" in line and "MB" in line


def test_jsonl_with_bad_lines(run_cli, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "one", "text": TRANSCRIPT, "title": "Debate", "date": "2024-05-01"}),
        "{not json",
        json.dumps({"id": "no-text", "title": "nothing here"}),
        json.dumps({"id": "two", "text": SPEECH, "lang": "en"}),
    ]) + "\n", encoding="utf-8")
    result = run_cli("analyze", batch)
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["document"]["id"] for d in docs] == ["one", "two"]
    assert docs[0]["document"]["title"] == "Debate"
    assert docs[0]["document"]["date"] == "2024-05-01"
    assert "Traceback" not in result.stderr
    errs = _err_lines(result)
    assert len(errs) == 2
    assert f"{batch}:2" in errs[0] and "JSON" in errs[0]
    assert f"{batch}:3" in errs[1] and "text" in errs[1]


def test_good_and_bad_inputs_together(run_cli, corpus, tmp_path):
    missing = tmp_path / "gone.txt"
    result = run_cli("analyze", missing, corpus / "speech.txt")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert json.loads(line)["document"]["source"] == str(corpus / "speech.txt")
    _assert_reported(result, str(missing))


def test_no_paths_is_a_usage_error(run_cli):
    result = run_cli("analyze")
    assert result.exit_code == 2


def test_bad_option_value_is_a_usage_error(run_cli, corpus):
    result = run_cli("analyze", corpus / "speech.txt", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stdout == ""


# --- languages ------------------------------------------------------------------------------


def test_unsupported_language_gets_structure_and_a_warning(run_cli, corpus):
    assert 380 <= len(FRENCH) <= 520
    result = run_cli("analyze", corpus / "french.txt")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    doc = data["document"]
    assert doc["language"] == "fr"
    assert any("not supported" in w for w in doc.get("warnings", [])), doc
    assert data["segments"], "structure is analysed for every language"
    seg = data["segments"][0]
    assert FRENCH[seg["start"]:seg["end"]].startswith("Le président")
    assert data["findings"] == []
    summary = run_cli("analyze", corpus / "french.txt", "--format", "text")
    assert "not supported" in summary.stdout


# --- real processes -------------------------------------------------------------------------


def test_stdin_dash(run_subprocess, run_cli):
    payload = TRANSCRIPT.replace("\n", "\r\n").encode("utf-8")
    proc = run_subprocess("analyze", "-", input=payload)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == SCHEMA_ID
    assert data["document"]["source"] == "<stdin>"
    assert data["document"]["length"] == len(TRANSCRIPT)
    # another process, the same bytes: byte-identical output
    in_process = run_cli("analyze", "-", input=payload)
    assert in_process.stdout == proc.stdout


def test_bad_inputs_in_a_real_process(run_subprocess, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    proc = run_subprocess("analyze", tmp_path / "missing.txt", tmp_path / "empty.txt",
                          tmp_path / "blob.txt")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    for name in ("missing.txt", "empty.txt", "blob.txt"):
        assert sum(name in line for line in proc.stderr.splitlines()) == 1, proc.stderr
    assert all(line.startswith("redline: ") for line in proc.stderr.splitlines())


def test_default_size_limit_on_a_50_mb_file(run_cli, tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a " * 25_000_000)
    started = time.monotonic()
    result = run_cli("analyze", huge)
    elapsed = time.monotonic() - started
    assert result.exit_code == 2
    assert result.stdout == ""
    line = _assert_reported(result, str(huge))
    assert "MB" in line and "limit" in line
    assert elapsed < 5, "the file must be refused before it is read and analysed"


def test_out_in_a_missing_directory(run_cli, corpus, tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "out.json"
    result = run_cli("analyze", corpus / "speech.txt", "--out", target)
    assert result.exit_code == 2
    _assert_reported(result, str(target))


def test_out_dir_writes_one_file_per_document(run_cli, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Host: Hello.\nIvan Petrov: We must strike Kyiv.\n", "utf-8")
    (src / "b.md").write_text("# Title\n\nA speech about peace.\n", "utf-8")
    out = tmp_path / "out"
    result = run_cli("analyze", str(src), "--out", str(out) + "/")
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["a.json", "b.json"]
    a = json.loads((out / "a.json").read_text("utf-8"))
    assert a["schema"] == "redline/analysis@1" and a["findings"]


def test_single_missing_input_gives_exactly_one_line(run_cli, tmp_path):
    result = run_cli("analyze", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_telegram_export_is_several_documents(run_cli):
    export = Path(__file__).resolve().parent / "fixtures" / "corpus" / "telegram" / "result.json"
    result = run_cli("analyze", str(export))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) > 1  # jsonl by default: one analysis per message
    assert all(json.loads(line)["schema"] == "redline/analysis@1" for line in lines)


def test_eval_threat_prints_redline_next_to_a_peer(run_cli):
    data = Path(__file__).resolve().parent / "fixtures" / "threat_mini.jsonl"
    result = run_cli("eval", data, "--task", "threat", "--peers", "keywords", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rows = report["systems"]
    assert set(rows) == {"redline", "keywords"}
    assert rows["redline"]["tp"] == 2 and rows["redline"]["fp"] == 0


def test_eval_threat_reads_each_document_in_its_own_language(run_cli, tmp_path):
    data = tmp_path / "mixed.jsonl"
    rows = [{"id": "1", "text": "Hang the traitors, all of them!", "label": True},
            {"id": "2", "text": "Wij zijn er weer bij! Het team staat klaar, een nieuwe coach, "
                                "maar een ander kampioen worden.", "label": False}]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    result = run_cli("eval", data, "--task", "threat", "--peers", "")
    assert result.exit_code == 0, result.output
    assert "not supported, so scored no: nl 1" in result.stdout
    report = json.loads(run_cli("eval", data, "--task", "threat", "--peers", "", "--json").stdout)
    assert report["languages"] == {"en": 1, "nl": 1}


def test_eval_events_reads_the_language_of_the_set(run_cli, tmp_path):
    data = Path(__file__).resolve().parent / "data" / "events_ru.jsonl"
    lines = data.read_text("utf-8").splitlines()[:12]
    subset = tmp_path / "ru.jsonl"
    subset.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_cli("eval", subset, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["matched"] > 0  # read as Russian, not as English
