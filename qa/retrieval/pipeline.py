"""The default retriever: dense + keyword search, RRF fusion, recency, rerank, diversify.

Every stage is a parameter, so a user (or ``qa.retrieval.measure``) can swap
one without touching the rest. Defaults — both searchers at depth 30, RRF with
c=60, at most 2 chunks per article with backfill — were chosen by hit@k
(a top-k passage contains the evidence) measured with ``qa.retrieval.measure``
on 2026-11-25 (2 shared, heavily loaded cores, so the latencies are pessimistic):

    seed dev set (33 answerable, 1 article, 5 chunks)   hit@1  hit@3  hit@5
      dense only                                        0.606  0.970  1.000
      keyword only                                      0.818  1.000  1.000
      rrf (cap 2, depth 30)                             0.758  1.000  1.000

    realtimeqa slice (31 questions, 125 articles,       hit@1  hit@3  hit@5  hit@10
    3,477 chunks; every 10th question)
      dense only                                        0.161  0.355  0.452  0.548
      keyword only                                      0.129  0.355  0.355  0.484
      rrf, no cap                                       0.194  0.452  0.484  0.516
      rrf, cap 1                                        0.194  0.387  0.387  0.484
      rrf, cap 2 (default)                              0.194  0.452  0.484  0.516
      rrf, cap 3                                        0.194  0.452  0.484  0.516
      rrf, cap 2, depth 10 / 50                         ~same as depth 30

A recency prior (qa/retrieval/recency.py) then lifts passages dated inside the
window a question names ("this week"): realtimeqa, first 70 questions over its
first 743 articles, hit@1 0.371 -> 0.414, hit@5 0.571 -> 0.586 (weights 0.5-2
measure the same; 1 is the default). A question naming no time gets a 14-day
window: on all 302 realtimeqa questions over the whole archive hit@1 0.377 ->
0.397, hit@5 0.573 -> 0.596.

Fusion wins at the k the answerer reads (5); a cap of 1 chunk per article
loses answers, 2 costs nothing and keeps several stories in view. The seed
set has too few chunks to separate the configurations past hit@1. Retrieval
latency is the dense query embedding (p50 ~1 s on the loaded machine; keyword
search alone 1–75 ms); fusion and diversity add well under a millisecond.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from index.models import SearchFilter, StoredChunk
from index.settings import Settings
from qa.dates import parse_article_date
from qa.models import Passage
from qa.retrieval.base import Ranked, Retriever, Searcher
from qa.retrieval.dense import DenseSearcher
from qa.retrieval.diversify import PER_ARTICLE, diversify
from qa.retrieval.fusion import Fused, rrf
from qa.retrieval.keyword import KeywordSearcher
from qa.retrieval.recency import RECENCY_WEIGHT, prefer_recent
from qa.retrieval.rerank import CrossEncoderReranker, ReaderReranker, Reranker

#: Candidates each searcher returns before fusion.
DEPTH = 30


@cache
def _search_pool() -> ThreadPoolExecutor:
    """Threads the searchers after the first run on, shared by every retriever."""
    return ThreadPoolExecutor(thread_name_prefix="newsdesk-search")


# subtle: a forked child inherits the pool but not its threads; it would wait forever
os.register_at_fork(after_in_child=_search_pool.cache_clear)


def to_passage(stored: StoredChunk, score: float, found_by: tuple[str, ...]) -> Passage:
    """A stored chunk as the answerer sees it (offsets stay article offsets)."""
    chunk = stored.chunk
    return Passage(
        chunk_id=chunk.chunk_id,
        article_id=chunk.article_id,
        title=stored.title,
        text=stored.text,
        start=chunk.start,
        end=chunk.end,
        score=score,
        date=stored.date,
        source=stored.source,
        url=stored.url,
        sources=tuple(stored.sources),
        sentences=tuple(tuple(s) for s in chunk.sentences),
        found_by=found_by,
        story_id=stored.story_id,
    )


class HybridRetriever(Retriever):
    """Searchers → fuse → (rerank) → diversify, returning ``Passage`` objects."""

    def __init__(
        self,
        index,  # index.NewsIndex: hydrates chunk ids into text + metadata
        searchers: Sequence[Searcher],
        depth: int = DEPTH,
        fuse: Callable[[Mapping[str, Ranked]], list[Fused]] = rrf,
        reranker: Reranker | None = None,
        per_article: int = PER_ARTICLE,
        backfill: bool = True,
        recency: float = RECENCY_WEIGHT,
    ) -> None:
        if not searchers:
            raise ValueError("HybridRetriever needs at least one searcher")
        self.index = index
        self.searchers = list(searchers)
        self.depth = depth
        self.fuse = fuse
        self.reranker = reranker
        self.per_article = per_article
        self.backfill = backfill
        self.recency = recency

    def retrieve(self, query: str, k: int, flt: SearchFilter | None = None) -> list[Passage]:
        return diversify(self.candidates(query, flt), k, self.per_article, self.backfill)

    def candidates(self, query: str, flt: SearchFilter | None = None) -> list[Passage]:
        """Every fused (recency-lifted, reranked) passage, best first, before diversity
        picks the top k (``qa.eval.news_diagnose`` reads what diversity drops)."""
        # subtle: an access-only filter is not "empty": it must reach both searchers
        flt = None if flt is None or (flt.is_empty and flt.access is None) else flt
        rankings = self._search_all(query, flt)
        fused = self.fuse(rankings)[: self.depth]
        by_id = {f.chunk_id: f for f in fused}
        stored = self.index.get_chunks([f.chunk_id for f in fused])  # same order, unknown skipped
        passages = [
            to_passage(s, by_id[s.chunk.chunk_id].score, by_id[s.chunk.chunk_id].found_by)
            for s in stored
        ]
        if self.recency > 0:
            reference = parse_article_date(flt.until if flt else None) or dt.date.today()
            passages = prefer_recent(passages, query, reference, self.recency)
        if self.reranker is not None:
            passages = self.reranker.rerank(query, passages)
        return passages

    def _search_all(self, query: str, flt: SearchFilter | None) -> dict[str, Ranked]:
        """Every searcher's ranking, in the searchers' order, run at the same time: in
        server mode each waits on its own server (Chroma, PostgreSQL), so the faster
        search hides behind the slower (bench, 100k chunks: p50 36.5 -> 27.8 ms)."""
        first, *rest = self.searchers
        pending = [(s.name, _search_pool().submit(s.search, query, self.depth, flt)) for s in rest]
        rankings = {first.name: first.search(query, self.depth, flt)}
        rankings |= {name: future.result() for name, future in pending}
        return rankings


def build_retriever(settings: Settings, index, searchers: Sequence[str] = ("dense", "keyword")):
    """The retriever ``settings`` ask for: named searchers, then the configured reranker
    (another cross-encoder when ``reranker`` names one, else the reader unless
    ``reader_rerank`` is off)."""
    kinds = {"dense": DenseSearcher, "keyword": KeywordSearcher}
    reranker: Reranker | None = None
    if settings.reranker:
        reranker = CrossEncoderReranker(settings.reranker, settings.rerank_depth)
    elif settings.reader_rerank:
        from qa.reading import load_reader

        reranker = ReaderReranker(load_reader(settings), settings.rerank_depth)
    return HybridRetriever(index, [kinds[name](index) for name in searchers], reranker=reranker)
