"""The embedded store's keyword index: BM25 over chunk title and text, in tantivy.

SQLite's FTS5 scores every chunk that any word of an OR query matches, so its cost
grows with the archive (87 ms at 100k chunks, ~2 s at 1M on these 2 cores); tantivy's
block-max WAND skips chunks that cannot reach the top k (0.8 ms / 24 ms, same texts
and questions). The index is a folder beside the catalog that only the catalog
writes; which of its documents count is still the catalog's business: a hit is
searchable only while its article is complete there (``SqliteCatalog.keyword_search``).

Writes are staged in one tantivy writer and committed in batches (a commit costs an
fsync, ~15 ms, per article otherwise); the catalog records in its own transaction
which articles' documents may be stale, so a crash between the two is repaired.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from index.errors import StoreUnavailable

_ANALYZER = "news"
_WORD = re.compile(r"\w+", re.UNICODE)
TITLE_WEIGHT = 0.5  # a title word counts half a body word: the title repeats in every chunk
_WRITER_HEAP = 32_000_000  # bytes tantivy buffers before it writes a segment on its own

KeywordDoc = tuple[str, str, str, str]  # (chunk_id, article_id, title, text)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("chunk_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("article_id", tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name=_ANALYZER)
    builder.add_text_field("text", tokenizer_name=_ANALYZER)
    return builder.build()


def _analyzer() -> tantivy.TextAnalyzer:
    """Words as FTS5's ``porter unicode61`` cut them: lower case, accents folded, stemmed."""
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(40))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
        .filter(Filter.stemmer("english"))
        .build()
    )


class KeywordIndex:
    """One tantivy index folder; callers hold the store's write lock for every write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._schema = _schema()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self._schema, path=str(folder), reuse=True)
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(
                f"cannot open the keyword index {folder}: {exc} — check that the folder is "
                f"writable, or delete it to have it rebuilt from the catalog"
            ) from exc
        self._index.register_tokenizer(_ANALYZER, _analyzer())
        self._writer: tantivy.IndexWriter | None = None

    # --- writing (staged until commit) ------------------------------------------------
    def _open_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        return self._writer

    def replace(self, article_ids: Iterable[str], docs: Iterable[KeywordDoc]) -> None:
        """Drop every document of ``article_ids``, then add ``docs`` (staged)."""
        writer = self._open_writer()
        for article_id in article_ids:
            writer.delete_documents_by_term("article_id", article_id)
        for chunk_id, article_id, title, text in docs:
            writer.add_document(
                tantivy.Document(chunk_id=chunk_id, article_id=article_id, title=title, text=text)
            )

    def commit(self) -> None:
        """Make the staged writes durable and visible to every reader."""
        if self._writer is not None:
            self._writer.commit()

    def close_writer(self) -> None:
        """Commit, let segment merges finish, and free the writer (and tantivy's own lock)
        so that the next process holding the store's write lock can write."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.commit()
            writer.wait_merging_threads()

    def discard(self) -> None:
        """Forget staged writes (the catalog will redo them from its backlog)."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.rollback()

    # --- reading ----------------------------------------------------------------------
    def count(self) -> int:
        """Documents committed, this process's and others'."""
        self._index.reload()
        return self._index.searcher().num_docs

    def search(
        self, query: str, limit: int, article_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) of the ``limit`` best chunks for any word of ``query``,
        best first; only chunks of ``article_ids`` when given."""
        words = dict.fromkeys(_WORD.findall(query.lower()))
        if not words or limit <= 0 or article_ids is not None and not article_ids:
            return []
        # Each word quoted: user text never reaches the query language's operators.
        parsed, _errors = self._index.parse_query_lenient(
            " ".join(f'"{w}"' for w in words),
            ["title", "text"],
            field_boosts={"title": TITLE_WEIGHT, "text": 1.0},
        )
        if article_ids is not None:
            only = Query.term_set_query(self._schema, "article_id", list(article_ids))
            parsed = Query.boolean_query(
                [(Occur.Must, parsed), (Occur.Must, Query.const_score_query(only, 0.0))]
            )
        self._index.reload()
        searcher = self._index.searcher()
        return [
            (searcher.doc(address)["chunk_id"][0], float(score))
            for score, address in searcher.search(parsed, limit).hits
        ]
