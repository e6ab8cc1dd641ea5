"""The two small interfaces the retrieval pipeline is built from.

A ``Searcher`` ranks chunk ids for a query (one backend per file: dense,
keyword); a ``Retriever`` turns a question into ``Passage`` objects ready for an
answerer. The assistant only knows ``Retriever``, so a user can hand it any
implementation (a different fusion, a reranker, a remote service).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from index.models import SearchFilter
from qa.models import Passage

Ranked = list[tuple[str, float]]  # (chunk_id, score), best first


class Searcher(ABC):
    """Ranks chunk ids for a query; ``name`` is what ``Passage.found_by`` records."""

    name: str = "base"

    @abstractmethod
    def search(self, query: str, depth: int, flt: SearchFilter | None = None) -> Ranked:
        """Return up to ``depth`` (chunk_id, score) pairs, best first."""


class Retriever(ABC):
    """Finds the passages an answerer should read for a question."""

    @abstractmethod
    def retrieve(self, query: str, k: int, flt: SearchFilter | None = None) -> Sequence[Passage]:
        """Return at most ``k`` passages, best first, all matching ``flt``."""
