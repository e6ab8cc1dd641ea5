"""Shared tools for the reliability tests: the real CLI, one model, store invariants.

Every test here uses real parts: the installed ``newsdesk`` console script in a
subprocess (so exit codes, stderr and the error boundary are what a user sees),
the real all-MiniLM-L6-v2 loaded once per session for in-process checks, and
real Chroma + SQLite stores under ``tmp_path``.

subtle: an embedded Chroma client caches a store's state per process, so a
store written by a subprocess must be opened in-process only *after* that
subprocess wrote it (a fresh folder per check), never reused from before.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from index import NewsIndex, Settings
from index.embedding import Embedder, load_embedder
from index.settings import DEFAULT_EMBEDDING_MODEL
from tests.conftest import BACKEND_VARS, REPO

NEWSDESK = REPO / ".venv" / "bin" / "newsdesk"
CATALOG = "catalog.sqlite3"
KEYWORDS_FOLDER = "keywords"  # the embedded keyword index (tantivy) beside it

#: Words the generated articles are made of (distinct enough that no two articles
#: generated with different seeds are folded together as near-duplicates).
VOCABULARY = [
    "harbour",
    "council",
    "budget",
    "river",
    "bridge",
    "mayor",
    "tunnel",
    "vote",
    "school",
    "nurse",
    "strike",
    "port",
    "railway",
    "farmer",
    "drought",
    "festival",
    "museum",
    "court",
    "judge",
    "senator",
    "ferry",
    "airport",
    "storm",
    "factory",
    "union",
    "wages",
    "election",
    "minister",
    "hospital",
    "library",
    "market",
    "bakery",
    "stadium",
    "orchestra",
    "glacier",
    "volcano",
    "satellite",
    "rocket",
    "vaccine",
    "clinic",
    "reservoir",
    "pipeline",
    "lighthouse",
    "canal",
    "parliament",
    "treaty",
    "embassy",
    "harvest",
    "vineyard",
    "quarry",
    "mine",
    "forest",
]
NAMES = [
    "Alvarez",
    "Brennan",
    "Chowdhury",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "Gallo",
    "Hoshino",
    "Ibsen",
    "Jovanovic",
]
TOWNS = [
    "Arden",
    "Bellmont",
    "Corrib",
    "Dunmore",
    "Elmstead",
    "Farrow",
    "Glenbrook",
    "Halwick",
    "Ivybridge",
    "Jarrow",
]


def cli_env(store: Path, **settings: str) -> dict[str, str]:
    """The environment of a ``newsdesk`` subprocess: offline, isolated store, extra settings."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_") or k in BACKEND_VARS
    }
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        TOKENIZERS_PARALLELISM="false",
        NEWSDESK_STORE_DIR=str(store),
    )
    env.update({f"NEWSDESK_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def run_cli(
    args: list[str], store: Path, cwd: Path, timeout: float = 300, **settings: str
) -> subprocess.CompletedProcess[str]:
    """Run ``newsdesk ARGS`` to completion and capture its output."""
    return subprocess.run(
        [str(NEWSDESK), *args],
        env=cli_env(store, **settings),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,  # the exit code is what the tests check
    )


def store_settings(store: Path, **overrides) -> Settings:
    """Settings for a test store: no .env; server mode only when the ``backend``
    fixture (or an override) asks for it."""
    return Settings(_env_file=None, store_dir=store, **overrides)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real model, loaded once for every in-process check of the session."""
    model = load_embedder(DEFAULT_EMBEDDING_MODEL)
    assert model.dimension == 384  # load now, not inside the first timed test
    return model


@pytest.fixture
def open_store(embedder: Embedder) -> Iterator:
    """``open_store(store_dir, **settings)``: a NewsIndex with the shared model, closed after."""
    opened: list[NewsIndex] = []

    def _open(store: Path, **overrides) -> NewsIndex:
        index = NewsIndex.open(store_settings(store, **overrides), embedder=embedder)
        opened.append(index)
        return index

    yield _open
    for index in opened:
        index.close()


def article_text(rng: random.Random, sentences: int = 4) -> tuple[str, str]:
    """A small generated news article: (headline, body) of plain sentences."""
    town, name = rng.choice(TOWNS), rng.choice(NAMES)
    words = rng.sample(VOCABULARY, 12)
    body = []
    for i in range(sentences):
        w = words[3 * (i % 4) : 3 * (i % 4) + 3]
        number = rng.randint(2, 990)
        body.append(
            f"In {town}, {name} said the {w[0]} and the {w[1]} would cost {number} "
            f"thousand dollars before the {w[2]} reopens."
        )
    return f"{town} {words[0]} plan announced by {name}", " ".join(body)


def write_articles(folder: Path, n: int, seed: int) -> list[Path]:
    """``n`` distinct small .txt articles in ``folder`` (deterministic for ``seed``)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        title, body = article_text(rng)
        path = folder / f"article_{i:03d}.txt"
        path.write_text(f"{title}\n\n{body} Item {seed}-{i}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def _server_catalog(database_url: str | None) -> str | None:
    """The PostgreSQL URL of a server-mode test: given, or from the environment the
    ``backend`` fixture set."""
    return database_url or Settings(_env_file=None).database_url


def _raw(
    store: Path,
    sql: str,
    params: tuple = (),
    database_url: str | None = None,
    write: bool = False,
) -> list:
    """Rows of ``sql`` read straight from the catalog, with no newsdesk code involved:
    plain sqlite3 on the store's file, or psycopg on the server-mode database. With
    ``write`` the statement may change the catalog (and is committed)."""
    url = _server_catalog(database_url)
    if url:
        import psycopg

        with psycopg.connect(url) as db:
            cur = db.execute(sql.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []
    mode = "rw" if write else "ro"
    with sqlite3.connect(f"file:{store / CATALOG}?mode={mode}", uri=True, timeout=10) as db:
        return db.execute(sql, params).fetchall()


def _keyword_chunk_ids(store: Path, database_url: str | None) -> list[str]:
    """Chunk ids the keyword index holds, duplicates kept: PostgreSQL chunks with postings
    (or no words to index), or every document of the embedded tantivy folder, opened
    with tantivy alone."""
    if _server_catalog(database_url):
        sql = (
            "SELECT chunk_id FROM chunks WHERE len = 0 "
            "OR rid IN (SELECT DISTINCT rid FROM postings)"
        )
        return [r[0] for r in _raw(store, sql, (), database_url)]
    import tantivy

    folder = store / KEYWORDS_FOLDER
    if not (folder / "meta.json").is_file():
        return []
    searcher = tantivy.Index.open(str(folder)).searcher()
    hits = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1)).hits
    return [searcher.doc(address)["chunk_id"][0] for _, address in hits]


def raw_rows(store: Path, database_url: str | None = None) -> dict:
    """What the catalog holds: article states, chunk rows, and the chunk ids that have
    keyword-index documents."""
    return {
        "articles": dict(_raw(store, "SELECT article_id, state FROM articles", (), database_url)),
        "chunks": _raw(store, "SELECT chunk_id, article_id, rid FROM chunks", (), database_url),
        "keyword_chunk_ids": _keyword_chunk_ids(store, database_url),
    }


def ids_at_path(settings: Settings, path: Path) -> list[str]:
    """Ids of the articles stored from ``path`` (any state), read straight from the catalog."""
    sql = "SELECT article_id FROM articles WHERE path = ?"
    return [r[0] for r in _raw(settings.store_dir, sql, (str(path),), settings.database_url)]


def assert_store_consistent(index: NewsIndex) -> dict[str, list[str]]:
    """Invariants a user relies on; returns {article_id: sorted chunk ids} of the store.

    No half-written article; no duplicate chunk id; every chunk has its keyword
    row and its vector and nothing else does; chunk indexes run 0..n-1; every
    chunk's text slices back out of its article.
    """
    rows = raw_rows(index.settings.store_dir, index.settings.database_url)
    assert set(rows["articles"].values()) <= {"complete"}, "a half-written article remained"
    chunk_ids = [c[0] for c in rows["chunks"]]
    assert len(chunk_ids) == len(set(chunk_ids)), "duplicate chunk ids in the catalog"
    keyword_ids = rows["keyword_chunk_ids"]
    assert sorted(keyword_ids) == sorted(chunk_ids), "keyword index disagrees with the catalog"
    vector_ids = index.store.ids()
    assert vector_ids == set(chunk_ids), (
        f"Chroma disagrees with the catalog: only in Chroma {sorted(vector_ids - set(chunk_ids))[:5]},"
        f" only in catalog {sorted(set(chunk_ids) - vector_ids)[:5]}"
    )
    assert index.store.count() == len(chunk_ids), "duplicate vectors in Chroma"
    by_article: dict[str, list[str]] = {}
    for chunk_id, article_id, _ in rows["chunks"]:
        assert article_id in rows["articles"], f"chunk {chunk_id} of an unknown article"
        by_article.setdefault(article_id, []).append(chunk_id)
    for article_id, ids in by_article.items():
        ids.sort(key=lambda c: int(c.rsplit(":", 1)[1]))
        assert ids == [f"{article_id}:{i}" for i in range(len(ids))], f"gaps in {article_id}"
        article = index.get_article(article_id)
        for stored in index.get_chunks(ids):
            assert stored.text == article.text[stored.chunk.start : stored.chunk.end]
    assert set(by_article) == set(rows["articles"]), "an article without chunks"
    stats = index.stats()
    assert stats["articles"] == len(rows["articles"]) and stats["chunks"] == len(chunk_ids)
    return by_article


def _most_central(members: list) -> str | None:
    """The story label by its definition: the headline of the member whose vector is
    closest on average to the others' (``members`` oldest first; ties and stories of
    one or two: the oldest). None for no members."""
    if len(members) <= 2:
        return members[0][0] if members else None
    vectors = np.stack([v for _, v in members])
    return members[int(np.argmax((vectors @ vectors.T).sum(axis=1)))][0]


def _links(a, b, settings: Settings) -> bool:
    """Whether two story members link by the joining rule of ``index.stories``."""
    near = (
        a.day is None
        or b.day is None
        or abs(dt.date.fromisoformat(a.day) - dt.date.fromisoformat(b.day)).days
        <= settings.story_window_days
    )
    sim, shared = float(a.vector @ b.vector), len(set(a.names) & set(b.names))
    return near and (
        sim >= settings.story_similarity
        or (sim >= settings.story_entity_similarity and shared >= settings.story_shared_names)
    )


def _chained(members: list, settings: Settings) -> bool:
    """Whether a chain of linking pairs joins every member to the first."""
    reached, todo = {0}, [0]
    while todo:
        i = todo.pop()
        for j, other in enumerate(members):
            if j not in reached and _links(members[i], other, settings):
                reached.add(j)
                todo.append(j)
    return len(reached) == len(members)


def assert_stories_consistent(index: NewsIndex) -> None:
    """Story invariants (``index.stories``): every stored article in exactly one story and
    no membership row left by a deleted or replaced one; no empty story; each story's
    dates, outlets and label are its current members' (the label its most central
    headline); the rule still chains each story's members together (a delete that
    broke the chain split it); ``story(id)`` reads the same."""
    rows = _raw(
        index.settings.store_dir,
        "SELECT s.article_id, a.state FROM story_members s LEFT JOIN articles a "
        "ON a.article_id = s.article_id",
        (),
        index.settings.database_url,
    )
    assert {state for _, state in rows} <= {"complete"}, "a story row outlived its article"
    stories = index.stories()
    vectors = {m.article_id: m for m in index.catalog.story_candidates(None)}
    members = [a for s in stories for a in s.article_ids]
    assert len(members) == len(set(members)), "an article in two stories"
    assert sorted(members) == sorted(a for a, _ in rows)
    assert len(members) == index.stats()["articles"], "an article without a story"
    for s in stories:
        assert s.article_ids, "an empty story"
        articles = [index.get_article(a) for a in s.article_ids]
        days = sorted(a.date[:10] for a in articles if a.date)
        assert (s.first_date, s.last_date) == ((days[0], days[-1]) if days else (None, None))
        assert set(s.outlets) == {o for a in articles for o in (a.source, *a.sources) if o}
        stored = [vectors[a] for a in s.article_ids]  # oldest first, as the label rule reads
        assert s.label == _most_central([(a.title, m.vector) for a, m in zip(articles, stored)])
        assert _chained(stored, index.settings), f"story {s.id} no longer links by its rule"
        assert index.story(s.id) == s
