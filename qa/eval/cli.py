"""``newsdesk eval``: score newsdesk (and the naive LangChain baseline) on a question set.

Progress goes to stderr so that ``--json`` output on stdout stays one JSON object.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from qa.cli import AppContext, cli, pass_app
from qa.eval.dataset import load_dataset
from qa.eval.report import TABLE, fmt, write_report
from qa.eval.runner import EvalResult, ProgressFn, run_eval
from qa.words import plural


def progress_bar(console: Console) -> tuple[Progress, ProgressFn]:
    """A rich progress display and the (stage, done, total) callback that drives it."""
    bar = Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def metrics_table(result: EvalResult) -> Table:
    """newsdesk and baseline side by side, as report.md has them."""
    data = result.to_dict()
    base = data["baseline"] or {}
    table = Table(title=f"{data['dataset']}: {plural(data['n'], 'question')} ({data['answerer']})")
    table.add_column("metric")
    table.add_column("newsdesk", justify="right")
    table.add_column("naive LangChain", justify="right")
    for key, label in TABLE:
        table.add_row(label, fmt(data[key], key), fmt(base.get(key), key))
    return table


@cli.command("eval")
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write report.md, metrics.json, questions.csv and plots here.",
)
@click.option(
    "--answerer",
    type=click.Choice(["extractive", "reader", "local", "llm"]),
    help="Answerer to evaluate (default: NEWSDESK_ANSWERER).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as one JSON object.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N questions.")
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Also run the naive LangChain pipeline on the same questions.",
)
@click.option(
    "--corpus",
    type=click.Path(exists=True, path_type=Path),
    help="Articles a question file is about: indexed into a separate store "
    "(and used by the baseline) instead of asking the current index.",
)
@pass_app
def eval_command(
    app: AppContext,
    dataset: Path,
    report_dir: Path | None,
    answerer: str | None,
    as_json: bool,
    limit: int | None,
    baseline: bool,
    corpus: Path | None,
) -> None:
    """Score answers, citations, refusals, retrieval and latency on DATASET.

    DATASET is a questions .jsonl file (asked against the current index) or a
    folder with questions.jsonl + corpus.jsonl (indexed into a cached store
    of its own first). Each line: {"question", "answers", "evidence",
    "answerable"} plus optional "id", "as_of" (YYYY-MM-DD, used as a date
    filter) and "type".
    """
    data = load_dataset(dataset, limit=limit)
    if corpus is not None:
        data = dataclasses.replace(data, corpus=corpus)
    console = Console(stderr=True)
    bar, update = progress_bar(console)
    with bar:
        result = run_eval(data, app.settings, answerer=answerer, baseline=baseline, progress=update)
    written = write_report(result, report_dir) if report_dir else []
    if as_json:
        click.echo(json.dumps(result.to_dict(), default=str))
        return
    out = Console()
    out.print(metrics_table(result))
    for note in result.notes:
        out.print(f"note: {note}")
    for path in written:
        out.print(f"wrote {path}")
