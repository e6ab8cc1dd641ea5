"""The embedded store's query path through chromadb's Rust core (index/chroma_reader.py).

A question on an existing store is answered without chromadb's Python client; these
tests hold that path to the client's answers, and check that writes (this process's
and another writer's) are found after it, on a real Chroma folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index.chroma_reader import open_reader
from index.embedding import Embedder
from index.news_index import NewsIndex
from index.settings import Settings
from tests.index.conftest import SEED, write_corpus_folder

QUESTIONS = (
    "Who guards the base near Qamishli airport?",
    "What did the company announce about layoffs?",
    "Which team won the game?",
    "What happened to the price of oil?",
)


@pytest.fixture
def store(isolated_store: Path, embedder: Embedder, tmp_path: Path) -> Settings:
    """An embedded store holding the seed and 12 real articles, closed again."""
    settings = Settings(store_dir=isolated_store)
    news = write_corpus_folder(tmp_path / "news", 12)
    shutil.copy(SEED, news / SEED.name)
    index = NewsIndex.open(settings, embedder=embedder)
    assert index.ingest([news]).articles_added == 13
    index.close()
    return settings


def _client_nearest(settings: Settings, vector: np.ndarray, k: int, where: dict | None) -> list:
    import chromadb

    client = chromadb.PersistentClient(path=str(settings.store_dir / "chroma"))
    try:
        found = client.get_collection(settings.collection).query(
            query_embeddings=[vector], n_results=k, where=where, include=["distances"]
        )
    finally:
        client.close()
    return list(zip(found["ids"][0], found["distances"][0]))


def _article_ids(index: NewsIndex) -> set[str]:
    return {cid.split(":")[0] for cid in index.catalog.chunk_ids()}


def test_the_reader_finds_what_chromadb_finds(store: Settings, embedder: Embedder) -> None:
    reader = open_reader(store.store_dir / "chroma", store.collection)
    assert reader is not None
    index = NewsIndex.open(store, embedder=embedder)
    some_articles = sorted(_article_ids(index))[:5]
    index.close()
    for question, vector in zip(QUESTIONS, embedder.encode(list(QUESTIONS)), strict=True):
        for k, where in ((8, None), (3, {"article_id": {"$in": some_articles}})):
            got = reader.query(vector, k, where)
            expected = _client_nearest(store, vector, k, where)
            assert [cid for cid, _ in got] == [cid for cid, _ in expected], question
            assert np.allclose([d for _, d in got], [d for _, d in expected], atol=1e-6)
            assert len(got) == k


def test_a_question_then_a_write_then_the_new_article_is_found(
    store: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    index = NewsIndex.open(store, embedder=embedder)
    try:
        assert index.dense_search(QUESTIONS[0], k=3)  # read before this index writes
        before = _article_ids(index)
        more = write_corpus_folder(tmp_path / "more", 3, skip=40)
        assert index.ingest([more]).articles_added == 3
        added = _article_ids(index) - before
        found = {cid.split(":")[0] for cid, _ in index.dense_search(QUESTIONS[0], k=200)}
        assert added and added <= found
    finally:
        index.close()


def test_another_writers_articles_are_found_by_a_reading_index(
    store: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    reading = NewsIndex.open(store, embedder=embedder)
    writing = NewsIndex.open(store, embedder=embedder)
    try:
        known = len(reading.dense_search(QUESTIONS[1], k=100))
        assert writing.ingest([write_corpus_folder(tmp_path / "more", 3, skip=40)]).chunks_added
        assert len(reading.dense_search(QUESTIONS[1], k=100)) > known
    finally:
        writing.close()
        reading.close()


def test_no_reader_where_only_chromadb_can_open(store: Settings, tmp_path: Path) -> None:
    assert open_reader(tmp_path / "nowhere", store.collection) is None  # no store yet
    assert open_reader(store.store_dir / "chroma", "another-collection") is None
