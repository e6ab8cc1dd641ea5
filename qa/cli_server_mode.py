"""Server mode's commands: ``newsdesk services up | down | status`` and ``newsdesk migrate``.

Thin shells over ``index.services.LocalServices`` (a local PostgreSQL + Chroma
pair that outlives the command; ``down`` stops it) and ``index.migrate``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from qa.cli import AppContext, cli, pass_app

_DIR_OPTION = click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the servers keep their data, logs and ports in "
    "[default: NEWSDESK_STORE_DIR/services].",
)


def _services(app: AppContext, folder: Path | None):
    from index.services import LocalServices

    return LocalServices(folder or app.settings.store_dir / "services")


@cli.group()
def services() -> None:
    """Run a development PostgreSQL + Chroma server pair (server mode on one machine)."""


@services.command()
@_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the two URLs as a JSON object.")
@pass_app
def up(app: AppContext, folder: Path | None, as_json: bool) -> None:
    """Start both servers (if not running) and print the URLs to set.

    Ports and the generated database password are kept in the folder, so
    running `up` again after `down` gives the same URLs.
    """
    state = _services(app, folder).up()
    if as_json:
        click.echo(json.dumps({"database_url": state.database_url, "chroma_url": state.chroma_url}))
        return
    click.echo(f"NEWSDESK_DATABASE_URL={state.database_url}")
    click.echo(f"NEWSDESK_CHROMA_URL={state.chroma_url}")
    click.echo(f"data and logs in {state.folder}; stop with `newsdesk services down`", err=True)


@services.command()
@_DIR_OPTION
@pass_app
def down(app: AppContext, folder: Path | None) -> None:
    """Stop both servers (their data stays in the folder)."""
    stopped = _services(app, folder).down()
    click.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@services.command()
@_DIR_OPTION
@pass_app
def status(app: AppContext, folder: Path | None) -> None:
    """Say whether each server runs, with its URL (password hidden) and log."""
    rows = _services(app, folder).status()
    if not rows:
        click.echo("no services in this folder — start them with `newsdesk services up`")
        return
    for row in rows:
        state = "running" if row.running else "stopped"
        click.echo(f"{row.name:<9} {state:<8} {row.url}  (log: {row.log})")


@cli.command()
@click.option(
    "--to-server",
    "to_server",
    is_flag=True,
    required=True,
    help="Copy into the server-mode archive named by NEWSDESK_DATABASE_URL + NEWSDESK_CHROMA_URL.",
)
@click.option(
    "--from",
    "source_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The embedded store to copy [default: NEWSDESK_STORE_DIR].",
)
@click.option(
    "--from-collection",
    "source_collection",
    help="The embedded store's Chroma collection [default: NEWSDESK_COLLECTION].",
)
@click.option(
    "--batch",
    default=64,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Articles per batch.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_app
def migrate(
    app: AppContext,
    to_server: bool,
    source_dir: Path | None,
    source_collection: str | None,
    batch: int,
    as_json: bool,
) -> None:
    """Move an embedded archive into server mode, vectors included (no re-embedding).

    Streams article by article, resumes where a stopped run left off (unchanged
    articles are skipped) and verifies the copy by counts and a sample of ids.
    The embedded store is only read.
    """
    from index.migrate import migrate as run_migration
    from index.news_index import NewsIndex
    from qa.cli_index import _progress_bar

    settings = app.settings
    source_settings = settings.model_copy(
        update={
            "store_dir": source_dir or settings.store_dir,
            "database_url": None,
            "chroma_url": None,
            "collection": source_collection or settings.collection,
        }
    )
    with (
        NewsIndex.open(source_settings) as source,
        NewsIndex.open(settings) as target,
        _progress_bar(enabled=not as_json) as progress,
    ):
        report = run_migration(source, target, batch=batch, progress=progress)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report)))
        return
    click.echo(
        f"copied {report.articles_copied} articles ({report.chunks_copied} chunks), skipped "
        f"{report.articles_skipped} already there; verified {report.target_counts} "
        f"and {len(report.sampled)} sampled articles"
    )
