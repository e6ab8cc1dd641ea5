"""The story joining rule, and which headline labels a story.

``index.stories`` says what a story is; this module is the rule that ingest applies
(``best_story``) and the ranking that the catalogs apply (``regroup``, inside the
transaction that adds, replaces or removes a member), so that a story's label is
worked out when its members change rather than each time it is listed. It reads no
store: callers pass the members in, and only ever the members of one story.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from index.settings import Settings
from index.stories import Member, dated_order


@dataclass(frozen=True)
class LinkRule:
    """When two articles belong to one story (``NEWSDESK_STORY_*``, see ``index.stories``)."""

    similarity: float
    entity_similarity: float
    shared_names: int

    @classmethod
    def of(cls, settings: Settings) -> LinkRule:
        return cls(
            similarity=settings.story_similarity,
            entity_similarity=settings.story_entity_similarity,
            shared_names=settings.story_shared_names,
        )

    def passes(self, sim: float, shared: int) -> bool:
        """Whether a cosine ``sim`` with ``shared`` name keys in common joins two articles."""
        return sim >= self.similarity or (
            sim >= self.entity_similarity and shared >= self.shared_names
        )


@dataclass(frozen=True)
class Placement:
    """Where ``regroup`` puts one member: its story and its ``label_rank`` there
    (0 = the story's label; then ever less central)."""

    article_id: str
    story_id: str
    label_rank: int


def best_story(
    vector: np.ndarray, names: Iterable[str], candidates: Sequence[Member], rule: LinkRule
) -> str | None:
    """The story of the best-matching candidate that passes the joining rule, or None."""
    if not candidates:
        return None
    names = set(names)
    sims = np.stack([c.vector for c in candidates]) @ np.asarray(vector, dtype=np.float32)
    best, best_score = None, -1.0
    for member, sim in zip(candidates, sims.tolist()):
        if rule.passes(sim, len(names.intersection(member.names))) and sim > best_score:
            best, best_score = member.story_id, sim
    return best


def by_centrality(members: Sequence[Member]) -> list[Member]:
    """The members most central first: closest on average to the others (ties, and
    stories of one or two, where no member is more central, oldest first)."""
    ordered = sorted(members, key=dated_order)
    if len(ordered) <= 2:
        return ordered
    vectors = np.stack([m.vector for m in ordered])
    # sum of each member's cosines with all: V @ (sum of V), not (V @ V.T).sum(1), so
    # ranking a story costs O(n) dot products rather than O(n²)
    centrality = (vectors @ vectors.sum(axis=0)).tolist()
    return [ordered[i] for i in sorted(range(len(ordered)), key=lambda i: (-centrality[i], i))]


def regroup(story_id: str, members: Sequence[Member]) -> list[Placement]:
    """Each member's label rank, from one story's current ``members``."""
    return [
        Placement(m.article_id, story_id, rank) for rank, m in enumerate(by_centrality(members))
    ]
