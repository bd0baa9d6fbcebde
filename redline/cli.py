"""The ``redline`` command line: analyse documents, print the schema.

Errors reach the user as one line on stderr naming the input (``redline: FILE: problem``), never
as a traceback.  A bad document in a batch is reported and skipped; the others are analysed.
Exit status: 0 when every readable input was analysed, 1 when an analysis failed internally,
2 for bad usage or when nothing could be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import click

from redline import __version__
from redline.errors import InputError
from redline.ingest import DEFAULT_MAX_BYTES, iter_documents
from redline.lang.identify import SUPPORTED_LANGUAGES

FORMATS = ("json", "jsonl", "text")
LANGS = ("auto", "en", "ru")


def _say(message: str) -> None:
    click.echo(f"redline: {message}", err=True)


def _single_document(paths: tuple[str, ...]) -> bool:
    if len(paths) != 1:
        return False
    path = paths[0]
    return path == "-" or (
        Path(path).is_file() and Path(path).suffix.lower() not in (".jsonl", ".ndjson")
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redline")
def main() -> None:
    """redline: mark up political speech -- speakers, entities, threats and calls for force,
    persuasion techniques -- with exact spans and reasons. Offline; English and Russian."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="json (default for one document), jsonl (default for several), text.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="auto",
    show_default=True,
    help="Language of the documents; auto identifies each one.",
)
@click.option(
    "--max-size",
    "max_mb",
    type=click.FloatRange(min=0.001),
    default=DEFAULT_MAX_BYTES / 1048576,
    show_default=True,
    help="Largest input file to read, in MB.",
)
def analyze(
    paths: tuple[str, ...], fmt: str | None, out: str | None, lang: str, max_mb: float
) -> None:
    """Analyse PATH... (files, directories, .jsonl, or - for standard input)."""
    fmt = fmt or ("json" if _single_document(paths) else "jsonl")
    try:
        stream: TextIO = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    except OSError as exc:
        _say(f"{out}: cannot write the output ({exc.strerror or exc})")
        sys.exit(2)
    try:
        counts = _run(paths, fmt, lang, int(max_mb * 1048576), stream)
    finally:
        if out:
            stream.close()
    read, failed, unreadable = counts
    if read == 0 and failed == 0:
        plural = "s" if unreadable != 1 else ""
        _say(f"nothing to analyse ({unreadable} input{plural} could not be read)")
        sys.exit(2)
    if failed:
        sys.exit(1)


def _run(
    paths: tuple[str, ...], fmt: str, lang: str, max_bytes: int, stream: TextIO
) -> tuple[int, int, int]:
    from redline.engine import analyze_document
    from redline.report.text import render_text

    read = failed = unreadable = 0
    as_array = fmt == "json" and not _single_document(paths)
    first = True
    if as_array:
        stream.write("[\n")
    for item in iter_documents(paths, max_bytes=max_bytes):
        if isinstance(item, InputError):
            unreadable += 1
            _say(str(item))
            continue
        try:
            analysis = analyze_document(item, lang=lang)
        except Exception as exc:  # the user gets one line; the batch goes on
            failed += 1
            _say(f"{item.source}: analysis failed ({type(exc).__name__}: {exc})")
            continue
        read += 1
        if analysis.document.language not in SUPPORTED_LANGUAGES:
            _say(f"{item.source}: language {analysis.document.language!r} is not supported yet "
                 "(en, ru); only its structure was analysed")
        if fmt == "jsonl":
            stream.write(analysis.to_json(indent=None) + "\n")
        elif fmt == "json":
            if as_array and not first:
                stream.write(",\n")
            stream.write(analysis.to_json() + ("" if as_array else "\n"))
        else:
            stream.write(("" if first else "\n") + render_text(analysis))
        first = False
        stream.flush()
    if as_array:
        stream.write("\n]\n")
    return read, failed, unreadable


@main.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False))
@click.option("--task", type=click.Choice(["events"]), default="events", show_default=True,
              help="events: labelled sentences with expected action, modality, target, severity.")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True)
@click.option("--errors", "show_errors", is_flag=True, help="Also list every error.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_cmd(dataset: str, task: str, lang: str, show_errors: bool, as_json: bool) -> None:
    """Measure redline on a labelled DATASET (JSON lines)."""
    from redline.evaluate import format_event_report, load_jsonl, score_events

    try:
        records = load_jsonl(Path(dataset))
    except (OSError, ValueError) as exc:
        _say(f"{dataset}: cannot read the dataset ({exc})")
        sys.exit(2)
    scores = score_events(records, lang=lang)
    if as_json:
        click.echo(json.dumps(scores.as_dict(), indent=2))
    else:
        click.echo(format_event_report(scores))
    if show_errors:
        click.echo("\n".join(scores.errors))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the analysis format (redline/analysis@1)."""
    from redline.schema import analysis_schema

    click.echo(json.dumps(analysis_schema(), indent=2, ensure_ascii=False))


@main.command()
def components() -> None:
    """List the registered pipeline components, in the order they run."""
    from redline.components import default_registry

    for comp in default_registry().ordered():
        langs = ",".join(sorted(comp.languages)) or "all"
        click.echo(f"{comp.stage:10} {comp.name:20} {langs}")


if __name__ == "__main__":
    main()
