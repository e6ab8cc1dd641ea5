"""Concurrency: two ingests on one store, a busy store, and questions during an ingest.

Two real ``newsdesk ingest`` processes started together on one store must
leave it whole: the second waits for the write lock (or fails clearly with
IndexBusy, exit 6) and every vector of both stays findable. A question asked
in this process while an ingest subprocess writes the same store still gets a
checked answer.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from index import NewsIndex
from index.catalog_base import open_catalog
from index.embedding import embedding_text
from qa import Assistant
from qa.answerers.factory import build_answerer
from qa.retrieval import build_retriever
from tests.reliability.conftest import (
    NEWSDESK,
    assert_store_consistent,
    cli_env,
    raw_rows,
    run_cli,
    store_settings,
    write_articles,
)

# Every case on both backends: the embedded store and server mode (PostgreSQL + Chroma server).
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("backend")]


def assert_vectors_findable(index: NewsIndex) -> None:
    """Every chunk's own vector finds that chunk first in Chroma (no lost HNSW entries)."""
    by_article = assert_store_consistent(index)
    for article_id, chunk_ids in by_article.items():
        article = index.get_article(article_id)
        stored = index.get_chunks(chunk_ids)
        vectors = index.embedder.encode([embedding_text(article.title, s.text) for s in stored])
        for s, vector in zip(stored, vectors, strict=True):
            [(found, score)] = index.store.query(vector, 1, None)
            assert found == s.chunk.chunk_id and score > 0.99, f"{s.chunk.chunk_id} not findable"


def _ingest(folder: Path, store: Path, **settings: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(NEWSDESK), "ingest", str(folder), "--json"],
        env=cli_env(store, **settings),
        cwd=store.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_ingest_processes_on_one_store_never_corrupt_it(tmp_path: Path, open_store) -> None:
    store = tmp_path / "shared-store"
    folders = [tmp_path / "a", tmp_path / "b"]
    for seed, folder in enumerate(folders, start=1):
        write_articles(folder, 12, seed=seed)
    procs = [_ingest(f, store, embedding_batch_size="2", lock_timeout_s="300") for f in folders]
    outs = [p.communicate(timeout=600) for p in procs]
    for proc, (_, err) in zip(procs, outs, strict=True):
        assert "Traceback" not in err, err[-2000:]
        assert proc.returncode in (0, 6), err[-2000:]
        if proc.returncode == 6:
            assert "another ingest is writing" in err
    assert 0 in [p.returncode for p in procs], "at least one ingest must succeed"
    index = open_store(store)
    assert_vectors_findable(index)
    expected = sum(12 for p in procs if p.returncode == 0)
    assert index.stats()["articles"] == expected


def test_a_held_lock_makes_ingest_fail_clearly_with_index_busy(tmp_path: Path) -> None:
    store = tmp_path / "busy-store"
    write_articles(tmp_path / "news", 2, seed=5)
    catalog = open_catalog(store_settings(store))
    with catalog.write_lock(timeout_s=5):  # as another ingest would hold it
        proc = run_cli(["ingest", str(tmp_path / "news")], store, cwd=tmp_path, lock_timeout_s="1")
    catalog.close()
    assert proc.returncode == 6, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "another ingest is writing" in proc.stderr and "NEWSDESK_LOCK_TIMEOUT_S" in proc.stderr
    assert raw_rows(store)["articles"] == {}, "a refused ingest wrote nothing"


def test_questions_are_answered_while_an_ingest_writes_the_store(
    tmp_path: Path, open_store
) -> None:
    store = tmp_path / "live-store"
    write_articles(tmp_path / "first", 8, seed=11)
    write_articles(tmp_path / "second", 16, seed=12)
    index = open_store(store)
    index.ingest([tmp_path / "first"])
    settings = store_settings(store)
    assistant = Assistant(
        index,
        build_retriever(settings, index),
        build_answerer("extractive", settings, index),
        settings,
    )
    question = "How much would the harbour and the bridge cost?"
    proc = _ingest(tmp_path / "second", store, embedding_batch_size="2")
    answered = 0
    try:
        while proc.poll() is None:
            answer = assistant.ask(question)
            for c in answer.citations:
                assert index.get_article(c.article_id).text[c.start : c.end] == c.quote
            answered += 1
            time.sleep(0.1)
    finally:
        _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    assert answered >= 1, "the ingest ended before a question could be asked"
    # The other process's articles are complete in the catalog this process reads.
    assert index.stats()["articles"] == 24
    print(f"\nquestions answered during the ingest: {answered}")
