"""Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009).

Fuses ranked lists by rank alone, so scores on different scales (cosine,
BM25) never need calibrating: ``score(d) = Σ_lists weight / (c + rank(d))``
with 1-based ranks. It does not look at text or metadata; diversity and
duplicate handling come later in ``diversify``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from qa.retrieval.base import Ranked

#: The constant from the paper; it damps the weight of the very top ranks.
RRF_C = 60


@dataclass(frozen=True)
class Fused:
    """One fused candidate: its RRF score and the searchers that returned it."""

    chunk_id: str
    score: float
    found_by: tuple[str, ...]


def rrf(
    rankings: Mapping[str, Ranked],
    c: int = RRF_C,
    weights: Mapping[str, float] | None = None,
) -> list[Fused]:
    """Fuse ``{searcher name: ranked ids}`` into one list, best first.

    Ties (equal fused score) are broken by the best single rank, then by the
    order the searchers were given, so the result is deterministic.
    """
    scores: dict[str, float] = {}
    found: dict[str, list[str]] = {}
    best_rank: dict[str, tuple[int, int]] = {}
    for order, (name, ranked) in enumerate(rankings.items()):
        weight = 1.0 if weights is None else weights.get(name, 1.0)
        unique = dict.fromkeys(chunk_id for chunk_id, _score in ranked)  # listed twice: once
        for rank, chunk_id in enumerate(unique, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (c + rank)
            found.setdefault(chunk_id, []).append(name)
            best_rank[chunk_id] = min(best_rank.get(chunk_id, (rank, order)), (rank, order))
    ordered = sorted(scores, key=lambda cid: (-scores[cid], best_rank[cid]))
    return [Fused(cid, scores[cid], tuple(found[cid])) for cid in ordered]
