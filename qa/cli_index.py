"""``newsdesk ingest | delete | stats | chroma``: the store's commands.

Thin wrappers over ``index.NewsIndex``: they parse arguments, show progress and
print results (text for people, ``--json`` for scripts). Errors a user can fix
are ``NewsdeskError`` and are turned into one line by ``qa.cli.main``. The
index package (torch, chromadb) is imported inside the commands so that
``newsdesk --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from qa.cli import AppContext, cli, pass_app
from qa.words import plural


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar (articles, articles/s) fed by ``progress(done, total)``."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles"),
        TextColumn("{task.fields[rate]:.1f}/s"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=None, rate=0.0)
        started = time.perf_counter()

        def update(done: int, total: int) -> None:
            elapsed = time.perf_counter() - started
            bar.update(task, completed=done, total=total, rate=done / elapsed if elapsed else 0.0)

        yield update


def _open_index(app: AppContext):
    from index import NewsIndex

    return NewsIndex.open(app.settings)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report instead of text.")
@click.option(
    "--desk", default=None, help="Desk of articles that name none (only its readers see them)."
)
@click.option(
    "--embargo-until",
    default=None,
    help="ISO datetime before which articles naming no embargo stay invisible.",
)
@pass_app
def ingest(
    app: AppContext,
    paths: tuple[Path, ...],
    as_json: bool,
    desk: str | None = None,
    embargo_until: str | None = None,
) -> None:
    """Add news articles from files or folders to the index.

    PATH may be a .txt, .md, .html, .json or .jsonl file, or a folder (read
    recursively). Unchanged articles are skipped without re-embedding; an
    article whose file or url changed replaces its old version; syndicated
    near-duplicates are stored once with every outlet listed.

    Each file that cannot be read is reported as `path: message` on stderr and
    the rest are still ingested. With --json, one object is printed with
    articles_added, articles_updated, articles_unchanged, duplicates,
    chunks_added, errors [{path, message}] and seconds.

    --desk and --embargo-until apply to articles that carry no `desk` /
    `embargo_until` field of their own (see "Serve it" in the README).

    Exit code: 0 when every input was ingested, 1 when any input failed,
    other codes as listed in `newsdesk --help` (e.g. 6 when another ingest
    holds the store).
    """
    with _open_index(app) as index:
        show_bar = not as_json and sys.stderr.isatty()
        with _progress_bar(enabled=show_bar) as progress:
            report = index.ingest(paths, progress=progress, desk=desk, embargo_until=embargo_until)
    if as_json:
        _echo_json(report.to_dict())
    else:
        rate = report.articles_seen / report.seconds if report.seconds else 0.0
        click.echo(
            f"{plural(report.articles_seen, 'article')} in {report.seconds:.1f} s "
            f"({rate:.1f}/s): {report.articles_added} added, {report.articles_updated} updated, "
            f"{report.articles_unchanged} unchanged, {plural(report.duplicates, 'duplicate')}; "
            f"{plural(report.chunks_added, 'chunk')} added; {plural(len(report.errors), 'error')}"
        )
    for error in report.errors:
        # Loader messages usually name the file already; never print it twice.
        line = error.message
        if not line.startswith(f"{error.path}:"):
            line = f"{error.path}: {line}"
        click.echo(line, err=True)
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print {ref: articles removed} as JSON.")
@pass_app
def delete(app: AppContext, refs: tuple[str, ...], as_json: bool) -> None:
    """Remove articles from the index by article id, file path or url.

    A path is matched as it was stored at ingest (as shown by `newsdesk ask`
    citations and in `ingest --json` errors). Exit code 1 when some REF
    matched no article.
    """
    with _open_index(app) as index:
        removed = {ref: index.delete(ref) for ref in refs}
    if as_json:
        _echo_json(removed)
    else:
        for ref, n in removed.items():
            click.echo(f"{ref}: {plural(n, 'article')} removed")
    if not all(removed.values()):
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@pass_app
def stats(app: AppContext, as_json: bool) -> None:
    """Show what the index holds: articles, chunks, model, outlets and dates."""
    with _open_index(app) as index:
        data = index.stats()
    if as_json:
        _echo_json(data)
        return
    click.echo(f"store:     {data['store']}")
    click.echo(f"model:     {data['embedding_model']} ({data['dimension'] or '?'} dimensions)")
    click.echo(f"articles:  {data['articles']}")
    click.echo(f"chunks:    {data['chunks']}")
    click.echo(f"dates:     {data['date_min'] or '?'} … {data['date_max'] or '?'}")
    outlets = data["sources"]
    shown = ", ".join(outlets[:10]) + (f" … (+{len(outlets) - 10})" if len(outlets) > 10 else "")
    click.echo(f"outlets:   {len(outlets)}{': ' + shown if outlets else ''}")


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Port to listen on (127.0.0.1).")
@click.option(
    "--path",
    "data_path",
    type=click.Path(path_type=Path),
    help="Folder the server keeps its data in [default: NEWSDESK_STORE_DIR/chroma].",
)
@pass_app
def chroma(app: AppContext, port: int, data_path: Path | None) -> None:
    """Run a Chroma server for newsdesk (stop it with Ctrl-C).

    By default it serves the same folder the embedded store uses, so an index
    built without a server is served as is. Point other newsdesk processes at
    it with NEWSDESK_CHROMA_URL=http://127.0.0.1:PORT, and do not run embedded
    newsdesk processes on that folder while the server runs.
    """
    from index.errors import StoreUnavailable

    data_path = data_path or app.settings.store_dir / "chroma"
    data_path.mkdir(parents=True, exist_ok=True)
    beside = Path(sys.executable).parent / "chroma"
    program = str(beside) if beside.exists() else shutil.which("chroma")
    if program is None:
        raise StoreUnavailable(
            "the `chroma` command was not found — run `make install` (it ships with chromadb)"
        )
    click.echo(
        f"serving {data_path} at http://127.0.0.1:{port} "
        f"(set NEWSDESK_CHROMA_URL=http://127.0.0.1:{port})",
        err=True,
    )
    args = [program, "run", "--path", str(data_path), "--port", str(port), "--host", "127.0.0.1"]
    os.execv(program, args)
