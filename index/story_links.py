"""The story joining rule: which stored article's story a new article joins.

``index.stories`` says what a story is; this module holds the rule apart from it so
that everything that decides story membership applies the one rule with the same
thresholds (``NEWSDESK_STORY_*``). It reads no store: callers pass the candidates in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from index.settings import Settings
from index.stories import Member


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
