"""``newsdesk ask`` as the cold process it always is, timed against ``newsdesk --help``.

Every CLI question starts a fresh Python, so each library ``ask`` imports and each
model it loads is paid on every question. This times the installed command on the
seed index (``seeds/``, in a store of its own): each command runs once untimed
(warming the OS file cache and, on a first run, building the ONNX export), then
``reps`` alternating runs of both; the figures are medians. The ratio to ``--help``
is the one to compare between runs: both pay the interpreter start, click and the
settings, and a busy machine slows both, so it moves less than the seconds do.
It does not time the query inside a warm process (``bench``'s scale phase does).
Each run's CPU seconds (user + sys of the child) are reported beside its wall
seconds: on a shared machine they move far less with the load than wall time does.
``--baseline DIR`` (a checkout of an older tree) times that tree's ``ask`` in the
same alternation, so before and after share the same machine load.

Usage: python -m qa.eval.coldstart [--reps 5] [--store DIR] [--baseline DIR]
"""

from __future__ import annotations

import json
import os
import resource
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


def cold_start(
    store: Path, reps: int = 5, question: str = QUESTION, baseline: Path | None = None
) -> dict:
    """Median wall and CPU seconds of ``newsdesk --help`` and ``newsdesk ask`` (seed
    index), their ratio, and the same for ``baseline``'s ask when given."""
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_CHROMA_URL"}  # embedded
    env["NEWSDESK_STORE_DIR"] = str(store)
    envs = {"help": env, "ask": env}
    commands = {"help": [newsdesk, "--help"], "ask": [newsdesk, "ask", question]}
    if baseline is not None:
        commands["ask_baseline"] = commands["ask"]
        envs["ask_baseline"] = {**env, "PYTHONPATH": str(baseline.resolve())}
    _run([newsdesk, "ingest", str(SEEDS), "--json"], env)  # unchanged seeds: a no-op
    for name, command in commands.items():
        _run(command, envs[name])
    runs: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(reps):
        for name, command in commands.items():
            started = time.perf_counter()
            cpu[name].append(round(_run(command, envs[name]), 3))
            runs[name].append(round(time.perf_counter() - started, 3))
    wall = {name: statistics.median(values) for name, values in runs.items()}
    cpu_s = {name: statistics.median(values) for name, values in cpu.items()}
    result = {
        "question": question,
        "reps": reps,
        "help_s": round(wall["help"], 3),
        "ask_s": round(wall["ask"], 3),
        "ask_to_help": round(wall["ask"] / wall["help"], 2),
        "help_cpu_s": round(cpu_s["help"], 3),
        "ask_cpu_s": round(cpu_s["ask"], 3),
        "ask_to_help_cpu": round(cpu_s["ask"] / cpu_s["help"], 2),
    }
    if baseline is not None:
        result |= {
            "baseline": str(baseline),
            "baseline_ask_s": round(wall["ask_baseline"], 3),
            "baseline_ask_to_help": round(wall["ask_baseline"] / wall["help"], 2),
            "baseline_ask_cpu_s": round(cpu_s["ask_baseline"], 3),
        }
    return result | {"runs": runs, "cpu": cpu, "loadavg": os.getloadavg()[0]}


def _run(command: list[str], env: dict[str, str]) -> float:
    """Run ``command``; returns its CPU seconds (user + sys)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise click.ClickException(
            f"`{' '.join(command[1:])}` failed ({done.returncode}): {done.stderr.strip()}"
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@click.command()
@click.option("--reps", default=5, show_default=True, help="Timed runs of each command.")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/bench-work/coldstart-seed"),
    show_default=True,
    help="Store folder for the seed index (created on first use).",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="An older checkout whose `ask` is timed alongside (put first on PYTHONPATH).",
)
def main(reps: int, store: Path, baseline: Path | None) -> None:
    """Print the cold-start figures as one JSON object."""
    click.echo(json.dumps(cold_start(store, reps, baseline=baseline)))


if __name__ == "__main__":
    main()
