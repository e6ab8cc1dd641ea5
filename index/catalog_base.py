"""What a catalog backend must do, and the factory that picks one from settings.

The catalog holds everything but vectors: articles (full text, metadata,
ingest state), chunk rows with their offsets, the keyword index and the write
lock. Two backends implement it: ``SqliteCatalog`` (``index/catalog.py``, one
file in ``NEWSDESK_STORE_DIR``, the embedded default) and ``PostgresCatalog``
(``index/pg_catalog.py``, a shared server when ``NEWSDESK_DATABASE_URL`` is set).
Both keep the same guarantees: an article moves ``pending`` → ``complete`` in
one transaction, searches see complete articles only, and one writer at a time
holds the lock.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from index.errors import ConfigError
from index.models import Article, Chunk, SearchFilter, StoredChunk
from index.settings import Settings
from index.stories import Member, MemberRow

CATALOG_NAME = "catalog.sqlite3"


class StoredVersion(NamedTuple):
    """What ingest compares a new copy of an article against."""

    content_hash: str
    path: str | None
    url: str | None


class CatalogBase(ABC):
    """Articles, chunk rows, keyword index, meta and the write lock of one archive."""

    #: Where the catalog lives, for messages (a file path or a redacted URL).
    location: str

    @abstractmethod
    def close(self) -> None: ...

    # --- coordination -------------------------------------------------------------
    @abstractmethod
    def write_lock(self, timeout_s: float) -> AbstractContextManager[None]:
        """Hold the archive's write lock (one ingest or delete at a time, in any process).

        Raises:
            IndexBusy: another writer kept it for longer than ``timeout_s``.
        """

    @abstractmethod
    def try_write_lock(self) -> Callable[[], None] | None:
        """Take the write lock only if it is free now; returns its release function."""

    @abstractmethod
    def data_version(self) -> int:
        """Changes whenever another connection (e.g. another process) commits a write."""

    # --- meta ---------------------------------------------------------------------
    @abstractmethod
    def get_meta(self, key: str) -> str | None: ...

    @abstractmethod
    def set_meta(self, values: dict[str, str]) -> None: ...

    # --- what is stored -----------------------------------------------------------
    @abstractmethod
    def stored_version(self, article_id: str) -> StoredVersion | None:
        """Hash and location of a complete article, or None if it is not stored."""

    @abstractmethod
    def ids_at(self, path: str | None, url: str | None) -> list[str]:
        """Complete articles read from ``path`` or published at ``url``."""

    @abstractmethod
    def resolve(self, refs: Iterable[str]) -> list[str]:
        """Article ids matching an id, a url, a path, or a file of several records
        (stored as ``file#...``); any state."""

    @abstractmethod
    def pending_ids(self) -> list[str]: ...

    @abstractmethod
    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(article_id, near-duplicate signature) of every complete article."""

    # --- writes (callers hold the write lock) -------------------------------------
    @abstractmethod
    def mark_pending(self, rows: list[tuple[Article, str, bytes | None]], also: list[str]) -> None:
        """Record ``(article, content_hash, signature)`` rows about to be written and flag
        the stored articles ``also`` that they replace: all invisible to searches until
        ``complete``, and removed by crash recovery if the writer dies first."""

    @abstractmethod
    def complete(
        self,
        article: Article,
        chunks: list[Chunk],
        replaces: list[str] = (),
        prints: Iterable[int] = (),
        story: Member | None = None,
    ) -> int:
        """In one transaction: write the chunk and keyword rows, the article's line
        ``prints`` (``index.boilerplate``) and its ``story`` membership (``index.stories``),
        drop the versions it ``replaces``, mark the article complete. Every story that
        gained or lost a member is re-ranked, and one that lost a member (a replaced
        version, or this article's earlier membership) is split where its members no
        longer link (``index.story_links.regroup``). Returns the chunk rows removed."""

    @abstractmethod
    def remove(self, article_ids: list[str]) -> int:
        """Delete articles with their chunk and keyword rows, re-ranking their stories and
        splitting them where the rest no longer link; returns chunk rows removed."""

    @abstractmethod
    def add_syndicated_copy(self, kept_id: str, copy: Article) -> bool:
        """Record ``copy`` (a near-duplicate) on the kept article; False if already there."""

    # --- line fingerprints (index.boilerplate) --------------------------------------
    @abstractmethod
    def line_counts(
        self, outlet: str, prints: Iterable[int], besides: Iterable[str] = ()
    ) -> dict[int, int]:
        """How many stored articles of ``outlet`` hold each line fingerprint, not
        counting the articles ``besides`` (versions about to be replaced)."""

    @abstractmethod
    def articles_with_lines(self, outlet: str, prints: Iterable[int]) -> list[str]:
        """Complete articles of ``outlet`` that hold any of the line fingerprints."""

    @abstractmethod
    def chunk_spans(self, article_id: str) -> list[tuple[int, int]]:
        """(start, end) of the article's stored chunks, in order."""

    # --- stories (index.stories) ------------------------------------------------------
    @abstractmethod
    def story_candidates(
        self, span: tuple[str, str] | None, exclude: Iterable[str] = ()
    ) -> list[Member]:
        """Story members of complete articles dated within ``span`` (first, last day,
        inclusive; None = every member), the articles ``exclude`` left out."""

    @abstractmethod
    def story_member(self, article_id: str) -> Member | None:
        """The stored membership of one article, whatever its state."""

    @abstractmethod
    def set_story(self, member: Member) -> None:
        """Record the story of an already complete article (placing older archives),
        re-ranking that story (and splitting the one it leaves, if it had one)."""

    @abstractmethod
    def unassigned_ids(self) -> list[str]:
        """Complete articles without a story, oldest first, undated last."""

    @abstractmethod
    def story_rows(self, story_id: str | None = None) -> list[MemberRow]:
        """Members of complete articles with their titles, outlets and label ranks (no
        vectors: a listing never reads them); of one story when ``story_id`` is given."""

    # --- reads for search -----------------------------------------------------------
    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def get_chunks(self, chunk_ids: list[str]) -> list[StoredChunk]:
        """Stored chunks of complete articles, in the order asked; unknown ids skipped."""

    @abstractmethod
    def searchable(self, chunk_ids: list[str], flt: SearchFilter | None) -> set[str]:
        """The subset of ``chunk_ids`` whose article is complete and passes ``flt``."""

    @abstractmethod
    def matching_article_ids(self, flt: SearchFilter) -> tuple[str, ...]: ...

    @abstractmethod
    def keyword_search(
        self, query: str, k: int, flt: SearchFilter | None
    ) -> list[tuple[str, float]]:
        """BM25-style ranking over chunk text and title; (chunk_id, score), higher better."""

    # --- browsing -------------------------------------------------------------------
    @abstractmethod
    def recent_headlines(self, limit: int) -> list[tuple[str, str, str | None, str | None]]:
        """(article_id, title, date, source) of the newest complete articles, undated last."""

    @abstractmethod
    def list_articles(
        self, title: str, flt: SearchFilter | None, limit: int, offset: int
    ) -> tuple[int, list[Article]]:
        """(how many match, one page of them): complete articles whose title holds every
        word of ``title`` (any case) and that pass ``flt``; newest first, undated last."""

    # --- access and stats -------------------------------------------------------------
    @abstractmethod
    def restricted(self) -> list[tuple[str, str | None, str | None]]:
        """``(article_id, desk, embargo_until)`` of every complete article with either
        (kept until a write lands: every search asks for it)."""

    @abstractmethod
    def stats(self, exclude: Iterable[str] = ()) -> dict[str, Any]:
        """Complete articles and chunks, date range and outlets, ``exclude`` left out."""

    @abstractmethod
    def outlets(self) -> list[str]:
        """Every outlet name of a complete article (own and syndicated copies'), sorted."""

    @abstractmethod
    def visible_outlets(self, hidden: Iterable[str]) -> list[str]:
        """``outlets()`` of the complete articles whose ids are not in ``hidden`` (what
        one reader may see), sorted; an empty ``hidden`` answers ``outlets()``' kept list."""

    @abstractmethod
    def refresh_statistics(self) -> None:
        """Bring the query planner's statistics up to date after a bulk load (a migration,
        a scale build): a search planned on none reads every row it scores."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Raw row counts in every state (articles, chunks, keyword rows), for checks."""

    @abstractmethod
    def chunk_ids(self) -> set[str]: ...


def record_copy(sources: list[str], extra: dict[str, Any], copy: Article) -> bool:
    """Note a syndicated ``copy`` on its kept article's ``extra`` and add its outlet to
    ``sources`` (both changed in place); False when it was recorded already."""
    copies = extra.setdefault("syndicated_copies", [])
    entry = {"source": copy.source, "url": copy.url, "path": copy.path}
    if entry in copies:
        return False
    copies.append(entry)
    outlet = copy.source or copy.url
    if outlet and outlet not in sources:
        sources.append(outlet)
    return True


def stored_chunks(
    chunk_ids: list[str], rows: Iterable[Any], text: Callable[[Any], str], decode: Callable
) -> list[StoredChunk]:
    """Chunk rows joined with their article's metadata, as ``StoredChunk``s in the order
    of ``chunk_ids`` (unknown ids skipped). ``text(row)`` is the chunk's text and
    ``decode`` reads a JSON column (SQLite stores text, PostgreSQL returns it parsed)."""
    by_id = {r["chunk_id"]: r for r in rows}
    out = []
    for cid in chunk_ids:
        r = by_id.get(cid)
        if r is None:
            continue
        chunk = Chunk(
            chunk_id=cid,
            article_id=r["article_id"],
            index=r["idx"],
            start=r["start_char"],
            end=r["end_char"],
            sentences=tuple(tuple(s) for s in decode(r["sentences"])),
        )
        out.append(
            StoredChunk(
                chunk=chunk,
                text=text(r),
                title=r["title"],
                date=r["date"],
                source=r["source"],
                url=r["url"],
                sources=tuple(decode(r["sources"])),
                story_id=r["story_id"],
            )
        )
    return out


def check_mode(settings: Settings) -> None:
    """Refuse half a server: a shared Chroma with a local catalog (or the reverse)
    cannot be shared by a second machine, and would silently split the archive."""
    if bool(settings.chroma_url) != bool(settings.database_url):
        have, missing = (
            ("NEWSDESK_CHROMA_URL", "NEWSDESK_DATABASE_URL")
            if settings.chroma_url
            else ("NEWSDESK_DATABASE_URL", "NEWSDESK_CHROMA_URL")
        )
        raise ConfigError(
            f"{have} is set but {missing} is not: server mode needs both (a PostgreSQL "
            f"catalog and a Chroma server) so that no state stays in a local folder — set "
            f"{missing} (`newsdesk services up` prints both), or unset {have} to use the "
            f"embedded store in NEWSDESK_STORE_DIR"
        )


def open_catalog(settings: Settings) -> CatalogBase:
    """The catalog backend ``settings`` name: PostgreSQL in server mode, else SQLite."""
    check_mode(settings)
    if settings.database_url:
        from index.pg_catalog import PostgresCatalog

        return PostgresCatalog(settings)
    from index.catalog import SqliteCatalog
    from index.story_links import LinkRule

    return SqliteCatalog(settings.store_dir / CATALOG_NAME, LinkRule.of(settings))
