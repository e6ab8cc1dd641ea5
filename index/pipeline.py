"""The incremental, crash-safe ingest: articles in, searchable chunks out.

For each article: skip it if its content hash is already stored; fold it into
the kept copy if it is a syndicated near-duplicate; otherwise chunk it and
queue it. Queued articles are embedded together (one ``encode`` over many
articles' chunks is what makes ingestion fast) and then committed one by one:

1. catalog rows marked ``pending`` (committed) — the article, and any older
   version it replaces, become invisible to searches;
2. vectors upserted into Chroma under deterministic ids;
3. one SQLite transaction inserts chunk + FTS rows and the article's story
   membership (``index.story_ingest``), drops replaced versions and marks the
   article ``complete``.

A crash anywhere leaves only ``pending`` rows behind, which ``recover`` wipes
(from Chroma and SQLite) before the next ingest redoes those articles. Callers
hold the store's write lock; this module does not take it.

Boilerplate (``index.boilerplate``, off with ``NEWSDESK_BOILERPLATE=false``):
every line of every new article of the run is counted first, together with the
counts the catalog keeps per outlet, so a whole archive ingested at once is
judged on all of it. When a later ingest makes a line of earlier-stored articles
reach the repetition thresholds, those articles are re-chunked (and their chunks
re-embedded) at the end of that ingest, but only if their chunks change; this is
counted in ``IngestReport.articles_rechunked``. Deleting articles never re-chunks
others (a line that falls back under the threshold stays excluded where it was),
and changing the setting affects articles ingested from then on: rebuild the
store to apply it to all.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.access import with_access_fields
from index.boilerplate import HEADING_MIN_ARTICLES, find_boilerplate, fingerprints
from index.catalog_base import CatalogBase
from index.chroma_store import ChromaStore
from index.chunking import chunk_article
from index.embedding import Embedder, embedding_text
from index.errors import ArticleError, LimitExceeded
from index.filters import chunk_metadata
from index.ids import content_hash
from index.loading import iter_articles
from index.models import Article, Chunk, IngestError, IngestReport, Span
from index.revisions import changed_values
from index.settings import Settings
from index.story_ingest import place

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


def _access_key(article: Article) -> tuple:
    return article.extra.get("desk"), article.extra.get("embargo_until")


@dataclass
class _Queued:
    article: Article
    content_hash: str
    signature: bytes
    chunks: list[Chunk]
    replaces: list[str]  # ids of stored versions this article supersedes
    is_update: bool
    prints: set[int] = field(default_factory=set)  # line fingerprints (index.boilerplate)
    rechunk: bool = False  # an earlier-stored article whose boilerplate lines changed


class Ingestor:
    """One ingest run over a catalog, a Chroma store and an embedder."""

    def __init__(
        self,
        settings: Settings,
        catalog: CatalogBase,
        store: ChromaStore,
        embedder: Embedder,
        desk: str | None = None,
        embargo_until: str | None = None,
    ) -> None:
        self.settings = settings
        self.desk = desk  # applied to articles that name no desk / embargo themselves
        self.embargo_until = embargo_until
        self.catalog = catalog
        self.store = store
        self.embedder = embedder
        self.report = IngestReport()
        # Here, not at the top: datasketch (and the scipy it imports) would cost every
        # cold `newsdesk ask` ~0.5 s, and only ingestion looks for duplicates.
        from index.dedup import DuplicateFinder

        self._finder = DuplicateFinder(settings.dedup_threshold)
        self._queue: list[_Queued] = []
        self._seen: set[str] = set()  # article ids stored or kept by this run
        self._done = 0
        self._total = 0
        self._progress: Progress | None = None
        # outlet -> line fingerprint -> new articles of this run not yet committed
        self._run_lines: dict[str, Counter[int]] = defaultdict(Counter)
        self._precounted: set[str] = set()  # article ids counted in _run_lines
        # outlet -> line fingerprint -> stored articles holding it as the run started
        self._before: dict[str, dict[int, int]] = {}

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
        if self.settings.boilerplate:
            self._count_lines([i for i in items if isinstance(i, Article)])
        self._tick(0)
        for item in items:
            if isinstance(item, IngestError):
                self.report.errors.append(item)
                continue
            try:
                item = self._with_access(item)
            except ArticleError as exc:
                self.report.errors.append(IngestError(item.path or "", str(exc)))
                continue
            self.report.bytes_read += len(item.text.encode("utf-8"))
            self._consider(item)
        self._flush()
        if self.settings.boilerplate:
            self._rechunk_crossed()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _count_lines(self, articles: list[Article]) -> None:
        """Count the lines of the run's new articles, so that each is judged on all.

        Articles already stored are counted by the catalog instead; a new article's
        count moves from here to the catalog when it is committed.
        """
        for a in {a.article_id: a for a in articles}.values():
            if self.catalog.stored_version(a.article_id) is None:
                self._run_lines[a.source or ""].update(fingerprints(a.text))
                self._precounted.add(a.article_id)
        for outlet, run in self._run_lines.items():
            self._before[outlet] = self.catalog.line_counts(outlet, run)

    def _excluded(self, article: Article, prints: set[int], besides: list[str]) -> list[Span]:
        """Spans of ``article`` that are boilerplate, by the catalog's and the run's counts."""
        if not self.settings.boilerplate:
            return []
        outlet = article.source or ""
        repeats = Counter(self.catalog.line_counts(outlet, prints, besides))
        run = self._run_lines[outlet]
        repeats.update({p: run[p] for p in prints if run[p] > 0})
        found = find_boilerplate(article.text, repeats, self.settings.boilerplate_min_articles)
        return [(e.start, e.end) for e in found]

    def _rechunk_crossed(self) -> None:
        """Re-chunk earlier-stored articles holding a line that this run made repeated."""
        thresholds = (HEADING_MIN_ARTICLES, self.settings.boilerplate_min_articles)
        for outlet, before in self._before.items():
            held = [p for p, n in before.items() if n < max(thresholds)]
            now = self.catalog.line_counts(outlet, held)
            crossed = [p for p in held if any(before[p] < t <= now.get(p, 0) for t in thresholds)]
            for article_id in self.catalog.articles_with_lines(outlet, crossed):
                article = self.catalog.get_article(article_id)
                if article_id in self._seen or article is None:
                    continue
                prints = fingerprints(article.text)
                chunks = self._chunk(article, self._excluded(article, prints, []))
                if [(c.start, c.end) for c in chunks] == self.catalog.chunk_spans(article_id):
                    continue
                self._queue.append(
                    _Queued(
                        article=article,
                        content_hash=content_hash(article),
                        signature=self._finder.signature(article.text),
                        chunks=chunks,
                        replaces=[],
                        is_update=True,
                        prints=prints,
                        rechunk=True,
                    )
                )
        self._flush()

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

    def _with_access(self, article: Article) -> Article:
        """The article with its desk / embargo validated (a bad embargo refuses it)."""
        extra = with_access_fields(
            article.extra, article.path or article.article_id, self.desk, self.embargo_until
        )
        return article if extra == article.extra else replace(article, extra=extra)

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
        signature = self._finder.signature(article.text)
        kept = self._finder.find(signature)
        if (
            kept is not None
            and kept != article.article_id
            and kept not in replaces
            and self._access_of(kept) == _access_key(article)
            and not self._changes_facts(kept, article)
        ):
            # subtle: a near-copy under another desk or embargo is stored on its own, so
            # folding never hides a public story behind a restricted one (or the reverse)
            self._record_duplicate(kept, article)
            return
        self._finder.add(article.article_id, signature)
        for old in replaces:
            self._finder.remove(old)
        self._seen.add(article.article_id)
        prints = fingerprints(article.text) if self.settings.boilerplate else set()
        self._queue.append(
            _Queued(
                article=article,
                content_hash=digest,
                signature=signature,
                chunks=self._chunk(article, self._excluded(article, prints, replaces)),
                replaces=replaces,
                is_update=stored is not None or bool(replaces),
                prints=prints,
            )
        )
        if sum(len(q.chunks) for q in self._queue) >= 4 * self.settings.embedding_batch_size:
            self._flush()

    def _changes_facts(self, kept_id: str, article: Article) -> bool:
        """A near-copy that states another figure or name than the kept article is a
        revised or conflicting report (``index.revisions``), stored on its own."""
        kept = next((q.article for q in self._queue if q.article.article_id == kept_id), None)
        kept = kept or self.catalog.get_article(kept_id)
        if kept is None:
            return False
        outlets = [kept.source, *kept.sources, article.source]
        return bool(changed_values(kept.text, article.text, outlets))

    def _access_of(self, article_id: str) -> tuple:
        for q in self._queue:
            if q.article.article_id == article_id:
                return _access_key(q.article)
        stored = self.catalog.get_article(article_id)
        return _access_key(stored) if stored else (None, None)

    def _record_duplicate(self, kept: str, article: Article) -> None:
        if any(q.article.article_id == kept for q in self._queue):
            self._flush()  # the kept article must be stored before it can gain sources
        if self.catalog.add_syndicated_copy(kept, article):
            self.report.duplicates += 1
        else:
            self.report.articles_unchanged += 1
        self._tick(1)

    def _chunk(self, article: Article, excluded: list[Span]) -> list[Chunk]:
        # The title header shares the model's window with the chunk (+2 special tokens).
        room = self.embedder.max_tokens - 2 - self.embedder.count_tokens(article.title)
        max_tokens = min(self.settings.chunk_tokens, max(16, room))
        return chunk_article(
            article,
            self.embedder.count_tokens,
            max_tokens,
            self.settings.chunk_overlap_sentences,
            excluded,
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
        story = place(self.catalog, a, vectors, self.embedder.dimension, self.settings)
        self.report.chunks_deleted += self.catalog.complete(
            a, q.chunks, replaces=q.replaces, prints=q.prints, story=story
        )
        if a.article_id in self._precounted:  # its lines are counted by the catalog now
            self._precounted.discard(a.article_id)
            self._run_lines[a.source or ""].subtract(q.prints)
        self.report.chunks_added += len(q.chunks)
        if q.rechunk:
            self.report.articles_rechunked += 1
        elif q.is_update:
            self.report.articles_updated += 1
        else:
            self.report.articles_added += 1
