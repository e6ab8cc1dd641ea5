"""Fixtures for the store tests: one shared embedding model, small real corpora.

The model is loaded once per session; every index lives in the test's own
``tmp_path`` store (see the autouse fixture in ``tests/conftest.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.embedding import Embedder, load_embedder
from index.news_index import NewsIndex
from index.settings import DEFAULT_EMBEDDING_MODEL, Settings
from tests.conftest import REPO, SEEDS, SHARED

CORPUS = SHARED / "data" / "realtimeqa-2023q1" / "corpus.jsonl"
SEED = next(SEEDS.glob("*.txt"))
VENV_BIN = REPO / ".venv" / "bin"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real all-MiniLM-L6-v2, loaded once for the whole session."""
    model = load_embedder(DEFAULT_EMBEDDING_MODEL)
    assert model.dimension == 384  # forces the load here, not inside the first test
    return model


@pytest.fixture
def settings(isolated_store: Path, backend: str) -> Settings:
    """The test's store, on each backend in turn (embedded, then server mode)."""
    return Settings(store_dir=isolated_store)


@pytest.fixture
def open_index(settings: Settings, embedder: Embedder) -> Iterator[Callable[..., NewsIndex]]:
    """``open_index(**overrides)`` opens a NewsIndex on the test's store; closed afterwards."""
    opened: list[NewsIndex] = []

    def _open(**overrides) -> NewsIndex:
        index = NewsIndex.open(settings.model_copy(update=overrides), embedder=embedder)
        opened.append(index)
        return index

    yield _open
    for index in opened:
        index.close()


def corpus_records(n: int, skip: int = 0, body_chars: int = 1500) -> list[dict]:
    """The first ``n`` real news records (after ``skip``) of the shared eval corpus.

    Bodies are cut after the last paragraph that ends within ``body_chars``
    (a few chunks each), which keeps the suite fast on two cores.
    """
    records = []
    with CORPUS.open(encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if i >= skip:
                record = json.loads(line)
                cut = record["body"].rfind("\n", 0, body_chars)
                record["body"] = record["body"][: cut if cut > 0 else body_chars]
                records.append(record)
            if len(records) == n:
                break
    return records


def write_corpus_folder(folder: Path, n: int, skip: int = 0) -> Path:
    """One .json file per real article, as a user's news folder would look."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, record in enumerate(corpus_records(n, skip)):
        (folder / f"article_{i:03d}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def assert_consistent(index: NewsIndex) -> None:
    """Store invariants: no pending rows; catalog chunks == FTS rows == Chroma ids."""
    catalog, store = index.catalog, index.store
    assert catalog.pending_ids() == []
    counts = catalog.counts()
    chunk_ids = catalog.chunk_ids()
    assert counts["chunks"] == len(chunk_ids) == counts["fts"]
    assert store.ids() == chunk_ids
    assert store.count() == len(chunk_ids)
