"""UI fixtures: a store holding the seed articles, and the path of the app under test."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import NewsIndex, Settings
from tests.conftest import REPO, SEEDS

APP_FILE = REPO / "ui" / "app.py"
SEED_QUESTION = "Who guards the Qamishli base?"


def seed_store(store: Path) -> Path:
    """Ingest seeds/ into ``store`` with the real model and an embedded Chroma."""
    with NewsIndex.open(Settings(store_dir=store, chroma_url=None)) as index:
        report = index.ingest([SEEDS])
    assert report.articles_added >= 1 and not report.errors
    return store


@pytest.fixture
def seeded_store(isolated_store: Path) -> Path:
    """This test's own store (``NEWSDESK_STORE_DIR``), holding the seed articles."""
    return seed_store(isolated_store)
