"""The ``redline`` command line: analyse documents, print the schema.

Errors reach the user as one line on stderr naming the input (``redline: FILE: problem``), never
as a traceback.  A bad document in a batch is reported and skipped; the others are analysed.
Exit status: 0 when at least one input was analysed (problems with the others are reported),
2 for bad usage or when nothing could be analysed.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

import click

from redline import __version__
from redline.errors import InputError, RedlineError, printable
from redline.ingest import DEFAULT_MAX_BYTES, iter_documents
from redline.ingest.readers import holds_many
from redline.languages import Language, language_codes
from redline.output import DirWriter, OutputError, StreamWriter, written
from redline.store.commands import CORPUS_COMMANDS

if TYPE_CHECKING:
    from redline.store.progress import Reporter

FORMATS = ("json", "jsonl", "text", "html")



def _say(message: str) -> None:
    click.echo(f"redline: {message}", err=True)


def _single_document(paths: tuple[str, ...]) -> bool:
    if len(paths) != 1:
        return False
    path = paths[0]
    return path == "-" or (Path(path).is_file() and not holds_many(path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redline")
def main() -> None:
    """redline: mark up political speech -- speakers, entities, threats and calls for force,
    persuasion techniques -- with exact spans and reasons. Offline; English and Russian."""


@main.command(short_help="Analyse documents and print or write the analyses.")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="json (default for one document), jsonl (default for several), text, html (a "
    "self-contained report; several documents need --out DIR/, which also gets index.html).",
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
    type=Language(),
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
    to_dir = bool(out and (out.endswith(("/", os.sep)) or Path(out).is_dir()))
    if fmt == "html" and not to_dir and not _single_document(paths):
        _say(
            "--format html makes one page per document: for several documents (a folder, "
            ".jsonl or more than one path) give --out DIR/"
        )
        sys.exit(2)
    stream: TextIO | None = None
    try:
        if to_dir:
            writer: StreamWriter | DirWriter = DirWriter(Path(out), fmt)
        else:
            stream = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
            writer = StreamWriter(stream, fmt, fmt == "json" and not _single_document(paths),
                                  out or "standard output")
        done, problems = _run(paths, lang, int(max_mb * 1048576), writer)
        writer.close()
        if out and stream is not None:
            written(out, stream.close)
    except OSError as exc:  # the output file or folder cannot be made
        _output_failed(f"{out}: cannot write the output ({exc.strerror or exc})", stream)
    except OutputError as exc:  # a full disk, a read-only folder, several pages for one
        _output_failed(str(exc), stream)
    if done == 0:
        if problems != 1:  # a single problem was already named on its own line
            _say(f"nothing was analysed ({problems} inputs could not be read)")
        sys.exit(2)


def _output_failed(message: str, stream: TextIO | None) -> NoReturn:
    """Say why the output failed, drop what could not be written, exit 2.

    The stream's unwritten bytes are discarded so that closing it at exit does not fail again
    with a traceback (a full disk, a closed pipe)."""
    _say(message)
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    sys.exit(2)


def _run(
    paths: tuple[str, ...], lang: str, max_bytes: int, writer: StreamWriter | DirWriter
) -> tuple[int, int]:
    """Analyse every readable input; report each problem on one line and go on."""
    from redline.engine import analyze_document

    reporter = _progress(paths)
    say = reporter.say if reporter is not None else lambda message: _say(message)
    done = problems = 0
    try:
        for item in iter_documents(paths, max_bytes=max_bytes):
            _tick(reporter, done, problems)
            if isinstance(item, InputError):
                problems += 1
                say(str(item))
                continue
            name = printable(item.source or item.id)
            try:
                analysis = analyze_document(item, lang=lang, on_stage=_stage_note(reporter, name))
            except Exception as exc:  # the user gets one line; the batch goes on
                problems += 1
                say(f"{name}: analysis failed, skipped ({type(exc).__name__}: {exc}); "
                    "please report this")
                continue
            done += 1
            if analysis.document.language not in language_codes():
                say(f"{name}: language {analysis.document.language!r} is not supported yet "
                    f"({', '.join(language_codes())}); only its structure was analysed")
            writer.write(analysis)
            if reporter is not None:
                reporter.stats.findings += len(analysis.findings)
    finally:
        if reporter is not None:
            _tick(reporter, done, problems)
            reporter.close()
    return done, problems


def _tick(reporter: Reporter | None, done: int, problems: int) -> None:
    """Move the bar to ``done`` analysed and ``problems`` skipped inputs."""
    if reporter is not None:
        reporter.stats.stored, reporter.stats.errors = done, problems
        reporter.update()


BIG_INPUT = 1048576  # bytes: one document this long takes a minute or more; show its progress


def _progress(paths: tuple[str, ...]) -> Reporter | None:
    """A progress bar on stderr, as `redline ingest` shows, when stderr is a terminal and the
    run is long: several documents, or one file over `BIG_INPUT`."""
    if not sys.stderr.isatty():
        return None
    from redline.ingest.readers import count_inputs

    total = count_inputs(paths)
    if total < 2 and not any(_size(p) > BIG_INPUT for p in paths):
        return None
    try:
        from redline.store.progress import Reporter, RunStats

        return Reporter(RunStats(total=total), label="analyze")
    except ImportError:  # rich is missing: no bar, the run itself is unchanged
        return None


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size if path != "-" else 0
    except OSError:
        return 0


def _stage_note(reporter: Reporter | None, name: str) -> Callable[[str], None] | None:
    """The engine's stage hook that shows ``name: stage`` after the bar."""
    if reporter is None:
        return None
    return lambda stage: reporter.note(f"{name}: {stage}")


@main.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--task", type=click.Choice(["events", "threat", "techniques", "speech"]),
              default="events", show_default=True,
              help="events: labelled sentences (action, modality, target, severity); "
                   "threat: document-level labels of ../shared/data, with peers; "
                   "techniques: SemEval span format, span-level P/R/F1 (no DATASET: the "
                   "real-speech technique sets, --split, beside the written ones); "
                   "speech: the real-speech corpus (tests/data/speech_*.jsonl), with peers.")
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="dev",
              show_default=True, help="speech and techniques: which split of the real-speech "
              "sets to score (rules are written against dev; test is read for figures alone).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="speech: worker processes.")
@click.option("--without", "without", multiple=True, metavar="COMPONENT",
              help="speech: measure redline without a component (e.g. --without scorer).")
@click.option("--show", "show_id", default=None, metavar="ID",
              help="speech: print one corpus sentence in its context, with its gold findings.")
@click.option("--lang", type=Language(), default="auto", show_default=True,
              help="Language of the dataset's texts; auto reads the records' 'lang' field or "
                   "identifies the first texts (threat: identifies each document).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="threat: only the first N records.")
@click.option("--peers", default="keywords,empath,alt-profanity-check,tfidf-lr-cv",
              show_default=True,
              help="threat: comma-separated peers to run beside redline ('' for none).")
@click.option("--errors", "show_errors", is_flag=True, help="events: also list every error.")
@click.option("--pairs", "pairs_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="events: the labelled set in the other language; records with a 'pair' id "
                   "are analysed in both languages and their findings compared.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_cmd(dataset: str | None, task: str, split: str, jobs: int, without: tuple[str, ...],
             show_id: str | None,
             lang: str, limit: int | None, peers: str, show_errors: bool,
             pairs_path: str | None, as_json: bool) -> None:
    """Measure redline on a labelled DATASET (JSON lines, optionally gzipped).

    With --task speech, DATASET defaults to the real-speech corpus of each language."""
    if task == "speech":
        from redline.eval.cli_speech import eval_speech

        eval_speech(dataset, split, lang, limit, jobs, show_id, show_errors, as_json, without)
        return
    if dataset is None and task == "techniques":
        _eval_real_techniques(split, lang, as_json)
        return
    if dataset is None:
        _say(f"--task {task} needs a DATASET")
        sys.exit(2)
    if task == "threat":  # auto: each document's language is identified from its text
        _eval_threat(Path(dataset), lang, limit, peers, as_json)
        return
    if lang == "auto":
        lang = _dataset_language(Path(dataset))
    if task == "techniques":
        from redline.eval.events import load_jsonl
        from redline.eval.techniques import evaluate_techniques, format_technique_report

        report = evaluate_techniques(load_jsonl(Path(dataset)), lang=lang)
        click.echo(json.dumps(report, indent=2) if as_json else format_technique_report(report))
        return
    from redline.eval.events import format_event_report, load_jsonl, score_events

    try:
        records = load_jsonl(Path(dataset))
    except (OSError, ValueError) as exc:
        _say(f"{dataset}: cannot read the dataset ({exc})")
        sys.exit(2)
    scores = score_events(records, lang=lang)
    figures = scores.as_dict()
    agreement = None
    if pairs_path:
        from redline.eval.events import pair_agreement

        other = _dataset_language(Path(pairs_path))
        agreement = pair_agreement(records, load_jsonl(Path(pairs_path)), lang, other)
        figures["pair_agreement"] = {k: v for k, v in agreement.items() if k != "disagreements"}
    if as_json:
        click.echo(json.dumps(figures, indent=2))
    else:
        click.echo(format_event_report(scores))
        if agreement is not None:
            click.echo(f"  parallel pairs     agreement {agreement['agreement']:.3f} "
                       f"({agreement['agreeing']} of {agreement['pairs']} translation pairs give "
                       "the same findings)")
    if show_errors:
        click.echo("\n".join(scores.errors + (agreement or {}).get("disagreements", [])))


def _eval_real_techniques(split: str, lang: str, as_json: bool) -> None:
    """Technique spans on the real-speech sets (one split) beside the written passages."""
    from redline.eval.events import load_jsonl
    from redline.eval.sources import SourceMissing
    from redline.eval.techniques import (
        DATA,
        evaluate_techniques,
        format_technique_report,
        real_passages,
        real_set_path,
    )

    reports = {}
    for code in ("en", "ru") if lang == "auto" else (lang,):
        if not real_set_path(code).exists():
            _say(f"{real_set_path(code).name}: no real technique set for {code}")
            continue
        try:
            passages = real_passages(code, split)
        except SourceMissing as exc:
            _say(f"{exc}")
            sys.exit(2)
        reports[f"real speech, {code}, {split} split"] = evaluate_techniques(passages, code)
        written = DATA / f"techniques_{code}.jsonl"
        if written.exists():
            reports[f"written passages, {code}"] = evaluate_techniques(load_jsonl(written), code)
    if as_json:
        click.echo(json.dumps(reports, indent=2))
        return
    for name, report in reports.items():
        click.echo(f"{name}\n{format_technique_report(report)}\n")


def _dataset_language(path: Path, sample: int = 20) -> str:
    """The language of a labelled set: its records' 'lang' field, else the first texts'."""
    from collections import Counter

    from redline.eval.threat import read_records
    from redline.lang.identify import identify_language

    try:
        records = list(read_records(path, limit=sample))
    except (OSError, ValueError) as exc:
        _say(f"{path}: cannot read the dataset ({exc})")
        sys.exit(2)
    tags = Counter(rec.get("lang") for rec in records)
    tags.pop(None, None)
    texts = " ".join(str(rec.get("text", "")) for rec in records)
    found = tags.most_common(1)[0][0] if tags else identify_language(texts)
    return found if found in language_codes() else "en"


def _eval_threat(path: Path, lang: str, limit: int | None, peers: str, as_json: bool) -> None:
    from redline.eval.threat import PEERS, evaluate_threat, format_threat_report

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
@click.option("--lang", type=Language(auto=False), default="en", show_default=True)
def calibrate(dataset: str, out: str | None, lang: str) -> None:
    """Fit confidence calibration on the dev half of DATASET, report it on the test half."""
    from redline.eval.calibration import fit_isotonic, raw_scores
    from redline.eval.events import (
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
@click.argument("first", type=click.Path(exists=True, dir_okay=False))
@click.argument("second", type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", "langs", default="auto,auto", show_default=True,
              help="Languages of FIRST and SECOND, comma-separated (auto identifies each).")
def compare(first: str, second: str, langs: str) -> None:
    """Align the findings of a speech and its translation; print them and the agreement."""
    from redline.engine import analyze_document
    from redline.eval.compare import align, format_alignment

    lang_a, _, lang_b = langs.partition(",")
    docs = []
    for path, lang in ((first, lang_a or "auto"), (second, lang_b or "auto")):
        items = list(iter_documents([path]))
        if len(items) != 1 or isinstance(items[0], InputError):
            _say(str(items[0]) if items else f"{path}: nothing to read")
            sys.exit(2)
        docs.append(analyze_document(items[0], lang=lang))
    click.echo(format_alignment(docs[0], docs[1], align(docs[0].findings, docs[1].findings,
                                                       (len(docs[0].text), len(docs[1].text)))))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the analysis format (redline/analysis@1)."""
    from redline.schema import analysis_schema

    click.echo(json.dumps(analysis_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default keeps the app on this machine.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--max-upload-mb", "max_upload_mb", type=click.FloatRange(min=0.001), default=10,
              show_default=True, help="Largest request body (pasted text or file), in MB.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=120,
              show_default=True, help="Longest one analysis may take, in seconds (then 504).")
@click.option("--db", "db", default=None, envvar="REDLINE_DB",
              help="Corpus database to browse at /corpus, opened read-only: a SQLite file made "
                   "by `redline ingest` or a postgresql:// URL. Also $REDLINE_DB.")
def serve(host: str, port: int, max_upload_mb: float, timeout_s: float,
          db: str | None) -> None:
    """Run the local web app: paste or upload a document and read its report.

    JSON API at POST /api/analyze, documented at /docs.  With --db, browse a corpus at
    /corpus (read-only).  Needs the 'web' extra (and the 'corpus' extra for --db).
    """
    try:
        import uvicorn

        from redline.web.app import allowed_hosts_for, create_app
    except ImportError as exc:
        _say(f"the web app needs the 'web' extra ({exc.name} is missing): "
             "pip install 'redline[web]'")
        sys.exit(2)
    if host not in ("127.0.0.1", "localhost", "::1"):
        _say(f"warning: listening on {host} makes the app reachable from other machines, "
             "and it has no login")
    try:  # fail in a second with one line, not after loading the models
        import socket

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        _say(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
        sys.exit(2)
    try:
        app = create_app(max_upload_bytes=int(max_upload_mb * 1048576), timeout=timeout_s,
                         allowed_hosts=allowed_hosts_for(host), db=db or None)
    except ImportError as exc:
        _say(f"--db needs the 'corpus' extra ({exc.name} is missing): "
             "pip install 'redline[corpus]'")
        sys.exit(2)
    except RedlineError as exc:  # the corpus database cannot be opened
        _say(str(exc))
        sys.exit(2)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"redline: serving on http://{shown}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
def components() -> None:
    """List the registered pipeline components, in the order they run."""
    from redline.engine import registry

    for comp in registry().ordered():
        langs = ",".join(sorted(comp.languages)) or "all"
        click.echo(f"{comp.stage:10} {comp.name:20} {langs}")


for _command in CORPUS_COMMANDS:  # ingest, trends, query: redline/store/commands.py
    main.add_command(_command)


if __name__ == "__main__":
    main()
