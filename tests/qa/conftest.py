"""Shared qa fixtures: one real index of the repo's seeds/, built once per session.

``seed_index`` is a ``NewsIndex`` (real all-MiniLM-L6-v2, embedded Chroma in a
session tmp dir) holding every file of ``seeds/``; ``seed_assistant`` is an
``Assistant`` over it with the default retriever and the extractive answerer.
Treat both as read-only: tests that need other articles build their own
index (see ``news_index_of``) so that every module sees the same seed store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index import NewsIndex, Settings
from index.embedding import load_embedder
from qa import Assistant
from qa.answerers.factory import build_answerer
from qa.retrieval import build_retriever
from tests.conftest import SEEDS


def qa_settings(store: Path, **overrides) -> Settings:
    """Settings for a test store: no .env, no Chroma server, defaults otherwise."""
    return Settings(_env_file=None, store_dir=store, chroma_url=None, **overrides)


def assistant_over(index: NewsIndex, answerer: str = "extractive") -> Assistant:
    """An Assistant with the default retriever and the named answerer."""
    settings = index.settings
    return Assistant(
        index,
        build_retriever(settings, index),
        build_answerer(answerer, settings, index),
        settings,
    )


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsIndex]:
    """The seeds/ articles in a real index (built once per session; do not modify)."""
    settings = qa_settings(tmp_path_factory.mktemp("seed-store"))
    index = NewsIndex.open(settings, embedder=load_embedder(settings.embedding_model))
    report = index.ingest([SEEDS])
    assert report.articles_added >= 1 and not report.errors, report
    yield index
    index.close()


@pytest.fixture(scope="session")
def seed_assistant(seed_index: NewsIndex) -> Assistant:
    """An extractive Assistant over ``seed_index``."""
    return assistant_over(seed_index)


@pytest.fixture(scope="session")
def news_index_of(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[list[dict]], NewsIndex]]:
    """``news_index_of(records)``: a fresh index of seeds/ plus JSONL ``records``.

    Records use the JSONL article format (title, body, date, source, url).
    """
    opened: list[NewsIndex] = []

    def build(records: list[dict]) -> NewsIndex:
        folder = tmp_path_factory.mktemp("news")
        corpus = folder / "extra.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
        settings = qa_settings(folder / "store")
        index = NewsIndex.open(settings, embedder=load_embedder(settings.embedding_model))
        report = index.ingest([SEEDS, corpus])
        assert not report.errors, report
        opened.append(index)
        return index

    yield build
    for index in opened:
        index.close()
