"""``newsdesk reader train``: train a reader on your own archive.

The result is a folder to point ``NEWSDESK_READER_MODEL`` at. Training reads article
text only (questions are generated from it); it never needs labelled questions.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from qa.cli import AppContext, cli, pass_app
from qa.words import plural


@cli.group()
def reader() -> None:
    """The reading model: train one on your own archive."""


@reader.command("train")
@click.argument("archive", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the reader into (set NEWSDESK_READER_MODEL to it).",
)
@click.option(
    "--before",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Train only on articles dated before this day (YYYY-MM-DD).",
)
@click.option(
    "--groups",
    "max_groups",
    default=7000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Generated questions to train on (each with 1 answering and 3 other windows).",
)
@click.option(
    "--steps",
    default=None,
    type=click.IntRange(min=1),
    help="Optimiser steps of 6 questions (24 windows) [default: the shipped model's 1000].",
)
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@pass_app
def train_command(
    app: AppContext,
    archive: tuple[Path, ...],
    out: Path,
    before: dt.datetime | None,
    max_groups: int,
    steps: int | None,
    seed: int,
    as_json: bool,
) -> None:
    """Generate questions from ARCHIVE (files or folders of articles), train, export, calibrate.

    About 30 min on 2 CPU cores with the defaults (a 2,241-article archive); use
    --groups/--steps for a quicker, weaker model.
    """
    from dataclasses import asdict, replace

    from qa.reading.build import build_reader
    from qa.reading.train import TrainConfig

    config = TrainConfig(seed=seed)
    if steps is not None:
        config = replace(config, steps=steps)
    with _stage_bar(not as_json) as progress:
        report = build_reader(
            archive,
            out,
            max_groups,
            config,
            before=before.date() if before else None,
            max_file_mb=app.settings.max_file_mb,
            progress=progress,
        )
    if as_json:
        click.echo(json.dumps(asdict(report), indent=2))
        return
    click.echo(
        f"trained on {plural(report.groups, 'question')} from "
        f"{plural(report.articles, 'article')} "
        f"({report.seconds_data:.0f} s data, {report.seconds_train:.0f} s training); "
        f"held-out accuracy {report.heldout_accuracy:.2f} — "
        f"set NEWSDESK_READER_MODEL={out} to use it"
    )


def _stage_bar(enabled: bool):
    """A rich progress bar with one row per stage, fed by ``progress(stage, done, total)``."""
    from contextlib import contextmanager

    @contextmanager
    def bar():
        if not enabled:
            yield None
            return
        from rich.console import Console

        from qa.eval.cli import progress_bar

        display, update = progress_bar(Console(stderr=True))
        rows: dict[str, str] = {}

        def progress(stage: str, done: int, total: int) -> None:
            # The training row's label carries the loss: keep one row per stage name
            key = stage.split(" (")[0]
            label = rows.setdefault(key, stage)
            update(label, done, total)
            display.update(display.task_ids[list(rows).index(key)], description=stage)

        with display:
            yield progress

    return bar()
