"""Shared fixtures: every test gets its own store folder and never touches user data."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any model import: no hub, no telemetry, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def session_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One per-run cache folder for the exported ONNX embedder (tests and the CLI
    subprocesses they start): exported once per test run, never into ~/.cache."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(autouse=True)
def isolated_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point NEWSDESK_STORE_DIR at tmp_path and run from there (no stray .env)."""
    store = tmp_path / "store"
    monkeypatch.setenv("NEWSDESK_STORE_DIR", str(store))
    for name in ("NEWSDESK_CHROMA_URL", "NEWSDESK_DATABASE_URL", "NEWSDESK_COLLECTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return store


#: The settings a ``backend`` fixture sets; ``cli_env`` passes them on to subprocesses.
BACKEND_VARS = ("NEWSDESK_DATABASE_URL", "NEWSDESK_CHROMA_URL", "NEWSDESK_COLLECTION")


@pytest.fixture(scope="session")
def server_pair() -> Iterator:
    """A real PostgreSQL cluster and ``chroma run`` server for the session (server mode).

    Started through ``newsdesk services``' own code on free loopback ports, in a
    folder the ``postgres`` system user can enter (tests run as root in CI, and
    pytest's own temp folders are private).
    """
    from index.services import LocalServices

    folder = Path(tempfile.mkdtemp(prefix="newsdesk-services-"))
    folder.chmod(0o755)
    services = LocalServices(folder)
    try:
        yield services.up()
    finally:
        services.down()
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_pair) -> Iterator[dict[str, str]]:
    """A new empty database and Chroma collection on the session's servers, as the
    NEWSDESK_* settings that select them; dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = server_pair.database_url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield {
        "NEWSDESK_DATABASE_URL": admin.rsplit("/", 1)[0] + f"/{name}",
        "NEWSDESK_CHROMA_URL": server_pair.chroma_url,
        "NEWSDESK_COLLECTION": name,
    }
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def server_database(server_pair) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database on the session's server."""
    database = fresh_database(server_pair)
    yield next(database)["NEWSDESK_DATABASE_URL"]
    next(database, None)


@pytest.fixture(params=["embedded", "server"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test on both storage backends: the embedded store (SQLite + Chroma in
    the store folder) and server mode (PostgreSQL + a Chroma server, a fresh
    database and collection per test). Sets the NEWSDESK_* variables, so
    ``Settings()`` and CLI subprocesses (``cli_env``) pick the backend up."""
    if request.param == "embedded":
        yield request.param
        return
    servers = request.getfixturevalue("server_pair")
    database = fresh_database(servers)
    for name, value in next(database).items():
        monkeypatch.setenv(name, value)
    yield request.param
    next(database, None)
