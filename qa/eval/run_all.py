"""``make eval``: run every evaluation set and print one summary table.

Sets: ``seed`` (evals/seed/questions.jsonl over the seed article(s)),
``realtimeqa`` (2,388 real news articles, 302 questions, read from
../shared/data at run time) and ``rgb`` (RGB noise robustness, converted at
run time into reports/eval/.data/ because of its non-commercial licence),
``conversations`` (evals/conversations/: follow-up questions in two- and
three-turn chats, scored by ``qa.eval.conversations``) and ``lists``
(evals/lists/: list questions with gold item sets over their own articles).
News sets (qa.news: conflicting outlets, updates, corrections; scored by qa.eval.news):
``news`` (evals/news/), ``rgb-counterfactual`` and ``rgb-noise-flags`` (RGB items as
per-item archives, converted at run time like ``rgb``).
``stories`` (qa.eval.stories): story grouping over realtimeqa's store (its cache), scored
on the labelled article pairs of evals/stories/pairs.jsonl.
Each set gets its own cached store (keyed by corpus hash), so only the first
run pays for ingestion. Reports go to reports/eval/<set>/.

Usage: python -m qa.eval.run_all [--limit N] [--articles N] [--only SET ...] [--no-baseline]
"""

from __future__ import annotations

import os

# Process flags, before any model import: no hub, no telemetry.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import dataclasses
import shutil
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from index.errors import NewsdeskError
from index.settings import Settings
from qa.eval.cli import progress_bar
from qa.eval.dataset import Dataset, load_dataset
from qa.eval.report import SUMMARY_KEYS, fmt, summary_row, write_report
from qa.eval.runner import ProgressFn, run_eval

REPO = Path(__file__).resolve().parents[2]
SETS = ("seed", "realtimeqa", "rgb", "conversations", "lists")
NEWS_SETS = ("news", "rgb-counterfactual", "rgb-noise-flags")
STORY_SETS = ("stories",)


def seed_corpus(shared: Path) -> Path:
    """The seed article folder: the repo's seeds/, else the shared copy."""
    return REPO / "seeds" if (REPO / "seeds").is_dir() else shared / "seeds"


def realtimeqa_slice(source: Path, out: Path, articles: int) -> Path:
    """A local folder dataset with the first ``articles`` corpus lines and every question.

    The corpus is ordered by quiz week, like the questions, so the first N
    questions find most of their articles in the first few hundred lines. The
    slice lives under the git-ignored reports folder, never in the repository.
    """
    folder = out / ".data" / f"{source.name}-first{articles}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "questions.jsonl", folder / "questions.jsonl")
    with (source / "corpus.jsonl").open(encoding="utf-8") as fh:
        (folder / "corpus.jsonl").write_text("".join(islice(fh, articles)), encoding="utf-8")
    return folder


def build_dataset(
    name: str, shared: Path, out: Path, limit: int | None, articles: int | None
) -> Dataset:
    """The folder dataset for ``name``, converting RGB or slicing realtimeqa first when asked."""
    if name == "seed":
        ds = load_dataset(REPO / "evals/seed/questions.jsonl", limit=limit)
        return dataclasses.replace(ds, corpus=seed_corpus(shared))
    if name == "lists":  # list questions over their own small corpus (evals/lists/)
        return load_dataset(REPO / "evals/lists", limit=limit)
    if name == "realtimeqa":
        folder = shared / "data/realtimeqa-2023q1"
        if articles:
            folder = realtimeqa_slice(folder, out, articles)
        return load_dataset(folder, limit=limit)
    folder = out / ".data" / "rgb-noise"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "evals/convert_rgb.py"),
            str(shared / "data/rgb-counterfactual/en_fact.json"),
            str(folder),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return load_dataset(folder, limit=limit)


def build_news_dataset(name: str, shared: Path, out: Path, limit: int | None) -> Dataset:
    """The folder dataset of a news set, converting RGB into per-item archives first."""
    if name == "news":
        return load_dataset(REPO / "evals/news", limit=limit)
    variant = "counterfactual" if name == "rgb-counterfactual" else "noise"
    folder = out / ".data" / f"rgb-{variant}-per-item"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "evals/convert_rgb_conflicts.py"),
            str(shared / "data/rgb-counterfactual/en_fact.json"),
            str(folder),
            variant,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return dataclasses.replace(load_dataset(folder, limit=limit), name=name)


def news_table(runs: list) -> Table:
    """One row per (set, kind, metric); the naive baseline never flags anything."""
    table = Table(title="newsdesk news checks (conflicts, updates, corrections, timelines, latest)")
    for col in ("set", "kind", "n", "metric", "newsdesk", "naive"):
        table.add_column(col, justify="right" if col in ("n", "newsdesk", "naive") else "left")
    for run in runs:
        for kind, rates in run.rates().items():
            for metric, value in rates.items():
                if metric != "n":
                    naive = "0.00" if metric in ("flagged", "both_cited") else "—"
                    shown = "—" if value is None else f"{value:.2f}"
                    table.add_row(run.name, kind, str(rates["n"]), metric, shown, naive)
    return table


@click.command()
@click.option("--limit", type=click.IntRange(min=1), help="First N questions of each set.")
@click.option(
    "--articles",
    type=click.IntRange(min=1),
    help="realtimeqa: index only the first N of its 2,388 articles (quick runs).",
)
@click.option(
    "--only",
    type=click.Choice(SETS + NEWS_SETS + STORY_SETS),
    multiple=True,
    help="Run only these sets.",
)
@click.option("--baseline/--no-baseline", default=True, show_default=True)
@click.option("--answerer", type=click.Choice(["extractive", "reader", "local", "llm"]))
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=REPO.parent / "shared",
    show_default=True,
    help="Shared data folder.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/eval"),
    show_default=True,
)
def main(
    limit: int | None,
    articles: int | None,
    only: tuple[str, ...],
    baseline: bool,
    answerer: str | None,
    shared: Path,
    out: Path,
) -> None:
    """Run the evaluation sets, write reports/eval/<set>/, print a summary table."""
    console = Console(stderr=True)
    settings = Settings()
    rows, news_runs, started = [], [], time.perf_counter()
    for name in only or SETS + NEWS_SETS + STORY_SETS:
        t0 = time.perf_counter()
        if name in STORY_SETS:
            run_stories_set(shared, out, settings, console)
            continue
        if name in NEWS_SETS:
            news_runs.append(run_news_set(name, shared, out, limit, settings, console))
            continue
        bar, update = progress_bar(console)
        if name == "conversations":
            rows.append(_conversations(settings, shared, out, answerer, limit, bar, update, t0))
            console.print(f"{name}: done in {rows[-1]['seconds']:.0f} s → {out / name}/report.md")
            continue
        try:
            dataset = build_dataset(name, shared, out, limit, articles)
            with bar:
                result = run_eval(
                    dataset, settings, answerer=answerer, baseline=baseline, progress=update
                )
        except NewsdeskError as exc:
            console.print(f"[red]{name}: {exc}[/red]")
            sys.exit(exc.exit_code)
        write_report(result, out / name)
        rows.append({**summary_row(result), "seconds": time.perf_counter() - t0})
        console.print(f"{name}: done in {rows[-1]['seconds']:.0f} s → {out / name}/report.md")
    # Piped into a log, rich assumes 80 columns and cuts the six-column table's labels
    wide_enough = None if sys.stdout.isatty() else 120
    if rows:
        Console(width=wide_enough).print(summary_table(rows, time.perf_counter() - started))
    if news_runs:
        Console(width=wide_enough).print(news_table(news_runs))


def run_news_set(name, shared: Path, out: Path, limit, settings: Settings, console):
    """Build, run and report one news set (qa.eval.news); returns its ``NewsRun``."""
    from qa.eval.news import run_news, write_news_report

    t0 = time.perf_counter()
    bar, update = progress_bar(console)
    try:
        dataset = build_news_dataset(name, shared, out, limit)
        with bar:
            run = run_news(dataset, settings, progress=update)
    except NewsdeskError as exc:
        console.print(f"[red]{name}: {exc}[/red]")
        sys.exit(exc.exit_code)
    report = write_news_report(run, out / name)
    console.print(f"{name}: done in {time.perf_counter() - t0:.0f} s → {report}")
    return run


def run_stories_set(shared: Path, out: Path, settings: Settings, console) -> None:
    """Story grouping on realtimeqa's cached store (ingested first if missing: the
    labelled pairs need every article), reported to out/stories/."""
    from index.news_index import NewsIndex
    from qa.eval.runner import cache_dir
    from qa.eval.stories import fmt_share, measure, write_report

    t0 = time.perf_counter()
    dataset = load_dataset(shared / "data/realtimeqa-2023q1")
    corpus_mb = dataset.corpus.stat().st_size / 2**20
    store = settings.model_copy(
        update={
            "store_dir": cache_dir(settings, dataset) / "newsdesk",
            "chroma_url": None,
            "database_url": None,
            "max_file_mb": max(settings.max_file_mb, corpus_mb + 1),
        }
    )
    bar, update = progress_bar(console)
    try:
        with NewsIndex.open(store) as index:
            with bar:  # a no-op on a cached store, but for placing older articles in stories
                index.ingest([dataset.corpus], progress=lambda d, t: update("ingest", d, t))
            result = measure(index, REPO / "evals/stories/pairs.jsonl")
    except NewsdeskError as exc:
        console.print(f"[red]stories: {exc}[/red]")
        sys.exit(exc.exit_code)
    report = write_report(result, out / "stories")
    p = result["pairs"]
    console.print(
        f"stories: {result['stories']} stories of {result['articles']} articles; "
        f"pairs precision {fmt_share(p['precision'])} recall {fmt_share(p['recall'])} "
        f"(n={p['pairs']}); "
        f"done in {time.perf_counter() - t0:.0f} s → {report}"
    )


def _conversations(
    settings: Settings,
    shared: Path,
    out: Path,
    answerer: str | None,
    limit: int | None,
    bar: Progress,
    update: ProgressFn,
    t0: float,
) -> dict:
    """Run the conversation set; its summary row has condensation beside answer accuracy."""
    from qa.eval.conversations import run_conversations, write_report

    try:
        with bar:
            result = run_conversations(
                REPO / "evals/conversations", seed_corpus(shared), settings, answerer, update, limit
            )
    except NewsdeskError as exc:
        Console(stderr=True).print(f"[red]conversations: {exc}[/red]")
        sys.exit(exc.exit_code)
    write_report(result, out / "conversations")
    row = {"dataset": "conversations", "n": result["n"], "seconds": time.perf_counter() - t0}
    for key in ("answer_accuracy", "answer_accuracy_full", "condensation_accuracy"):
        row[f"newsdesk.{key}"] = result[key]
    return row


def summary_table(rows: list[dict], seconds: float) -> Table:
    """Metrics down, one column per dataset and system: fits an 80-column terminal."""
    table = Table(title=f"newsdesk eval summary ({seconds:.0f} s)")
    table.add_column("metric")
    columns = [
        (row, system)
        for row in rows
        for system in ("newsdesk", "baseline")
        if f"{system}.answer_accuracy" in row
    ]
    for row, system in columns:
        table.add_column(f"{row['dataset']}\n{system}", justify="right")
    table.add_row("questions", *[str(row["n"]) for row, _ in columns])
    for key in (*SUMMARY_KEYS, "condensation_accuracy"):
        table.add_row(key, *[fmt(row.get(f"{system}.{key}"), key) for row, system in columns])
    table.add_row("seconds", *[f"{row['seconds']:.0f}" for row, _ in columns])
    return table


if __name__ == "__main__":
    main()
