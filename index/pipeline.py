"""The incremental, crash-safe ingest: articles in, searchable chunks out.

For each article: skip it if its content hash is already stored; fold it into
the kept copy if it is a syndicated near-duplicate; otherwise chunk it and
queue it. Queued articles are embedded together (one ``encode`` over many
articles' chunks is what makes ingestion fast) and then committed one by one:

1. catalog rows marked ``pending`` (committed) — the article, and any older
   version it replaces, become invisible to searches;
2. vectors upserted into Chroma under deterministic ids;
3. one SQLite transaction inserts chunk + FTS rows, drops replaced versions
   and marks the article ``complete``.

A crash anywhere leaves only ``pending`` rows behind, which ``recover`` wipes
(from Chroma and SQLite) before the next ingest redoes those articles. Callers
hold the store's write lock; this module does not take it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from index.catalog_base import CatalogBase
from index.chroma_store import ChromaStore
from index.chunking import chunk_article
from index.dedup import DuplicateFinder
from index.embedding import Embedder, embedding_text
from index.errors import LimitExceeded
from index.filters import chunk_metadata
from index.ids import content_hash
from index.loading import iter_articles
from index.models import Article, Chunk, IngestError, IngestReport
from index.settings import Settings

Progress = Callable[[int, int], None]  # (articles done, articles total)


def recover(catalog: CatalogBase, store: ChromaStore) -> int:
    """Remove every half-written (``pending``) article from Chroma and SQLite.

    Returns the number of articles removed; the next ingest writes them again.
    """
    pending = catalog.pending_ids()
    if pending:
        store.delete_articles(pending)
        catalog.remove(pending)
    return len(pending)


@dataclass
class _Queued:
    article: Article
    content_hash: str
    signature: bytes
    chunks: list[Chunk]
    replaces: list[str]  # ids of stored versions this article supersedes
    is_update: bool


class Ingestor:
    """One ingest run over a catalog, a Chroma store and an embedder."""

    def __init__(
        self, settings: Settings, catalog: CatalogBase, store: ChromaStore, embedder: Embedder
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.embedder = embedder
        self.report = IngestReport()
        self._finder = DuplicateFinder(settings.dedup_threshold)
        self._queue: list[_Queued] = []
        self._seen: set[str] = set()  # article ids stored or kept by this run
        self._done = 0
        self._total = 0
        self._progress: Progress | None = None

    def run(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestReport:
        started = time.perf_counter()
        self._progress = progress
        for article_id, signature in self.catalog.signatures():
            self._finder.add(article_id, signature)
        max_bytes = int(self.settings.max_file_mb * 1024 * 1024)
        # Materialised so that progress can show a total; articles are small.
        items = list(iter_articles([Path(p) for p in paths], max_bytes))
        self._check_file_count(items)
        self._total = sum(isinstance(i, Article) for i in items)
        self._tick(0)
        for item in items:
            if isinstance(item, IngestError):
                self.report.errors.append(item)
                continue
            self.report.bytes_read += len(item.text.encode("utf-8"))
            self._consider(item)
        self._flush()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _check_file_count(self, items: list[Article | IngestError]) -> None:
        """Refuse the whole call, before writing anything, if it reads too many files."""
        # JSON/JSONL records are stored as "file#L<n>" / "file#<i>": count files once.
        files = {(i.path or "").split("#", 1)[0] for i in items}
        limit = self.settings.max_batch_files
        if len(files) > limit:
            raise LimitExceeded(
                f"this ingest reads {len(files)} files, over the limit of {limit} per call — "
                f"ingest the folders in smaller groups, or raise NEWSDESK_MAX_BATCH_FILES"
            )

    def _tick(self, n: int) -> None:
        self._done += n
        if self._progress is not None:
            self._progress(self._done, self._total)

    def _consider(self, article: Article) -> None:
        """Decide what one article needs: nothing, a duplicate note, or (re)writing."""
        digest = content_hash(article)
        stored = self.catalog.stored_version(article.article_id)
        if stored is not None and stored.content_hash == digest:
            self._seen.add(article.article_id)
            self.report.articles_unchanged += 1
            self._tick(1)
            return
        same_place = stored is not None and (
            (article.path is not None and article.path == stored.path)
            or (article.url is not None and article.url == stored.url)
        )
        if article.article_id in self._seen or (stored is not None and not same_place):
            # The same text under other metadata: an exact syndicated copy.
            self._record_duplicate(article.article_id, article)
            return
        # subtle: two different articles of one run may share a path or url; only
        # versions stored by earlier runs are replaced, so re-ingest stays a no-op.
        replaces = [
            i
            for i in self.catalog.ids_at(article.path, article.url)
            if i != article.article_id and i not in self._seen
        ]
        signature = DuplicateFinder.signature(article.text)
        kept = self._finder.find(signature)
        if kept is not None and kept != article.article_id and kept not in replaces:
            self._record_duplicate(kept, article)
            return
        self._finder.add(article.article_id, signature)
        for old in replaces:
            self._finder.remove(old)
        self._seen.add(article.article_id)
        self._queue.append(
            _Queued(
                article=article,
                content_hash=digest,
                signature=signature,
                chunks=self._chunk(article),
                replaces=replaces,
                is_update=stored is not None or bool(replaces),
            )
        )
        if sum(len(q.chunks) for q in self._queue) >= 4 * self.settings.embedding_batch_size:
            self._flush()

    def _record_duplicate(self, kept: str, article: Article) -> None:
        if any(q.article.article_id == kept for q in self._queue):
            self._flush()  # the kept article must be stored before it can gain sources
        if self.catalog.add_syndicated_copy(kept, article):
            self.report.duplicates += 1
        else:
            self.report.articles_unchanged += 1
        self._tick(1)

    def _chunk(self, article: Article) -> list[Chunk]:
        # The title header shares the model's window with the chunk (+2 special tokens).
        room = self.embedder.max_tokens - 2 - self.embedder.count_tokens(article.title)
        max_tokens = min(self.settings.chunk_tokens, max(16, room))
        return chunk_article(
            article, self.embedder.count_tokens, max_tokens, self.settings.chunk_overlap_sentences
        )

    def _flush(self) -> None:
        """Embed every queued chunk in one call, then commit article by article."""
        queue, self._queue = self._queue, []
        if not queue:
            return
        self.catalog.mark_pending(
            [(q.article, q.content_hash, q.signature) for q in queue],
            also=[old for q in queue for old in q.replaces],
        )
        texts = [
            embedding_text(q.article.title, c.text_of(q.article)) for q in queue for c in q.chunks
        ]
        t0 = time.perf_counter()
        vectors = self.embedder.encode(texts)
        self.report.embed_seconds += time.perf_counter() - t0
        offset = 0
        for q in queue:
            n = len(q.chunks)
            self._commit(q, vectors[offset : offset + n])
            offset += n
            self._tick(1)

    def _commit(self, q: _Queued, vectors) -> None:
        a = q.article
        if q.is_update:
            self.store.delete_articles([a.article_id, *q.replaces])
        metadatas = [chunk_metadata(a, c) for c in q.chunks]
        self.store.upsert([c.chunk_id for c in q.chunks], vectors, metadatas)
        self.report.chunks_deleted += self.catalog.complete(a, q.chunks, replaces=q.replaces)
        self.report.chunks_added += len(q.chunks)
        if q.is_update:
            self.report.articles_updated += 1
        else:
            self.report.articles_added += 1
