"""Load test: concurrent askers against several app instances sharing one server pair.

Starts the scale cache's server-mode archive (PostgreSQL + ``chroma run``,
``qa.eval.scale``), then ``instances`` separate ``newsdesk serve`` processes on
it, each with its own empty working folder (no shared files: server mode keeps
no local state), and lets ``askers`` threads post RealTimeQA questions to
``POST /v1/ask`` round-robin over the instances for ``seconds``. Reports
throughput, latency percentiles and every failed request; stops everything it
started. Requests are keyless from loopback (the local default before any token
exists), and the per-token rate limit is lifted: this measures throughput, not
the limiter.

Run as ``python -m qa.eval.load [--seconds 120] [--askers 8] [--instances 2]``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
import httpx
import numpy as np

from index.settings import Settings
from qa.eval.scale import CORPUS, ScaleCache, label, source_pool

START_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 120.0
NEWSDESK = str(Path(sys.executable).parent / "newsdesk")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(server: Settings, folder: Path) -> tuple[subprocess.Popen, str]:
    """One ``newsdesk serve`` on a free port over the server pair; waits until ready."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_DATABASE_URL=server.database_url or "",
        NEWSDESK_CHROMA_URL=server.chroma_url or "",
        NEWSDESK_STORE_DIR=str(folder / "store"),
        NEWSDESK_RATE_LIMIT_PER_MINUTE="1000000",
    )
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen(
        [NEWSDESK, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"newsdesk serve exited early; see {folder / 'serve.log'}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{url} not ready in {START_TIMEOUT_S:.0f} s; see serve.log")
        time.sleep(1)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _asker(
    n: int, urls: list[str], questions: list[str], until: float, out: list[tuple[float, str]]
) -> None:
    """Ask questions (its own offset into the list) until ``until``; (ms, error or '')."""
    clients = [httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) for url in urls]
    i = n
    try:
        while time.monotonic() < until:
            client = clients[i % len(clients)]
            question = questions[(i * 7) % len(questions)]
            t0 = time.perf_counter()
            try:
                reply = client.post("/v1/ask", json={"question": question})
                error = (
                    "" if reply.status_code == 200 else f"{reply.status_code} {reply.text[:200]}"
                )
                if not error and "answer" not in reply.json():
                    error = "200 without an answer"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            out.append(((time.perf_counter() - t0) * 1000, error))
            i += 1
    finally:
        for client in clients:
            client.close()


def load_test(
    settings: Settings,
    seconds: float = 120.0,
    askers: int = 8,
    instances: int = 2,
    size: int = 10_000,
    log=print,
) -> dict[str, Any]:
    """Run the load test on the ``size`` server-mode archive; the figures as a dict."""
    with (CORPUS / "questions.jsonl").open(encoding="utf-8") as fh:
        questions = [json.loads(line)["question"] for line in fh if line.strip()]
    cache = ScaleCache(settings, source_pool(settings), size)
    with ExitStack() as stack:
        server = stack.enter_context(cache.server(log))
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsdesk-load-")))
        urls = []
        for k in range(instances):
            folder = work / f"app{k}"
            folder.mkdir()
            proc, url = _serve(server, folder)
            stack.callback(_stop, proc)
            urls.append(url)
        log(f"load: {instances} instances up; {askers} askers for {seconds:.0f} s…")
        results: list[list[tuple[float, str]]] = [[] for _ in range(askers)]
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=_asker, args=(n, urls, questions, started + seconds, results[n])
            )
            for n in range(askers)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    done = [r for rs in results for r in rs]
    ok = [ms for ms, error in done if not error]
    errors = [error for _, error in done if error]
    return {
        "askers": askers,
        "instances": instances,
        "archive": f"server mode, synthetic {label(size)} chunks",
        "seconds": round(elapsed, 1),
        "requests": len(done),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "throughput_per_s": round(len(ok) / elapsed, 2),
        "p50_ms": float(np.percentile(ok, 50)) if ok else float("nan"),
        "p95_ms": float(np.percentile(ok, 95)) if ok else float("nan"),
    }


@click.command()
@click.option("--seconds", default=120.0, show_default=True)
@click.option("--askers", default=8, show_default=True)
@click.option("--instances", default=2, show_default=True)
@click.option("--size", default=10_000, show_default=True, help="Chunks in the archive.")
def main(seconds: float, askers: int, instances: int, size: int) -> None:
    """Run the load test and print its figures as JSON."""
    result = load_test(Settings(), seconds, askers, instances, size, log=click.echo)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
