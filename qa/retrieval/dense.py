"""Dense (embedding cosine) search over the index's Chroma collection.

Only a thin adapter: the index owns the embedding model and Chroma; this
module just exposes ``NewsIndex.dense_search`` as a ``Searcher``.
"""

from __future__ import annotations

from index.models import SearchFilter
from qa.retrieval.base import Ranked, Searcher


class DenseSearcher(Searcher):
    """Ranks chunks by cosine similarity of their embedding to the query's."""

    name = "dense"

    def __init__(self, index) -> None:  # index: index.NewsIndex (duck-typed to keep imports light)
        self._index = index

    def search(self, query: str, depth: int, flt: SearchFilter | None = None) -> Ranked:
        return self._index.dense_search(query, depth, flt)
