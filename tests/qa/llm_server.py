"""A real OpenAI-compatible server for the ``llm`` answerer's tests.

Starts ``python -m llama_cpp.server`` with the packaged SmolLM2-135M GGUF on a
free local port, waits until ``/v1/models`` answers, and kills it when the
session ends. The tests then exercise the real HTTP protocol (LangChain's
``ChatOpenAI`` → llama.cpp server), streaming included.

Import the fixture into a test module: ``from tests.qa.llm_server import llm_server``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.settings import Settings
from qa.local_model import find_gguf
from qa.models import Passage
from tests.conftest import SEEDS
from tests.servers import free_port, stop, wait_until_answering

MODEL_NAME = "smollm2-135m"  # the alias the server announces
START_TIMEOUT_S = 60.0
SEED_ARTICLE = SEEDS / "000_1837e72144ab2d0b.txt"  # AP, Russian withdrawal from Qamishli
QUESTION = "Who guards the base near Qamishli Airport?"


def seed_passages(n: int = 3) -> list[Passage]:
    """The seed article's first ``n`` lines as passages, with their real offsets."""
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    passages, start = [], 0
    for i, line in enumerate(text.splitlines(keepends=True)[:n]):
        body = line.rstrip("\n")
        passages.append(
            Passage(
                chunk_id=f"seed:{i}",
                article_id="seed",
                title="Russia withdraws",
                text=body,
                start=start,
                end=start + len(body),
                score=1.0,
                date="2025-01-28",
                source="AP",
            )
        )
        start += len(line)
    return passages


def start_server(model: Path, port: int, log: Path) -> subprocess.Popen:
    """Launch the llama.cpp server and return once it serves ``/v1/models``."""
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_NAME,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        "1",
    ]  # 1: see LocalAnswerer's n_threads note
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    wait_until_answering(proc, f"http://127.0.0.1:{port}/v1/models", log, START_TIMEOUT_S)
    return proc


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT/v1``) of a running SmolLM2 llama.cpp server."""
    model = find_gguf(Settings(local_model_path=None))  # ModelNotFound says what to install
    port = free_port()
    proc = start_server(model, port, tmp_path_factory.mktemp("llm_server") / "server.log")
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)
