"""A real ``newsdesk serve`` (uvicorn) on a free loopback port over a real store.

The store holds seeds/ plus three articles written for the access tests: one on
the ``investigations`` desk, one public, one under embargo. The server's clock is
``BEFORE`` the embargo; ``later_server`` serves the same store with its clock
``AFTER`` it, so time is driven through settings, never by sleeping. Tokens are
made with the real ``newsdesk token create --json``; before the first one exists
the fixture records what a keyless loopback request got (the local default).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, SEEDS
from tests.servers import free_port, stop, wait_until_answering

NEWSDESK = [str(Path(sys.executable).parent / "newsdesk")]
START_TIMEOUT_S = 240.0
RATE_PER_MINUTE = 60
MAX_REQUEST_MB = 1

SECRET_BODY = (
    "Investigators found that the harbour authority of Port Delmar paid 4 million dollars "
    "to a shell company owned by its chairman, Viktor Osterhagen, documents show."
)
PUBLIC_BODY = (
    "The Port Delmar harbour authority opened a new ferry terminal on Monday, officials "
    "said, after two years of building work."
)
EMBARGO_BODY = (
    "A storm named Orla will reach the Kelby coast on Friday, the weather service said "
    "in a forecast released under embargo."
)
EMBARGO = "2030-01-01T09:00:00+00:00"
BEFORE = "2029-12-31T23:00:00+00:00"
AFTER = "2030-01-01T09:00:01+00:00"


@dataclass
class Server:
    url: str
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)  # name -> secret
    keyless_status: int | None = None  # what a keyless request got before any token

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*NEWSDESK, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def new_token(self, name: str, scope: str, *desks: str) -> str:
        args = ["token", "create", "--name", name, "--scope", scope, "--json"]
        for desk in desks:
            args += ["--desk", desk]
        done = self.cli(*args)
        assert done.returncode == 0, done.stderr
        self.tokens[name] = json.loads(done.stdout)["token"]
        return self.tokens[name]


def _env(store: Path, clock: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        NEWSDESK_STORE_DIR=str(store),
        NEWSDESK_CLOCK=clock,
        NEWSDESK_RATE_LIMIT_PER_MINUTE=str(RATE_PER_MINUTE),
        NEWSDESK_MAX_REQUEST_MB=str(MAX_REQUEST_MB),
        PYTHONPATH=str(REPO),
    )
    return env


def _start(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*NEWSDESK, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(proc, f"{url}/healthz", log, START_TIMEOUT_S)
    return proc, url


@pytest.fixture(scope="session")
def service_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ plus the desk, public and embargoed articles, ingested by the real CLI."""
    folder = tmp_path_factory.mktemp("service")
    store = folder / "store"
    records = [
        {"title": "Harbour payments", "body": SECRET_BODY, "url": "u:secret"},
        {"title": "Ferry terminal", "body": PUBLIC_BODY, "url": "u:public"},
        {"title": "Storm Orla", "body": EMBARGO_BODY, "embargo_until": EMBARGO, "url": "u:storm"},
    ]
    (folder / "secret.jsonl").write_text(json.dumps(records[0]) + "\n")
    (folder / "open.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[1:]))
    env = _env(store, BEFORE)
    for args in (
        [str(SEEDS), str(folder / "open.jsonl")],
        [str(folder / "secret.jsonl"), "--desk", "Investigations"],
    ):
        done = subprocess.run(
            [*NEWSDESK, "ingest", *args, "--json"],
            env=env,
            check=False,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="session")
def server(service_store: Path) -> Iterator[Server]:
    env = _env(service_store, BEFORE)
    proc, url = _start(env, service_store.parent / "serve.log")
    srv = Server(url, env)
    with srv.client() as client:
        srv.keyless_status = client.get("/v1/stats").status_code
    srv.new_token("main", "admin")
    yield srv
    stop(proc)


@pytest.fixture(scope="session")
def later_server(server: Server, service_store: Path) -> Iterator[Server]:
    """The same store served with its clock after the embargo."""
    env = _env(service_store, AFTER)
    proc, url = _start(env, service_store.parent / "serve-later.log")
    yield Server(url, env, dict(server.tokens))
    stop(proc)


def sse_events(text: str) -> list[tuple[str, dict]]:
    """(event, data) pairs of a server-sent event stream."""
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((lines["event"], json.loads(lines["data"])))
    return events
