"""Keyword (BM25 over SQLite FTS5) search: catches names, numbers and rare
words that a 384-d sentence embedding blurs.

A thin adapter over ``NewsIndex.keyword_search``; query parsing and escaping of
FTS5 syntax belong to the index.
"""

from __future__ import annotations

from index.models import SearchFilter
from qa.retrieval.base import Ranked, Searcher


class KeywordSearcher(Searcher):
    """Ranks chunks by BM25; a higher score is better."""

    name = "keyword"

    def __init__(self, index) -> None:  # index: index.NewsIndex
        self._index = index

    def search(self, query: str, depth: int, flt: SearchFilter | None = None) -> Ranked:
        return self._index.keyword_search(query, depth, flt)
