"""Crash safety: ``kill -9`` the real ``newsdesk ingest`` at seeded random moments.

Each trial starts the CLI on a folder of 30 small articles in a fresh store,
SIGKILLs it after a seeded random delay spread over the whole run (model load,
mid-ingest, near the end), then opens the store and ingests again, as a user
would after a crash. After the kill (once the store is opened) and after the
resume, every article is fully present or absent, there are no duplicate ids,
and the keyword index, Chroma and the catalog agree; after the resume the store
equals a clean ingest chunk for chunk.

To keep the run short the resume runs in this process with the shared model;
the measured total is printed (``-s``) and expected to stay around 4 minutes.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from index import NewsIndex, Settings
from tests.conftest import fresh_database
from tests.reliability.conftest import (
    NEWSDESK,
    assert_store_consistent,
    cli_env,
    raw_rows,
    store_settings,
    write_articles,
)

pytestmark = pytest.mark.slow

TRIALS = 20
SERVER_TRIALS = 4  # each costs about as much as an embedded trial
ARTICLES = 30
SEED = 20260511
# Batch size 1 makes the pipeline commit every few articles, so kills land between
# (and inside) many commits rather than around one big one.
CLI_SETTINGS = {"embedding_batch_size": "1"}


def _start(folder: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(NEWSDESK), "ingest", str(folder), "--json"],
        env=cli_env(store, **CLI_SETTINGS),
        cwd=store.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, embedder):
    """The article folder, a clean in-process ingest of it, and one timed uncut CLI run."""
    root = tmp_path_factory.mktemp("crash")
    folder = root / "news"
    write_articles(folder, ARTICLES, seed=SEED)
    with NewsIndex.open(store_settings(root / "clean"), embedder=embedder) as index:
        report = index.ingest([folder])
        assert report.articles_added == ARTICLES and not report.errors
        clean = assert_store_consistent(index)
    store = root / "uncut" / "store"
    store.parent.mkdir()
    started = time.monotonic()
    proc = _start(folder, store)
    _, stderr = proc.communicate(timeout=600)
    full = time.monotonic() - started
    assert proc.returncode == 0, stderr.decode()[-2000:]
    with NewsIndex.open(store_settings(store), embedder=embedder) as index:
        assert assert_store_consistent(index) == clean, "the CLI and the API ingest differently"
    state = SimpleNamespace(
        root=root, folder=folder, clean=clean, full=full, began=time.monotonic(), phases=[]
    )
    yield state
    total = time.monotonic() - state.began + full
    print(
        f"\ncrash trials: {len(state.phases)} run, uncut CLI ingest {full:.1f} s, "
        f"total {total:.1f} s; at kill time: {sorted(state.phases)}"
    )


def _phase(store: Path) -> str:
    if not Settings(_env_file=None).database_url and not (store / "catalog.sqlite3").exists():
        return "before-store"
    try:
        states = list(raw_rows(store)["articles"].values())
    except Exception:  # noqa: BLE001 - the schema may not exist yet at the kill
        return "opening-store"
    if "pending" in states:
        return "mid-commit"
    return "finished" if len(states) == ARTICLES else f"between-commits({len(states)})"


def _kill_then_resume(world, embedder, store: Path, rng: random.Random, last: bool) -> None:
    """One trial: SIGKILL a CLI ingest at a random moment, check the store, resume it."""
    delay = rng.uniform(0.02, 1.05) * world.full  # a few trials let the ingest finish
    store.parent.mkdir()
    proc = _start(world.folder, store)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    phase = _phase(store)
    world.phases.append(phase.split("(")[0])
    assert b"Traceback" not in proc.stderr.read()
    proc.stderr.close()

    with NewsIndex.open(store_settings(store), embedder=embedder) as index:
        present = assert_store_consistent(index)
        for article_id, chunk_ids in present.items():
            assert world.clean.get(article_id) == chunk_ids, f"{article_id} half there ({phase})"
        report = index.ingest([world.folder])
        assert not report.errors
        assert report.articles_added == ARTICLES - len(present)
        assert report.articles_unchanged == len(present)
        assert report.chunks_added == sum(
            len(c) for a, c in world.clean.items() if a not in present
        )
        assert assert_store_consistent(index) == world.clean
        if last:
            again = index.ingest([world.folder])
            assert again.chunks_added == 0 and again.articles_unchanged == ARTICLES


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkilled_ingest_leaves_whole_articles_and_resumes_to_a_clean_store(
    world, embedder, trial: int
) -> None:
    store = world.root / f"trial-{trial:02d}" / "store"
    _kill_then_resume(world, embedder, store, random.Random(SEED + trial), trial == TRIALS - 1)


@pytest.mark.parametrize("trial", range(SERVER_TRIALS))
def test_sigkilled_ingest_in_server_mode_resumes_to_a_clean_archive(
    world, embedder, server_pair, monkeypatch: pytest.MonkeyPatch, trial: int
) -> None:
    """The same on PostgreSQL + a Chroma server: the writer's advisory lock dies with its
    connection, and pending rows are cleaned up by the next process that opens the archive."""
    database = fresh_database(server_pair)
    for name, value in next(database).items():
        monkeypatch.setenv(name, value)
    store = world.root / f"server-trial-{trial:02d}" / "store"
    rng = random.Random(SEED + 1000 + trial)
    try:
        _kill_then_resume(world, embedder, store, rng, trial == SERVER_TRIALS - 1)
    finally:
        next(database, None)
