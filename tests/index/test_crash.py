"""Crash safety: ``kill -9`` an ingest mid-way, ingest again, and nothing is half there."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from index import NewsIndex, Settings
from tests.index.conftest import VENV_BIN, assert_consistent, write_corpus_folder

ARTICLES = 12


def complete_articles(settings: Settings) -> int:
    """Complete articles in the catalog, read straight from it (either backend)."""
    sql = "SELECT COUNT(*) FROM articles WHERE state='complete'"
    if settings.database_url:
        import psycopg

        try:
            with psycopg.connect(settings.database_url) as db:
                return db.execute(sql).fetchone()[0]
        except psycopg.errors.UndefinedTable:  # schema not created yet
            return 0
    catalog = settings.store_dir / "catalog.sqlite3"
    if not catalog.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=1) as db:
            return db.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def test_sigkill_mid_ingest_then_reingest_restores_a_clean_index(
    tmp_path: Path, settings, embedder
) -> None:
    folder = write_corpus_folder(tmp_path / "news", ARTICLES)
    env = {**os.environ, "NEWSDESK_EMBEDDING_BATCH_SIZE": "2"}  # commits every few articles
    ingest = subprocess.Popen(
        [str(VENV_BIN / "newsdesk"), "ingest", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while complete_articles(settings) < 2:
        assert ingest.poll() is None, "ingest ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    at_kill = complete_articles(settings)
    assert 2 <= at_kill < ARTICLES, "the kill must land mid-way"

    with NewsIndex.open(settings, embedder=embedder) as index:
        report = index.ingest([folder])
        stored = report.articles_added + report.articles_unchanged + report.duplicates
        assert stored == ARTICLES and report.articles_unchanged >= 2
        assert_consistent(index)
        after_crash = index.stats()

    clean = settings.model_copy(update={"store_dir": tmp_path / "clean"})
    with NewsIndex.open(clean, embedder=embedder) as index:
        index.ingest([folder])
        expected = index.stats()
    for key in ("articles", "chunks", "sources", "date_min", "date_max"):
        assert after_crash[key] == expected[key], key
