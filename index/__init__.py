"""newsdesk's index: turn article files into stored, searchable, citable chunks.

``NewsIndex`` is the entry point; the rest are the data types and errors that
cross this package's boundary. Retrieval fusion and answering live in ``qa``.
``NewsIndex`` is imported on first use: importing ``index.errors`` (as the CLI
does for ``--help``) should not pay for loaders, datasketch and numpy.
"""

from typing import TYPE_CHECKING

from index.access import Access
from index.errors import (
    ArticleError,
    ConfigError,
    EmptyIndex,
    IndexBusy,
    LimitExceeded,
    ModelMismatch,
    ModelNotFound,
    NewsdeskError,
    StoreUnavailable,
    UnknownOutlet,
)
from index.models import Article, Chunk, IngestError, IngestReport, SearchFilter, StoredChunk
from index.settings import Settings

__all__ = [
    "Access",
    "Article",
    "ArticleError",
    "Chunk",
    "ConfigError",
    "EmptyIndex",
    "IndexBusy",
    "IngestError",
    "IngestReport",
    "LimitExceeded",
    "ModelMismatch",
    "ModelNotFound",
    "NewsIndex",
    "NewsdeskError",
    "SearchFilter",
    "Settings",
    "StoreUnavailable",
    "StoredChunk",
    "UnknownOutlet",
]

if TYPE_CHECKING:
    from index.news_index import NewsIndex


def __getattr__(name: str) -> object:
    if name == "NewsIndex":
        from index.news_index import NewsIndex

        return NewsIndex
    raise AttributeError(f"module 'index' has no attribute {name!r}")
