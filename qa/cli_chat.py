"""``newsdesk chat``: open the Streamlit chat window, seeding an empty index first.

A first run should show something to ask about, so an empty index gets the
repository's ``seeds/`` folder (and the command says so). The window itself is
``ui/app.py``, run by Streamlit in a child process that inherits the
environment, so it reads the same settings and ``.env``.
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
from pathlib import Path

import click

from qa.cli import AppContext, cli, pass_app
from qa.words import plural

_ROOT = Path(__file__).resolve().parents[1]  # holds qa/, ui/ and, in a checkout, seeds/
APP_FILE = _ROOT / "ui" / "app.py"


def find_seeds() -> Path | None:
    """The seeds/ folder next to the package (a checkout) or in the working directory."""
    for folder in (_ROOT / "seeds", Path.cwd() / "seeds"):
        if folder.is_dir() and any(folder.iterdir()):
            return folder
    return None


def _seed_if_empty(app: AppContext) -> None:
    from index import NewsIndex

    with NewsIndex.open(app.settings) as index:
        if index.stats()["articles"]:
            return
        seeds = find_seeds()
        if seeds is None:
            click.echo("The index is empty: add articles in the window or with `newsdesk ingest`.")
            return
        click.echo(f"The index is empty: ingesting the example articles in {seeds} …")
        report = index.ingest([seeds])
        click.echo(
            f"  {plural(report.articles_added, 'article')} added, "
            f"{plural(report.chunks_added, 'chunk')} ({report.seconds:.1f} s)."
        )


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@cli.command()
@click.option("--port", default=8501, show_default=True, help="Port to serve the window on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 to let other machines in).",
)
@pass_app
def chat(app: AppContext, port: int, host: str) -> None:
    """Open the chat window (Streamlit) in your browser.

    If the index is empty, the example articles in seeds/ are ingested first.
    Stop it with Ctrl+C.
    """
    if not _port_free(host, port):
        raise click.UsageError(f"port {port} on {host} is already in use — pass --port N")
    _seed_if_empty(app)
    # The child process loads the model too: keep it offline like this one.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.port", str(port),
        "--server.address", host,
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
        "--client.showErrorDetails", "none",
        # The uploader then states the same per-file limit that ingest enforces.
        "--server.maxUploadSize", str(max(1, math.ceil(app.settings.max_file_mb))),
    ]  # fmt: skip
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.secho(f"newsdesk chat: open http://{shown}:{port} in your browser", fg="green")
    click.echo("(Ctrl+C to stop)")
    child = subprocess.Popen(command)
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl+C reaches the child too; let it shut down cleanly
        code = child.wait()
    if code not in (0, -2, 130):
        sys.exit(code)
