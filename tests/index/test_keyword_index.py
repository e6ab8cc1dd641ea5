"""The embedded keyword index (tantivy beside the SQLite catalog): rebuilt when it is
missing or the store predates it, filtered searches that reject most of the best hits,
and words matched the way readers type them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from index import NewsIndex, SearchFilter, Settings
from index import catalog as catalog_module
from tests.index.conftest import SEED, assert_consistent

QUESTION = "who guards the Qamishli base"


def _open(store: Path, embedder) -> NewsIndex:
    return NewsIndex.open(Settings(store_dir=store), embedder=embedder)


def _seed_store(tmp_path: Path, embedder) -> tuple[Path, list[str]]:
    store = tmp_path / "store"
    with _open(store, embedder) as index:
        index.ingest([SEED])
        best = [cid for cid, _ in index.keyword_search(QUESTION, 3)]
    assert best
    return store, best


def test_a_lost_keyword_folder_is_rebuilt_from_the_catalog(tmp_path: Path, embedder) -> None:
    store, best = _seed_store(tmp_path, embedder)
    shutil.rmtree(store / catalog_module.KEYWORDS_FOLDER)
    with _open(store, embedder) as index:
        assert [cid for cid, _ in index.keyword_search(QUESTION, 3)] == best
        assert_consistent(index)


def test_a_store_from_the_fts5_days_moves_to_the_new_index(tmp_path: Path, embedder) -> None:
    """A store written while keywords lived in an FTS5 table has only that table: the
    first writer to open it indexes every article and drops the table."""
    store, best = _seed_store(tmp_path, embedder)
    shutil.rmtree(store / catalog_module.KEYWORDS_FOLDER)
    with sqlite3.connect(store / "catalog.sqlite3") as db:
        db.execute("CREATE VIRTUAL TABLE chunks_fts USING fts5(title, text)")
        db.execute("DELETE FROM keyword_backlog")
    with _open(store, embedder) as index:
        assert [cid for cid, _ in index.keyword_search(QUESTION, 3)] == best
        assert_consistent(index)
    with sqlite3.connect(store / "catalog.sqlite3") as db:
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'chunks_fts'").fetchone()
        assert db.execute("SELECT COUNT(*) FROM keyword_backlog").fetchone()[0] == 0


def _article(i: int, source: str, body: str) -> dict:
    return {"title": f"Weather report {i}", "date": "2023-02-01", "source": source, "body": body}


@pytest.mark.parametrize("fetch_max", [catalog_module.KEYWORD_FETCH_MAX, 12])
def test_a_filter_that_rejects_the_best_hits_still_finds_its_outlet(
    tmp_path: Path, embedder, monkeypatch, fetch_max: int
) -> None:
    """Twenty storm stories from one outlet outrank the other outlet's one passing
    mention; asked for that outlet only, its article is found, whether the widened
    fetch reaches it or the search has to be narrowed to the outlet's articles."""
    monkeypatch.setattr(catalog_module, "KEYWORD_FETCH_MAX", fetch_max)
    folder = tmp_path / "news"
    folder.mkdir()
    places = [
        "Arden",
        "Bexley",
        "Corran",
        "Dunmore",
        "Elston",
        "Fairlie",
        "Garvan",
        "Hollin",
        "Ivers",
        "Jarrow",
    ]
    for i in range(20):
        place, other = places[i % 10], places[(i * 3 + 1) % 10]
        loud = (
            f"The storm flooded roads in {place} for {i + 2} days. Storm warnings stayed in "
            f"force as the storm moved toward {other}, where crews number {i * 7 + 11}."
        )
        (folder / f"loud_{i}.json").write_text(json.dumps(_article(i, "Storm Daily", loud)))
    quiet = "Council members met on Tuesday to discuss the budget; a storm was mentioned."
    (folder / "quiet.json").write_text(json.dumps(_article(99, "Town Gazette", quiet)))
    with _open(tmp_path / "store", embedder) as index:
        index.ingest([folder])
        assert len(index.keyword_search("storm", 3)) == 3
        hits = index.keyword_search("storm", 1, SearchFilter(sources=("Town Gazette",)))
        (stored,) = index.get_chunks([cid for cid, _ in hits])
        assert "budget" in stored.text


def test_accented_names_match_as_typed_without_accents(tmp_path: Path, embedder) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    body = "Flooding closed the main station in Zürich on Friday, the city said."
    (folder / "zurich.json").write_text(json.dumps(_article(1, "Alpine Post", body)))
    with _open(tmp_path / "store", embedder) as index:
        index.ingest([folder])
        assert index.keyword_search("Zurich flooding", 1)
        assert index.keyword_search("Zürich", 1)
