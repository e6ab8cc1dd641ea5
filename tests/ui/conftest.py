"""UI fixtures: a store holding the seed articles, and the path of the app under test."""

from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def seed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seeds, built once; tests get copies (embedding is the slow part)."""
    return seed_store(tmp_path_factory.mktemp("seed-template") / "store")


@pytest.fixture
def seeded_store(isolated_store: Path, seed_template: Path) -> Path:
    """This test's own store (``NEWSDESK_STORE_DIR``), holding the seed articles."""
    shutil.copytree(seed_template, isolated_store)
    return isolated_store
