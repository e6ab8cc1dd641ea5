"""Server mode: a real ``chroma run`` started through ``newsdesk chroma``, and a dead one."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import NewsIndex, StoreUnavailable
from tests.index.conftest import SEED, VENV_BIN, assert_consistent
from tests.servers import free_port, stop, wait_until_answering

pytestmark = pytest.mark.server


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """``newsdesk chroma`` on a free loopback port; yields its URL once it answers."""
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    server = subprocess.Popen(
        [
            str(VENV_BIN / "newsdesk"),
            "chroma",
            "--port",
            str(port),
            "--path",
            str(tmp_path / "server-data"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(server, f"{url}/api/v2/heartbeat", tmp_path / "chroma.log", 90)
        yield url
    finally:
        stop(server, grace_s=15)
        log.close()


def test_ingest_and_search_through_a_chroma_server(
    chroma_server: str, settings, embedder, tmp_path: Path
) -> None:
    story = tmp_path / SEED.name
    shutil.copy(SEED, story)
    remote = settings.model_copy(update={"chroma_url": chroma_server})
    with NewsIndex.open(remote, embedder=embedder) as index:
        report = index.ingest([story])
        assert report.articles_added == 1 and report.chunks_added > 1
        hits = index.dense_search("Who guards the base near Qamishli airport?", k=2)
        assert "SDF fighters" in index.get_chunks([hits[0][0]])[0].text
        assert index.stats()["store"] == chroma_server
        assert_consistent(index)
        assert index.ingest([story]).chunks_added == 0
    assert not (settings.store_dir / "chroma").exists()  # vectors went to the server


def test_a_dead_server_is_reported_quickly_with_how_to_start_it(settings) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    dead = settings.model_copy(update={"chroma_url": url, "chroma_timeout_s": 1.0})
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as err:
        NewsIndex.open(dead)
    assert time.monotonic() - started < 5
    assert url in str(err.value) and "newsdesk chroma" in str(err.value)
