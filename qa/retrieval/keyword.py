"""Keyword (BM25) search: catches names, numbers and rare words that a 384-d
sentence embedding blurs.

A thin adapter over ``NewsIndex.keyword_search`` that sends only the question's
content words: the index ORs the words it gets, and a stopword such as "to" matches
nearly every chunk, so leaving stopwords in costs time that grows with the archive
(~4x at 100k chunks when FTS5 held the keywords) while adding almost nothing to BM25
(their idf is close to zero). Escaping of query syntax belongs to the index.
"""

from __future__ import annotations

from index.models import SearchFilter
from qa import nlp
from qa.retrieval.base import Ranked, Searcher


class KeywordSearcher(Searcher):
    """Ranks chunks by BM25; a higher score is better."""

    name = "keyword"

    def __init__(self, index) -> None:  # index: index.NewsIndex
        self._index = index

    def search(self, query: str, depth: int, flt: SearchFilter | None = None) -> Ranked:
        return self._index.keyword_search(content_words(query), depth, flt)


def content_words(query: str) -> str:
    """``query`` without stopwords and punctuation; the whole query if that leaves nothing."""
    return " ".join(nlp.content_words(query)) or query
