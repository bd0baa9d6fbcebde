"""The ``redline`` command line: analyse documents, print the schema.

Errors reach the user as one line on stderr naming the input (``redline: FILE: problem``), never
as a traceback.  A bad document in a batch is reported and skipped; the others are analysed.
Exit status: 0 when at least one input was analysed (problems with the others are reported),
2 for bad usage or when nothing could be analysed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

import click

from redline import __version__
from redline.errors import InputError, printable
from redline.ingest import DEFAULT_MAX_BYTES, iter_documents
from redline.lang.identify import SUPPORTED_LANGUAGES
from redline.output import DirWriter, StreamWriter

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
    type=click.Path(),
    default=None,
    help="Write to FILE, or one file per document into DIR (an existing folder or a "
    "path ending in /).",
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
    stream: TextIO | None = None
    try:
        if out and (out.endswith(("/", os.sep)) or Path(out).is_dir()):
            writer: StreamWriter | DirWriter = DirWriter(Path(out), fmt)
        else:
            stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
            writer = StreamWriter(stream, fmt, fmt == "json" and not _single_document(paths))
    except OSError as exc:
        _say(f"{out}: cannot write the output ({exc.strerror or exc})")
        sys.exit(2)
    try:
        done, problems = _run(paths, lang, int(max_mb * 1048576), writer)
    finally:
        writer.close()
        if out and stream is not None:
            stream.close()
    if done == 0:
        if problems != 1:  # a single problem was already named on its own line
            _say(f"nothing was analysed ({problems} inputs could not be read)")
        sys.exit(2)


def _run(
    paths: tuple[str, ...], lang: str, max_bytes: int, writer: StreamWriter | DirWriter
) -> tuple[int, int]:
    """Analyse every readable input; report each problem on one line and go on."""
    from redline.engine import analyze_document

    done = problems = 0
    for item in iter_documents(paths, max_bytes=max_bytes):
        if isinstance(item, InputError):
            problems += 1
            _say(str(item))
            continue
        try:
            analysis = analyze_document(item, lang=lang)
        except Exception as exc:  # the user gets one line; the batch goes on
            problems += 1
            _say(
                f"{printable(item.source or item.id)}: analysis failed, skipped "
                f"({type(exc).__name__}: {exc}); please report this"
            )
            continue
        done += 1
        if analysis.document.language not in SUPPORTED_LANGUAGES:
            _say(
                f"{printable(item.source or item.id)}: language "
                f"{analysis.document.language!r} is not supported yet (en, ru); "
                "only its structure was analysed"
            )
        writer.write(analysis)
    return done, problems


@main.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False))
@click.option("--task", type=click.Choice(["events", "threat"]), default="events",
              show_default=True,
              help="events: labelled sentences (action, modality, target, severity); "
                   "threat: document-level labels of ../shared/data, with peers.")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="threat: only the first N records.")
@click.option("--peers", default="keywords,empath,alt-profanity-check", show_default=True,
              help="threat: comma-separated peers to run beside redline ('' for none).")
@click.option("--errors", "show_errors", is_flag=True, help="events: also list every error.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_cmd(dataset: str, task: str, lang: str, limit: int | None, peers: str,
             show_errors: bool, as_json: bool) -> None:
    """Measure redline on a labelled DATASET (JSON lines, optionally gzipped)."""
    if task == "threat":
        _eval_threat(Path(dataset), lang, limit, peers, as_json)
        return
    from redline.evaluate import format_event_report, load_jsonl, score_events

    try:
        records = load_jsonl(Path(dataset))
    except (OSError, ValueError) as exc:
        _say(f"{dataset}: cannot read the dataset ({exc})")
        sys.exit(2)
    scores = score_events(records, lang=lang)
    click.echo(json.dumps(scores.as_dict(), indent=2) if as_json else format_event_report(scores))
    if show_errors:
        click.echo("\n".join(scores.errors))


def _eval_threat(path: Path, lang: str, limit: int | None, peers: str, as_json: bool) -> None:
    from redline.evaluate_threat import PEERS, evaluate_threat, format_threat_report

    chosen = tuple(p for p in peers.split(",") if p)
    unknown = [p for p in chosen if p not in PEERS]
    if unknown:
        _say(f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(PEERS)}")
        sys.exit(2)

    def progress(done: int, total: int) -> None:
        click.echo(f"redline: {done}/{total} documents", err=True)

    try:
        report = evaluate_threat(path, limit=limit, lang=lang, peers=chosen, progress=progress)
    except (OSError, ValueError, KeyError) as exc:
        _say(f"{path}: cannot evaluate ({exc})")
        sys.exit(2)
    except ImportError as exc:
        _say(f"a peer is not installed ({exc}); install the dev extra: pip install -e '.[dev]'")
        sys.exit(2)
    click.echo(json.dumps(report, indent=2) if as_json else format_threat_report(report))


@main.command()
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Write the fitted map here (e.g. redline/data/calibration/en.json).")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True)
def calibrate(dataset: str, out: str | None, lang: str) -> None:
    """Fit confidence calibration on the dev half of DATASET, report it on the test half."""
    from redline.calibration import fit_isotonic, raw_scores
    from redline.evaluate import (
        expected_calibration_error,
        finding_outcomes,
        load_jsonl,
        reliability_table,
        split_half,
    )

    records = load_jsonl(Path(dataset))
    with raw_scores():
        dev = finding_outcomes(split_half(records, "dev"), lang)
        test = finding_outcomes(split_half(records, "test"), lang)
    steps = fit_isotonic(dev)

    def mapped(raw: float) -> float:
        return next((p for upper, p in steps if raw <= upper + 1e-9), steps[-1][1])

    test_cal = [(mapped(c), ok) for c, ok in test]
    click.echo(f"fitted on {len(dev)} dev findings: steps {steps}")
    for name, pairs in (("raw", test), ("calibrated", test_cal)):
        click.echo(f"test half, {name}: ECE {expected_calibration_error(pairs)}")
        for row in reliability_table(pairs):
            click.echo(f"  {row['bin']}  n={row['n']:<4} mean conf {row['mean_confidence']:.2f}"
                       f"  share right {row['share_right']:.2f}")
    if out:
        Path(out).write_text(json.dumps({"fitted_on": f"{dataset} (dev half)", "steps": steps},
                                        indent=2) + "\n", "utf-8")


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
