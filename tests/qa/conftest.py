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
from dataclasses import replace
from pathlib import Path

import pytest

from index import NewsIndex, Settings
from index.embedding import load_embedder
from qa import Assistant
from qa.answerers.factory import build_answerer
from qa.models import Passage
from qa.retrieval import build_retriever
from tests.conftest import SEEDS


def qa_settings(store: Path, **overrides) -> Settings:
    """Settings for a test store: no .env, no Chroma server, defaults otherwise."""
    return Settings(_env_file=None, store_dir=store, chroma_url=None, **overrides)


def assistant_over(index: NewsIndex, answerer: str = "extractive", **overrides) -> Assistant:
    """An Assistant with the default retriever and the named answerer (and settings
    ``overrides``, e.g. ``news_reads=5`` to turn the news check on)."""
    settings = index.settings.model_copy(update=overrides)
    return Assistant(
        index,
        build_retriever(settings, index),
        build_answerer(answerer, settings, index),
        settings,
    )


def passages_for(index: NewsIndex, question: str, k: int = 5) -> list[Passage]:
    """The question's top-k seed chunks by dense search, as the answerer receives them."""
    hits = index.dense_search(question, k)
    stored = index.get_chunks([cid for cid, _ in hits])
    return [
        Passage(
            chunk_id=s.chunk.chunk_id,
            article_id=s.chunk.article_id,
            title=s.title,
            text=s.text,
            start=s.chunk.start,
            end=s.chunk.end,
            score=score,
            date=s.date,
            source=s.source,
            url=s.url,
            sentences=s.chunk.sentences,
            found_by=("dense",),
        )
        for s, (_, score) in zip(stored, hits, strict=True)
    ]


def ask(answerer, index, question, **passage_changes):
    passages = [replace(p, **passage_changes) for p in passages_for(index, question)]
    return answerer.draft(question, passages), passages


def one_sentence_passage(article_id: str, text: str, date: str | None = None) -> Passage:
    """A passage that is one whole sentence of its own one-sentence article."""
    return Passage(
        chunk_id=f"{article_id}:0",
        article_id=article_id,
        title=article_id,
        text=text,
        start=0,
        end=len(text),
        score=1.0,
        date=date,
        sentences=((0, len(text)),),
    )


def preamble_case() -> tuple[str, list[Passage]]:
    """A quiz question that retells its story first, and two passages: one merely
    repeating the preamble's words, one (the second) answering the ask."""
    retold = one_sentence_passage(
        "retold",
        "Storm Ada flooded the harbour town of Kelby this week, leaving the Kelby harbour "
        "town flooded, Mayor Tom Reed said.",
    )
    answer = one_sentence_passage(
        "answer", "The Coastal Safety Agency ordered residents of Kelby to evacuate."
    )
    question = (
        "Storm Ada flooded the harbour town of Kelby this week. "
        "Which agency ordered residents to evacuate?"
    )
    return question, [retold, answer]


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
