"""UI fixtures: a store holding the seed articles, and the path of the app under test."""

from __future__ import annotations

import json
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


#: Two dated articles from an outlet besides the seed's AP, for outlet and date filters.
VANTOR = [
    {
        "title": "Vantor harbour reopens",
        "body": "The harbour of Vantor reopened on Friday after the storms.",
        "source": "Vantor Post",
        "date": "2025-03-01",
    },
    {
        "title": "Vantor pier gets new guards",
        "body": "Guards from the port authority now watch the base of the old pier.",
        "source": "Vantor Post",
        "date": "2025-03-05",
    },
]


@pytest.fixture
def two_outlet_store(seeded_store: Path) -> Path:
    """The seed (AP, undated) plus the two dated Vantor Post articles."""
    extra = seeded_store.parent / "vantor.json"
    extra.write_text(json.dumps(VANTOR), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=seeded_store, chroma_url=None)) as index:
        assert index.ingest([extra]).articles_added == 2
    return seeded_store


#: The access suite's store: the seeds (no desk), one article on the investigations
#: desk and one under embargo. Questions copy their first sentence word for word; the
#: second sentence, the title and the id must never reach a reader without access.
SECRET_QUESTION = (
    "Investigators found that the Lindqvist harbour board paid 3 million euros to a shell "
    "company owned by its chair, Mirela Tavon, documents show."
)
SECRET = {
    "title": "Lindqvist harbour board payments",
    "body": SECRET_QUESTION + " The board's auditor, Pell Quorvane, resigned in protest.",
    "desk": "investigations",
    "url": "https://example.org/lindqvist",
}
EMBARGO_QUESTION = "A storm named Veyra will reach the Osmund coast on Friday, forecasters said."
EMBARGOED = {
    "title": "Storm Veyra forecast",
    "body": EMBARGO_QUESTION + " Ferries to Skarholm will stop on Thursday night.",
    "embargo_until": "2030-01-01T09:00:00+00:00",
}
BEFORE_EMBARGO = "2029-12-31T23:00:00+00:00"
AFTER_EMBARGO = "2030-01-01T09:00:01+00:00"
INSIDER, OUTSIDER = "ana@example.org", "bo@example.org"
USER_DESKS = f'[users]\n"{INSIDER}" = ["Investigations"]\n'


def add_restricted(store: Path) -> Path:
    """Add ``SECRET`` and ``EMBARGOED`` to ``store`` and write the user-desk file beside
    it (``desks.toml``: ``INSIDER`` holds investigations, ``OUTSIDER`` nothing)."""
    extra = store.parent / "restricted.json"
    extra.write_text(json.dumps([SECRET, EMBARGOED]), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=store, chroma_url=None)) as index:
        assert index.ingest([extra]).articles_added == 2
    (store.parent / "desks.toml").write_text(USER_DESKS, encoding="utf-8")
    return store


@pytest.fixture
def desk_store(seeded_store: Path) -> Path:
    """This test's store: the seeds plus the restricted articles (``add_restricted``)."""
    return add_restricted(seeded_store)
