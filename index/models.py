"""Data that crosses the index boundary: articles, chunks and ingest reports.

Small frozen dataclasses with ``to_dict()`` so that the CLI, the UI and the
eval scripts can all serialise them the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.access import Access  # subtle: at run time, so pydantic can resolve SearchFilter

Span = tuple[int, int]  # (start, end) character offsets into Article.text


@dataclass(frozen=True)
class Article:
    """One news article as newsdesk stores it; offsets everywhere refer to ``text``."""

    article_id: str
    title: str
    text: str
    date: str | None = None  # ISO date (YYYY-MM-DD) when known
    source: str | None = None  # outlet that published this copy
    url: str | None = None
    author: str | None = None
    sources: tuple[str, ...] = ()  # every outlet of a syndicated story
    path: str | None = None  # where it was read from (file, or file#line)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = list(self.sources)
        return data


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article: ``article.text[start:end]``."""

    chunk_id: str
    article_id: str
    index: int
    start: int
    end: int
    sentences: tuple[Span, ...]  # each sentence's (start, end) within the article

    def text_of(self, article: Article) -> str:
        return article.text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sentences"] = [list(s) for s in self.sentences]
        return data


@dataclass(frozen=True)
class IngestError:
    """Why one input could not be ingested (the rest of the batch still is)."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass
class IngestReport:
    """What one ``ingest`` call did; printed by the CLI, shown by the UI."""

    articles_added: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    duplicates: int = 0
    chunks_added: int = 0
    chunks_deleted: int = 0
    articles_rechunked: int = 0  # stored articles whose boilerplate lines changed (re-embedded)
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    bytes_read: int = 0

    @property
    def articles_seen(self) -> int:
        return (
            self.articles_added + self.articles_updated + self.articles_unchanged + self.duplicates
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = [e.to_dict() for e in self.errors]
        return data


@dataclass(frozen=True)
class StoredChunk:
    """A chunk read back from the index with its text and its article's metadata."""

    chunk: Chunk
    text: str  # == article.text[chunk.start:chunk.end]
    title: str
    date: str | None = None
    source: str | None = None
    url: str | None = None
    sources: tuple[str, ...] = ()
    story_id: str | None = None  # index.stories: the story thread of its article


@dataclass(frozen=True)
class SearchFilter:
    """Metadata filters shared by the dense and keyword searches (all optional, ANDed)."""

    sources: tuple[str, ...] = ()  # outlet names; an article matches if any of its outlets does
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    article_ids: tuple[str, ...] = ()
    #: Who is searching (desks held, the time for embargoes); None = every desk, now.
    #: Not a user filter: ``is_empty`` ignores it.
    access: Access | None = None
    #: Articles the reader may not see, resolved from ``access`` by ``NewsIndex``.
    exclude_ids: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.sources or self.since or self.until or self.article_ids)
