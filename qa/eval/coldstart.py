"""``newsdesk ask`` as the cold process it always is, timed against ``newsdesk --help``.

Every CLI question starts a fresh Python, so each library ``ask`` imports and each
model it loads is paid on every question. This times the installed command on the
seed index (``seeds/``, in a store of its own): each command runs once untimed
(warming the OS file cache and, on a first run, building the ONNX export), then
``reps`` alternating runs of both; the figures are medians. The ratio to ``--help``
is the one to compare between runs: both pay the interpreter start, click and the
settings, and a busy machine slows both, so it moves less than the seconds do.
It does not time the query inside a warm process (``bench``'s scale phase does).

Usage: python -m qa.eval.coldstart [--reps 5] [--store DIR]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import click

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
QUESTION = "Who guards the Qamishli base?"
#: The issue's target for a warm (second-run) `newsdesk ask` on the seed index.
TARGET_S = 2.0


def cold_start(store: Path, reps: int = 5, question: str = QUESTION) -> dict:
    """Median seconds of ``newsdesk --help`` and ``newsdesk ask`` (seed index) and their ratio."""
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_CHROMA_URL"}  # embedded
    env["NEWSDESK_STORE_DIR"] = str(store)
    commands = {"help": [newsdesk, "--help"], "ask": [newsdesk, "ask", question]}
    _run([newsdesk, "ingest", str(SEEDS), "--json"], env)  # unchanged seeds: a no-op
    for command in commands.values():
        _run(command, env)
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, command in commands.items():
            started = time.perf_counter()
            _run(command, env)
            runs[name].append(round(time.perf_counter() - started, 3))
    help_s, ask_s = statistics.median(runs["help"]), statistics.median(runs["ask"])
    return {
        "question": question,
        "reps": reps,
        "help_s": round(help_s, 3),
        "ask_s": round(ask_s, 3),
        "ask_to_help": round(ask_s / help_s, 2),
        "runs": runs,
        "loadavg": os.getloadavg()[0],
    }


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise click.ClickException(
            f"`{' '.join(command[1:])}` failed ({done.returncode}): {done.stderr.strip()}"
        )


@click.command()
@click.option("--reps", default=5, show_default=True, help="Timed runs of each command.")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/bench-work/coldstart-seed"),
    show_default=True,
    help="Store folder for the seed index (created on first use).",
)
def main(reps: int, store: Path) -> None:
    """Print the cold-start figures as one JSON object."""
    click.echo(json.dumps(cold_start(store, reps)))


if __name__ == "__main__":
    main()
