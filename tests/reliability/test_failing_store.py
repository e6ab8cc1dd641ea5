"""A failing Chroma server: clear StoreUnavailable within 5 s, never a hang, then recovery.

A real ``chroma run`` server is started by the test (``.venv/bin/chroma``) on a
free loopback port, with a fresh database on the session's PostgreSQL as the
catalog (server mode needs both). The server is down before the question, killed in the
middle of a session, replaced by a listener that never answers, and restarted
on the same port and folder; the same ``Assistant`` object must report each
failure as ``StoreUnavailable`` within ``NEWSDESK_CHROMA_TIMEOUT_S`` (5 s) and
answer again once the server is back, without being rebuilt.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import NewsIndex, StoreUnavailable
from qa import Assistant
from qa.answerers.factory import build_answerer
from qa.retrieval import build_retriever
from tests.conftest import REPO
from tests.reliability.conftest import assert_store_consistent, store_settings, write_articles
from tests.servers import free_port, wait_until_answering

pytestmark = [pytest.mark.server, pytest.mark.slow]

CHROMA = REPO / ".venv" / "bin" / "chroma"
LIMIT_S = 5.0  # NEWSDESK_CHROMA_TIMEOUT_S default
QUESTION = "How much would the harbour and the bridge cost?"


class ChromaServer:
    """``chroma run`` on a fixed port and folder that can be killed and started again."""

    def __init__(self, path: Path, port: int, log: Path) -> None:
        self.path, self.port, self.log = path, port, log
        self.proc: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [
                    str(CHROMA),
                    "run",
                    "--path",
                    str(self.path),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until_answering(self.proc, f"{self.url}/api/v2/heartbeat", self.log, 120)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    srv = ChromaServer(tmp_path / "chroma-data", free_port(), tmp_path / "chroma.log")
    yield srv
    srv.kill()


def _assistant(index: NewsIndex) -> Assistant:
    s = index.settings
    return Assistant(index, build_retriever(s, index), build_answerer("extractive", s, index), s)


def _timed_failure(call) -> tuple[float, StoreUnavailable]:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as caught:
        call()
    return time.monotonic() - started, caught.value


def test_server_down_before_the_question_is_a_clear_error_within_5s(
    tmp_path: Path, embedder, server_database: str
) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = store_settings(tmp_path / "store", chroma_url=url, database_url=server_database)
    _timed_failure(lambda: NewsIndex.open(settings, embedder=embedder))  # imports chromadb
    elapsed, error = _timed_failure(lambda: NewsIndex.open(settings, embedder=embedder))
    assert elapsed <= LIMIT_S + 0.5, f"took {elapsed:.1f} s"
    assert url in str(error) and "newsdesk chroma" in str(error)


def test_server_killed_mid_session_then_restarted_same_assistant_recovers(
    tmp_path: Path, server: ChromaServer, embedder, server_database: str
) -> None:
    server.start()
    write_articles(tmp_path / "news", 4, seed=21)
    settings = store_settings(
        tmp_path / "store", chroma_url=server.url, database_url=server_database
    )
    index = NewsIndex.open(settings, embedder=embedder)
    try:
        index.ingest([tmp_path / "news"])
        assistant = _assistant(index)
        before = assistant.ask(QUESTION)
        assert before.passages

        server.kill()
        elapsed, error = _timed_failure(lambda: assistant.ask(QUESTION))
        assert elapsed <= LIMIT_S, f"ask took {elapsed:.1f} s to fail"
        assert server.url in str(error)
        unchanged = index.ingest([tmp_path / "news"])  # needs no vector store at all
        assert unchanged.articles_unchanged == 4 and not unchanged.errors
        write_articles(tmp_path / "more", 1, seed=23)
        elapsed, _ = _timed_failure(lambda: index.ingest([tmp_path / "more"]))
        assert elapsed <= LIMIT_S, f"ingest took {elapsed:.1f} s to fail"

        server.start()  # same port, same folder
        after = assistant.ask(QUESTION)
        assert [p.chunk_id for p in after.passages] == [p.chunk_id for p in before.passages]
        assert after.text == before.text
        resumed = index.ingest([tmp_path / "more"])  # the failed article is written now
        assert resumed.articles_added == 1
        assert_store_consistent(index)
    finally:
        index.close()


def test_a_server_that_stops_answering_mid_session_never_hangs(
    tmp_path: Path, server: ChromaServer, embedder, server_database: str
) -> None:
    server.start()
    write_articles(tmp_path / "news", 2, seed=22)
    settings = store_settings(
        tmp_path / "store", chroma_url=server.url, database_url=server_database
    )
    index = NewsIndex.open(settings, embedder=embedder)
    assistant = _assistant(index)
    index.ingest([tmp_path / "news"])
    server.kill()
    silent = socket.socket()  # accepts connections on the same port, never replies
    silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    silent.bind(("127.0.0.1", server.port))
    silent.listen(16)
    outcome: list[BaseException | None] = []

    def ask() -> None:
        try:
            assistant.ask(QUESTION)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=ask, daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=LIMIT_S + 10)
    elapsed = time.monotonic() - started
    silent.close()  # frees a hung request, if any
    worker.join(timeout=10)
    index.close()
    assert outcome and isinstance(outcome[0], StoreUnavailable), f"no error after {elapsed:.0f} s"
    assert elapsed <= LIMIT_S + 1
