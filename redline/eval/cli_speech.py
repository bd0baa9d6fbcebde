"""The command-line side of ``redline eval --task speech`` (figures in `redline.eval.speech`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from redline.detect.core.confidence import ASSERTED
from redline.eval.sources import SourceMissing
from redline.eval.speech import (
    CorpusError,
    corpus_path,
    errors,
    evaluate,
    format_report,
    load_sentences,
    predict,
    read_corpus,
    show,
)


def _fail(message: str) -> None:
    click.echo(f"redline: {message}", err=True)
    sys.exit(2)


def eval_speech(dataset: str | None, split: str, lang: str, limit: int | None, jobs: int,
                show_id: str | None, show_errors: bool, as_json: bool,
                without: tuple[str, ...] = ()) -> None:
    """Score redline and the keyword peer on the corpus, one language after the other."""
    try:
        if show_id:
            click.echo(show(show_id))
            return
        if show_errors and split != "dev":
            _fail("--errors lists sentences: use it on the dev split only "
                  "(the test split is read for figures alone)")
        reports = [_one_language(path, split, limit, jobs, show_errors, without)
                   for path in _corpus_files(dataset, lang)]
    except (CorpusError, SourceMissing, KeyError) as exc:
        _fail(str(exc).strip("'\""))
    if as_json:
        click.echo(json.dumps({"split": split, "languages": reports}, indent=2))
    else:
        click.echo("\n\n".join(format_report(rep, split) for rep in reports))


def _corpus_files(dataset: str | None, lang: str) -> list[Path]:
    if dataset is not None:
        return [Path(dataset)]
    langs = ("en", "ru") if lang == "auto" else (lang,)
    return [corpus_path(code) for code in langs]


def _one_language(path: Path, split: str, limit: int | None, jobs: int,
                  show_errors: bool, without: tuple[str, ...]) -> dict:
    records = read_corpus(path, split)[:limit]
    if not records:
        raise CorpusError(f"{path}: no sentences in split {split!r}")
    sentences = load_sentences(records)

    def progress(done: int, total: int) -> None:
        click.echo(f"redline: {path.name}: {done}/{total} sentences", err=True)

    predicted = predict(sentences, jobs=jobs, progress=progress, without=without)
    # without the scorer a finding counts from the plain threshold, 0.5 (the corpus's baseline
    # counted every finding: the same figures on both splits, see benchmarks/RESULTS.md)
    threshold = ASSERTED if "scorer" in without else None
    report = evaluate(sentences, predicted, threshold)
    if show_errors:
        click.echo("\n".join(errors(sentences, predicted, threshold)))
    return report
