"""The SQLite side of the store: articles, chunk rows, ingest state, meta.

Chroma holds only vectors; everything a citation needs (full article text,
offsets, outlets) lives here, in one file, so that a single SQLite transaction
can make an article's chunks searchable at once. Articles move ``pending`` →
``complete``; searches only ever see complete ones, and ``pending`` rows are what
crash recovery cleans up. The BM25 keyword index is a tantivy folder beside the
file (``index.keyword_index``) that this class alone writes; the
``keyword_backlog`` table names the articles whose keyword documents may lag the
catalog, in the same transaction that changes them. This module knows nothing
about embeddings or Chroma.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import Timeout

from index.catalog_base import CatalogBase, StoredVersion, record_copy, stored_chunks
from index.errors import StoreUnavailable
from index.filters import sql_condition
from index.keyword_index import KeywordDoc, KeywordIndex
from index.locking import open_lock, try_write_lock, write_lock
from index.models import Article, Chunk, SearchFilter, StoredChunk
from index.stories import Member, MemberRow, from_bytes, to_bytes
from index.story_links import LinkRule, regroup

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    path TEXT, url TEXT, title TEXT NOT NULL, date TEXT, source TEXT,
    sources TEXT NOT NULL DEFAULT '[]',      -- JSON list of every outlet
    author TEXT,
    extra TEXT NOT NULL DEFAULT '{}',        -- JSON object
    text TEXT NOT NULL,
    signature BLOB,                          -- near-duplicate (MinHash) signature
    state TEXT NOT NULL CHECK (state IN ('pending', 'complete'))
);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url);
CREATE INDEX IF NOT EXISTS articles_state ON articles(state);
CREATE TABLE IF NOT EXISTS chunks (
    rid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    sentences TEXT NOT NULL                  -- JSON [[start, end], ...] in article offsets
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS keyword_backlog (  -- articles whose keyword documents may be stale
    article_id TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS line_prints (     -- which articles of an outlet hold a line
    outlet TEXT NOT NULL,                    -- Article.source, '' when unknown
    print INTEGER NOT NULL,                  -- index.boilerplate.fingerprint of the line
    article_id TEXT NOT NULL,
    PRIMARY KEY (outlet, print, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS line_prints_article ON line_prints(article_id);
CREATE TABLE IF NOT EXISTS story_members (   -- each article's story thread (index.stories)
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    day TEXT,                                -- YYYY-MM-DD, NULL when undated
    vector BLOB NOT NULL,                    -- float32 unit-length article vector
    names TEXT NOT NULL DEFAULT '[]',        -- JSON list of index.entities keys
    label_rank INTEGER                       -- 0 = the story's label (index.story_links)
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);
CREATE INDEX IF NOT EXISTS story_members_day ON story_members(day);
"""

KEYWORDS_FOLDER = "keywords"
KEYWORD_FLUSH_ARTICLES = 64  # staged articles per keyword commit (a commit costs an fsync)
KEYWORD_FETCH_GROWTH = 8  # a filtered search widens its keyword fetch by this much a round
KEYWORD_FETCH_MAX = 600  # beyond this many hits, search only the articles the filter keeps


def _member(row: sqlite3.Row) -> Member:
    return Member(
        article_id=row["article_id"],
        story_id=row["story_id"],
        day=row["day"],
        vector=from_bytes(row["vector"]),
        names=tuple(json.loads(row["names"])),
    )


def _article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        article_id=row["article_id"],
        title=row["title"],
        text=row["text"],
        date=row["date"],
        source=row["source"],
        url=row["url"],
        author=row["author"],
        sources=tuple(json.loads(row["sources"])),
        path=row["path"],
        extra=json.loads(row["extra"]),
    )


class SqliteCatalog(CatalogBase):
    """One SQLite database (WAL mode) shared by ingest and readers of a store.

    ``rule`` is the story linking rule its writes keep stories to (``index.story_links``).
    """

    def __init__(self, path: Path, rule: LinkRule) -> None:
        self.path = path
        self.location = str(path.parent)
        self._rule = rule
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # subtle: two processes creating one store at once can see "database is
            # locked" at once, whatever the busy timeout (switching a new file to WAL
            # and the schema writes race); one at a time, each open takes milliseconds.
            with open_lock(path.parent):
                self._db = sqlite3.connect(
                    str(path), isolation_level=None, check_same_thread=False, timeout=30
                )
                self._db.row_factory = sqlite3.Row
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
                self._rank_old_stories()
        except (sqlite3.Error, Timeout, OSError) as exc:
            raise StoreUnavailable(
                f"cannot open the catalog {path}: {exc} — check that the folder is writable "
                f"and not on a network share, or point NEWSDESK_STORE_DIR elsewhere"
            ) from exc
        self._keywords = KeywordIndex(path.parent / KEYWORDS_FOLDER)
        self._staged: set[str] = set()  # article ids written to the keyword index, uncommitted
        self._outlets: tuple[tuple[int, int], list[str]] | None = None  # (version, names)
        self._restricted: tuple[tuple[int, int], list[tuple]] | None = None
        # (version, hidden ids, names): the last reader's visible outlets
        self._visible: tuple[tuple[int, int], frozenset[str], list[str]] | None = None

    def close(self) -> None:
        with self._lock:
            self._release_keywords()
            self._db.close()

    def _rank_old_stories(self) -> None:
        """Give a store written before stories kept their label ranks the column, and
        rank every story once (its one read of all member vectors)."""
        if self._has_label_rank():
            return
        with self._tx() as db:
            if self._has_label_rank():  # another process migrated it meanwhile
                return
            db.execute("ALTER TABLE story_members ADD COLUMN label_rank INTEGER")
            stories = [r[0] for r in db.execute("SELECT DISTINCT story_id FROM story_members")]
            self._restory(db, lost=set(), joined=set(stories))

    def _has_label_rank(self) -> bool:
        columns = self._db.execute("PRAGMA table_info(story_members)").fetchall()
        return any(c["name"] == "label_rank" for c in columns)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    @contextmanager
    def write_lock(self, timeout_s: float) -> Iterator[None]:
        # A lock file beside the catalog: works across processes on this machine.
        with write_lock(self.path.parent, timeout_s):
            self._catch_up_keywords()
            try:
                yield
            finally:
                self._release_keywords()

    def try_write_lock(self) -> Callable[[], None] | None:
        lock = try_write_lock(self.path.parent)
        if lock is None:
            return None
        try:
            self._catch_up_keywords()
        except BaseException:
            lock.release()
            raise

        def release() -> None:
            try:
                self._release_keywords()
            finally:
                lock.release()

        return release

    # --- the keyword index (callers hold the write lock) ------------------------------
    def _catch_up_keywords(self) -> None:
        """Bring the keyword index level with the catalog before this writer starts.

        A live writer commits its keyword writes before it lets the lock go, so what
        the backlog names here was left by a killed one. A store written before the
        keyword index moved out of SQLite (its FTS5 table), or whose keyword folder was
        deleted, has every article put in the backlog first.
        """
        with self._lock:
            old_fts = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'chunks_fts'"
            ).fetchone()
            lost = (
                self._keywords.count() == 0
                and self._db.execute(
                    "SELECT 1 FROM chunks c JOIN articles a USING (article_id) "
                    "WHERE a.state = 'complete' LIMIT 1"
                ).fetchone()
            )
            if old_fts or lost:
                with self._tx() as db:
                    db.execute(
                        "INSERT OR IGNORE INTO keyword_backlog SELECT article_id FROM articles"
                    )
                    db.execute("DROP TABLE IF EXISTS chunks_fts")
            backlog = [r[0] for r in self._db.execute("SELECT article_id FROM keyword_backlog")]
            for start in range(0, len(backlog), KEYWORD_FLUSH_ARTICLES):
                ids = backlog[start : start + KEYWORD_FLUSH_ARTICLES]
                self._stage(ids, self._keyword_docs(ids))
                self._flush_keywords()

    def _keyword_docs(self, article_ids: list[str]) -> list[KeywordDoc]:
        """The keyword documents of those of ``article_ids`` that are complete."""
        marks = ",".join("?" * len(article_ids))
        rows = self._db.execute(
            "SELECT c.chunk_id, c.article_id, c.start_char, c.end_char, a.title, a.text "
            f"FROM chunks c JOIN articles a USING (article_id) WHERE c.article_id IN ({marks}) "
            "AND a.state = 'complete'",
            article_ids,
        ).fetchall()
        return [
            (r["chunk_id"], r["article_id"], r["title"], r["text"][r["start_char"] : r["end_char"]])
            for r in rows
        ]

    def _stage(self, article_ids: list[str], docs: list[KeywordDoc]) -> None:
        """Replace the articles' keyword documents (already in the backlog, committed)."""
        with self._lock:
            self._keywords.replace(article_ids, docs)
            self._staged.update(article_ids)
            if len(self._staged) >= KEYWORD_FLUSH_ARTICLES:
                self._flush_keywords()

    def _flush_keywords(self) -> None:
        """Commit staged keyword writes, then strike their articles off the backlog."""
        with self._lock:
            if not self._staged:
                return
            self._keywords.commit()
            done, self._staged = list(self._staged), set()
            with self._tx() as db:
                db.executemany(
                    "DELETE FROM keyword_backlog WHERE article_id = ?", [(i,) for i in done]
                )

    def _release_keywords(self) -> None:
        """Commit and free the keyword writer as the write lock goes: the next writer
        may be another process. A failed commit leaves the backlog for that writer."""
        with self._lock:
            try:
                self._flush_keywords()
                self._keywords.close_writer()
            except BaseException:
                self._staged = set()
                self._keywords.discard()
                raise

    def data_version(self) -> int:
        return int(self._query("PRAGMA data_version")[0][0])

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None

    def set_meta(self, values: dict[str, str]) -> None:
        with self._tx() as db:
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    # --- what is stored -------------------------------------------------------
    def stored_version(self, article_id: str) -> StoredVersion | None:
        """Hash and location of a complete article, or None if it is not stored."""
        rows = self._query(
            "SELECT content_hash, path, url FROM articles "
            "WHERE article_id = ? AND state = 'complete'",
            (article_id,),
        )
        return StoredVersion(*rows[0]) if rows else None

    def ids_at(self, path: str | None, url: str | None) -> list[str]:
        """Complete articles read from ``path`` or published at ``url``."""
        rows = self._query(
            "SELECT article_id FROM articles WHERE state = 'complete' AND "
            "((? IS NOT NULL AND path = ?) OR (? IS NOT NULL AND url = ?))",
            (path, path, url, url),
        )
        return [r["article_id"] for r in rows]

    def resolve(self, refs: Iterable[str]) -> list[str]:
        """Article ids matching an article id, a url, a path, or a file holding several
        articles (JSON/JSONL records are stored as ``file#...``); any state."""
        found: dict[str, None] = {}
        for ref in refs:
            rows = self._query(
                "SELECT article_id FROM articles WHERE article_id = ?1 OR url = ?1 OR path = ?1 "
                "OR substr(path, 1, length(?1) + 1) = ?1 || '#'",
                (ref,),
            )
            found.update((r["article_id"], None) for r in rows)
        return list(found)

    def pending_ids(self) -> list[str]:
        return [
            r["article_id"]
            for r in self._query("SELECT article_id FROM articles WHERE state = 'pending'")
        ]

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(article_id, near-duplicate signature) of every complete article."""
        rows = self._query(
            "SELECT article_id, signature FROM articles "
            "WHERE state = 'complete' AND signature IS NOT NULL"
        )
        return ((r["article_id"], bytes(r["signature"])) for r in rows)

    # --- writes (callers hold the store's write lock) ---------------------------
    def mark_pending(self, rows: list[tuple[Article, str, bytes | None]], also: list[str]) -> None:
        """Record articles about to be written, and flag articles they replace.

        ``rows`` are ``(article, content_hash, signature)``; ``also`` are ids of
        stored articles that will be removed. All become invisible to searches
        and are removed by ``recover`` if the process dies before ``complete``.
        """
        with self._tx() as db:
            db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?, 'pending')",
                [
                    (
                        a.article_id,
                        h,
                        a.path,
                        a.url,
                        a.title,
                        a.date,
                        a.source,
                        json.dumps(list(a.sources)),
                        a.author,
                        json.dumps(a.extra),
                        a.text,
                        sig,
                    )
                    for a, h, sig in rows
                ],
            )
            db.executemany(
                "UPDATE articles SET state = 'pending' WHERE article_id = ?", [(i,) for i in also]
            )

    def complete(
        self,
        article: Article,
        chunks: list[Chunk],
        replaces: list[str] = (),
        prints: Iterable[int] = (),
        story: Member | None = None,
    ) -> int:
        """In one transaction: write the article's chunk rows, its line ``prints`` and
        its ``story`` membership, drop the versions it ``replaces``, mark it complete;
        then stage its keyword documents. Returns the chunk rows removed."""
        touched = [article.article_id, *replaces]
        with self._tx() as db:
            db.executemany(
                "INSERT OR IGNORE INTO keyword_backlog VALUES (?)", [(i,) for i in touched]
            )
            lost = self._stories_of(db, touched)
            removed = self._delete_chunk_rows(db, touched)
            if story is not None:
                self._write_member(db, story)
            self._restory(db, lost, {story.story_id} if story is not None else set())
            db.executemany("DELETE FROM articles WHERE article_id = ?", [(i,) for i in replaces])
            db.executemany(
                "INSERT OR IGNORE INTO line_prints VALUES (?, ?, ?)",
                [(article.source or "", p, article.article_id) for p in prints],
            )
            db.executemany(
                "INSERT INTO chunks (chunk_id, article_id, idx, start_char, end_char, sentences)"
                " VALUES (?,?,?,?,?,?)",
                [
                    (
                        c.chunk_id,
                        c.article_id,
                        c.index,
                        c.start,
                        c.end,
                        json.dumps([list(s) for s in c.sentences]),
                    )
                    for c in chunks
                ],
            )
            db.execute(
                "UPDATE articles SET state = 'complete' WHERE article_id = ?", (article.article_id,)
            )
        self._stage(
            touched,
            [
                (c.chunk_id, article.article_id, article.title, article.text[c.start : c.end])
                for c in chunks
            ],
        )
        return removed

    def remove(self, article_ids: list[str]) -> int:
        """Delete articles with their chunk and keyword rows; returns chunk rows removed.
        Their stories are split where the removed articles were the only link."""
        with self._tx() as db:
            db.executemany(
                "INSERT OR IGNORE INTO keyword_backlog VALUES (?)", [(i,) for i in article_ids]
            )
            lost = self._stories_of(db, article_ids)
            removed = self._delete_chunk_rows(db, article_ids)
            self._restory(db, lost, set())
            db.executemany("DELETE FROM articles WHERE article_id = ?", [(i,) for i in article_ids])
        self._stage(list(article_ids), [])
        return removed

    @staticmethod
    def _delete_chunk_rows(db: sqlite3.Connection, article_ids: list[str]) -> int:
        """Remove the articles' chunk, story and line-print rows; returns chunk rows removed."""
        removed = 0
        for aid in article_ids:
            db.execute("DELETE FROM line_prints WHERE article_id = ?", (aid,))
            db.execute("DELETE FROM story_members WHERE article_id = ?", (aid,))
            removed += db.execute("DELETE FROM chunks WHERE article_id = ?", (aid,)).rowcount
        return removed

    @staticmethod
    def _write_member(db: sqlite3.Connection, m: Member) -> None:
        # label_rank is left to _restory, in the same transaction
        db.execute(
            "INSERT OR REPLACE INTO story_members (article_id, story_id, day, vector, names) "
            "VALUES (?, ?, ?, ?, ?)",
            (m.article_id, m.story_id, m.day, to_bytes(m.vector), json.dumps(list(m.names))),
        )

    @staticmethod
    def _stories_of(db: sqlite3.Connection, article_ids: list[str]) -> set[str]:
        marks = ",".join("?" * len(article_ids))
        rows = db.execute(
            f"SELECT DISTINCT story_id FROM story_members WHERE article_id IN ({marks})",
            article_ids,
        ).fetchall()
        return {r["story_id"] for r in rows}

    def _restory(self, db: sqlite3.Connection, lost: set[str], joined: set[str]) -> None:
        """Re-rank the stories that ``lost`` or ``joined`` a member, from their members'
        vectors, and split the ones that lost one where the rest no longer link."""
        for story_id in lost | joined:
            rows = db.execute("SELECT * FROM story_members WHERE story_id = ?", (story_id,))
            placed = regroup(story_id, [_member(r) for r in rows], self._rule, story_id in lost)
            db.executemany(
                "UPDATE story_members SET story_id = ?, label_rank = ? WHERE article_id = ?",
                [(p.story_id, p.label_rank, p.article_id) for p in placed],
            )

    def add_syndicated_copy(self, kept_id: str, copy: Article) -> bool:
        """Record ``copy`` (a near-duplicate) on the kept article; False if already recorded."""
        with self._tx() as db:
            row = db.execute(
                "SELECT sources, extra FROM articles WHERE article_id = ?", (kept_id,)
            ).fetchone()
            sources, extra = json.loads(row["sources"]), json.loads(row["extra"])
            if not record_copy(sources, extra, copy):
                return False
            db.execute(
                "UPDATE articles SET sources = ?, extra = ? WHERE article_id = ?",
                (json.dumps(sources), json.dumps(extra), kept_id),
            )
        return True

    # --- line fingerprints (index.boilerplate) ---------------------------------
    def line_counts(
        self, outlet: str, prints: Iterable[int], besides: Iterable[str] = ()
    ) -> dict[int, int]:
        """How many stored articles of ``outlet`` hold each line fingerprint, not
        counting the articles ``besides`` (versions about to be replaced)."""
        prints, besides = list(prints), list(besides)
        counts: dict[int, int] = {}
        for i in range(0, len(prints), 500):  # under SQLite's bound-parameter limit
            part = prints[i : i + 500]
            rows = self._query(
                f"SELECT print, COUNT(*) AS n FROM line_prints WHERE outlet = ? "
                f"AND print IN ({','.join('?' * len(part))}) "
                f"AND article_id NOT IN ({','.join('?' * len(besides))}) GROUP BY print",
                [outlet, *part, *besides],
            )
            counts.update((r["print"], r["n"]) for r in rows)
        return counts

    def articles_with_lines(self, outlet: str, prints: Iterable[int]) -> list[str]:
        """Complete articles of ``outlet`` that hold any of the line fingerprints."""
        prints = list(prints)
        found: dict[str, None] = {}
        for i in range(0, len(prints), 500):
            part = prints[i : i + 500]
            rows = self._query(
                "SELECT DISTINCT l.article_id FROM line_prints l JOIN articles a "
                "USING (article_id) WHERE a.state = 'complete' AND l.outlet = ? "
                f"AND l.print IN ({','.join('?' * len(part))})",
                [outlet, *part],
            )
            found.update((r["article_id"], None) for r in rows)
        return list(found)

    def chunk_spans(self, article_id: str) -> list[tuple[int, int]]:
        """(start, end) of the article's stored chunks, in order."""
        rows = self._query(
            "SELECT start_char, end_char FROM chunks WHERE article_id = ? ORDER BY idx",
            (article_id,),
        )
        return [(r["start_char"], r["end_char"]) for r in rows]

    def recent_headlines(self, limit: int) -> list[tuple[str, str, str | None, str | None]]:
        """(article_id, title, date, source) of the newest complete articles, undated last."""
        rows = self._query(
            "SELECT article_id, title, date, source FROM articles WHERE state = 'complete' "
            "ORDER BY date IS NULL, date DESC, rowid DESC LIMIT ?",
            (limit,),
        )
        return [(r["article_id"], r["title"], r["date"], r["source"]) for r in rows]

    # --- stories (index.stories) ---------------------------------------------
    def story_candidates(
        self, span: tuple[str, str] | None, exclude: Iterable[str] = ()
    ) -> list[Member]:
        exclude = list(exclude)
        cond, params = "", []
        if span is not None:
            cond, params = " AND s.day BETWEEN ? AND ?", list(span)
        if exclude:
            cond += f" AND s.article_id NOT IN ({','.join('?' * len(exclude))})"
        rows = self._query(
            "SELECT s.* FROM story_members s JOIN articles a USING (article_id) "
            f"WHERE a.state = 'complete'{cond}",
            [*params, *exclude],
        )
        return [_member(r) for r in rows]

    def story_member(self, article_id: str) -> Member | None:
        rows = self._query("SELECT * FROM story_members WHERE article_id = ?", (article_id,))
        return _member(rows[0]) if rows else None

    def set_story(self, member: Member) -> None:
        with self._tx() as db:
            lost = self._stories_of(db, [member.article_id])
            self._write_member(db, member)
            self._restory(db, lost, {member.story_id})

    def unassigned_ids(self) -> list[str]:
        rows = self._query(
            "SELECT a.article_id FROM articles a LEFT JOIN story_members s USING (article_id) "
            "WHERE a.state = 'complete' AND s.article_id IS NULL "
            "ORDER BY a.date IS NULL, a.date, a.rowid"
        )
        return [r["article_id"] for r in rows]

    def story_rows(self, story_id: str | None = None) -> list[MemberRow]:
        cond, params = ("AND s.story_id = ?", [story_id]) if story_id is not None else ("", [])
        rows = self._query(
            "SELECT s.article_id, s.story_id, s.day, s.label_rank, a.title, a.source, a.sources "
            "FROM story_members s JOIN articles a USING (article_id) "
            f"WHERE a.state = 'complete' {cond}",
            params,
        )
        return [
            MemberRow(
                article_id=r["article_id"],
                story_id=r["story_id"],
                title=r["title"],
                day=r["day"],
                outlets=(r["source"], *json.loads(r["sources"])),
                label_rank=r["label_rank"],
            )
            for r in rows
        ]

    # --- reads for search -----------------------------------------------------
    def get_article(self, article_id: str) -> Article | None:
        rows = self._query(
            "SELECT * FROM articles WHERE article_id = ? AND state = 'complete'", (article_id,)
        )
        return _article_from_row(rows[0]) if rows else None

    def get_chunks(self, chunk_ids: list[str]) -> list[StoredChunk]:
        """Stored chunks of complete articles, in the order asked; unknown ids skipped."""
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        # Chunk-first join order, as in ``searchable`` (50 ms -> 1 ms at 100k chunks)
        rows = self._query(
            "SELECT c.*, a.title, a.text AS atext, a.date, a.source, a.url, a.sources, "
            "s.story_id FROM chunks c CROSS JOIN articles a ON a.article_id = c.article_id "
            "LEFT JOIN story_members s ON s.article_id = c.article_id "
            f"WHERE c.chunk_id IN ({marks}) AND a.state = 'complete'",
            chunk_ids,
        )
        return stored_chunks(
            chunk_ids, rows, lambda r: r["atext"][r["start_char"] : r["end_char"]], json.loads
        )

    def searchable(self, chunk_ids: list[str], flt: SearchFilter | None) -> set[str]:
        """The subset of ``chunk_ids`` whose article is complete and passes ``flt``."""
        if not chunk_ids:
            return set()
        cond, params = sql_condition(flt)
        marks = ",".join("?" * len(chunk_ids))
        # CROSS JOIN keeps SQLite's join order: look up the few chunks first, then their
        # articles. Left free, the planner walks every complete article (50 ms at 100k chunks).
        rows = self._query(
            f"SELECT c.chunk_id FROM chunks c CROSS JOIN articles a ON a.article_id = c.article_id "
            f"WHERE c.chunk_id IN ({marks}) AND {cond}",
            [*chunk_ids, *params],
        )
        return {r["chunk_id"] for r in rows}

    def matching_article_ids(self, flt: SearchFilter) -> tuple[str, ...]:
        cond, params = sql_condition(flt)
        return tuple(
            r["article_id"]
            for r in self._query(f"SELECT a.article_id FROM articles a WHERE {cond}", params)
        )

    def keyword_search(
        self, query: str, k: int, flt: SearchFilter | None
    ) -> list[tuple[str, float]]:
        """BM25 over chunk text and title; (chunk_id, score) with higher = better.

        The keyword index ranks first; the catalog then keeps the hits whose article is
        complete and passes ``flt``. A filter may reject most of the best hits, so the
        fetch widens a few times, and past ``KEYWORD_FETCH_MAX`` hits the keyword index
        searches only the articles the filter keeps (few, if it rejected so many).
        """
        if k <= 0:
            return []
        self._flush_keywords()  # this process's own staged writes are read back at once
        fetch = 2 * k + 10
        while True:
            hits = self._keywords.search(query, fetch)
            kept = self._kept(hits, flt, k)
            if len(kept) >= k or len(hits) < fetch:
                return kept
            if fetch >= KEYWORD_FETCH_MAX:
                break
            fetch = min(fetch * KEYWORD_FETCH_GROWTH, KEYWORD_FETCH_MAX)
        allowed = self.matching_article_ids(flt or SearchFilter())
        return self._kept(self._keywords.search(query, 2 * k + 10, allowed), flt, k)

    def _kept(
        self, hits: list[tuple[str, float]], flt: SearchFilter | None, k: int
    ) -> list[tuple[str, float]]:
        ok = self.searchable(list(dict.fromkeys(c for c, _ in hits)), flt)
        kept: dict[str, float] = {}
        for chunk_id, score in hits:
            if chunk_id in ok and chunk_id not in kept:
                kept[chunk_id] = score
        return list(kept.items())[:k]

    # --- browsing -------------------------------------------------------------
    def list_articles(
        self, title: str, flt: SearchFilter | None, limit: int, offset: int
    ) -> tuple[int, list[Article]]:
        """(how many match, one page of them): complete articles whose title holds every
        word of ``title`` (case-insensitive) and that pass ``flt``; newest first, undated last.
        """
        cond, params = sql_condition(flt)
        for word in title.split():
            # subtle: LIKE wildcards in the reader's words are matched literally.
            cond += " AND a.title LIKE ? ESCAPE '\\'"
            params.append("%" + re.sub(r"([\\%_])", r"\\\1", word) + "%")
        total = self._query(f"SELECT COUNT(*) AS n FROM articles a WHERE {cond}", params)[0]["n"]
        rows = self._query(
            f"SELECT * FROM articles a WHERE {cond} "
            "ORDER BY a.date IS NULL, a.date DESC, a.title LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, [_article_from_row(r) for r in rows]

    # --- stats ----------------------------------------------------------------
    def stats(self, exclude: Iterable[str] = ()) -> dict[str, Any]:
        """Counts, date range and outlets of complete articles, ``exclude`` left out."""
        exclude = list(exclude)
        cond = f" AND a.article_id NOT IN ({','.join('?' * len(exclude))})" if exclude else ""
        row = self._query(
            "SELECT COUNT(*) AS n, MIN(date) AS dmin, MAX(date) AS dmax "
            f"FROM articles a WHERE state = 'complete'{cond}",
            exclude,
        )[0]
        chunks = self._query(
            "SELECT COUNT(*) AS n FROM chunks c JOIN articles a USING (article_id) "
            f"WHERE a.state = 'complete'{cond}",
            exclude,
        )[0]["n"]
        return {
            "articles": row["n"],
            "chunks": chunks,
            "date_min": row["dmin"],
            "date_max": row["dmax"],
            "sources": self.visible_outlets(exclude),
        }

    def restricted(self) -> list[tuple[str, str | None, str | None]]:
        """``(article_id, desk, embargo_until)`` of every complete article with either.

        Every search asks for it, so like ``outlets`` it is kept until a write lands;
        a store without desks or embargoes answers an empty list and costs searches nothing.
        """
        with self._lock:
            version = (self.data_version(), self._db.total_changes)
            if self._restricted is None or self._restricted[0] != version:
                rows = self._query(
                    "SELECT article_id, json_extract(extra, '$.desk') AS desk, "
                    "json_extract(extra, '$.embargo_until') AS embargo FROM articles "
                    "WHERE state = 'complete' AND (json_extract(extra, '$.desk') IS NOT NULL "
                    "OR json_extract(extra, '$.embargo_until') IS NOT NULL)"
                )
                self._restricted = (
                    version,
                    [(r["article_id"], r["desk"], r["embargo"]) for r in rows],
                )
            return list(self._restricted[1])

    def outlets(self) -> list[str]:
        """Every outlet name of a complete article (its own and its syndicated copies'), sorted.

        Both searches of a source-filtered question ask for it, and the scan of every
        article's outlets costs ~20 ms per 2,400 articles; so the list is kept until a
        write, ours (``total_changes``) or another process's (``data_version``), lands.
        """
        with self._lock:
            version = (self.data_version(), self._db.total_changes)
            if self._outlets is None or self._outlets[0] != version:
                self._outlets = (version, self._read_outlets([]))
            return list(self._outlets[1])

    def visible_outlets(self, hidden: Iterable[str]) -> list[str]:
        """``outlets()`` of the complete articles not in ``hidden``, sorted; no ids hidden
        = the kept ``outlets()`` list, at no cost. The last answer is kept until a write
        lands or another set of ids is asked about (both searches of a question ask)."""
        hidden = frozenset(hidden)
        if not hidden:
            return self.outlets()
        with self._lock:
            version = (self.data_version(), self._db.total_changes)
            if self._visible is None or self._visible[:2] != (version, hidden):
                self._visible = (version, hidden, self._read_outlets(sorted(hidden)))
            return list(self._visible[2])

    def _read_outlets(self, hidden: list[str]) -> list[str]:
        """Every outlet name of the complete articles not in ``hidden``, sorted."""
        cond = f" AND a.article_id NOT IN ({','.join('?' * len(hidden))})" if hidden else ""
        rows = self._query(
            "SELECT DISTINCT j.value AS s FROM articles a, json_each(a.sources) j "
            f"WHERE a.state = 'complete'{cond} UNION SELECT source FROM articles a "
            f"WHERE state = 'complete' AND source IS NOT NULL{cond} ORDER BY 1",
            hidden + hidden,
        )
        return [r["s"] for r in rows]

    def refresh_statistics(self) -> None:
        with self._lock:
            self._db.execute("PRAGMA optimize")

    def counts(self) -> dict[str, int]:
        """Raw row counts (all states), for consistency checks."""
        return {
            "articles": self._query("SELECT COUNT(*) AS n FROM articles")[0]["n"],
            "chunks": self._query("SELECT COUNT(*) AS n FROM chunks")[0]["n"],
            "fts": self._keyword_count(),
        }

    def _keyword_count(self) -> int:
        self._flush_keywords()
        return self._keywords.count()

    def chunk_ids(self) -> set[str]:
        return {r["chunk_id"] for r in self._query("SELECT chunk_id FROM chunks")}
