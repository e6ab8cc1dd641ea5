"""``newsdesk services up | down | status``: local PostgreSQL + Chroma servers for server mode.

A thin shell over ``index.services.LocalServices``; the servers outlive the
command (``down`` stops them).
"""

from __future__ import annotations

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
