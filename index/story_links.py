"""The story linking rule: which stored article a new one joins, which members of a
story still hang together after one leaves, and which headline labels a story.

``index.stories`` says what a story is; this module is the rule that ingest
(``best_story``) and the catalogs (``regroup``, inside the transaction that adds,
replaces or removes a member) both apply, so that a story is split exactly when the
rule that built it no longer connects its members, and its label is worked out when
its members change rather than each time it is listed. It reads no store: callers
pass the members in, and only ever the members of one story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from index.settings import Settings
from index.stories import Member, dated_order, new_story_id


@dataclass(frozen=True)
class LinkRule:
    """When two articles belong to one story (``NEWSDESK_STORY_*``, see ``index.stories``)."""

    window_days: int
    similarity: float
    entity_similarity: float
    shared_names: int

    @classmethod
    def of(cls, settings: Settings) -> LinkRule:
        return cls(
            window_days=settings.story_window_days,
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


def _links(members: list[Member], sims: np.ndarray, rule: LinkRule) -> np.ndarray:
    """(n, n) bool: which pairs of members link by the rule.

    A dated pair links within ``window_days`` of each other, as a new article searches
    its window; an undated article is compared with every stored one, so a pair with an
    undated member is never too far apart (subtle: ingest compares a dated article with
    dated candidates only, so this may link a pair that ingest did not, never the reverse,
    and a story that ingest built is never split by it).
    """
    days = np.array(
        [dt.date.fromisoformat(m.day).toordinal() if m.day else 0 for m in members], dtype=np.int64
    )
    undated = np.array([m.day is None for m in members])
    near = (np.abs(days[:, None] - days[None, :]) <= rule.window_days) | undated[:, None]
    near |= undated[None, :]
    linked = near & (sims >= rule.similarity)
    # the lower cosine needs shared names: counted for the few pairs that need it only
    maybe = near & ~linked & (sims >= rule.entity_similarity)
    for i, j in zip(*np.nonzero(np.triu(maybe, 1))):
        shared = len(set(members[i].names).intersection(members[j].names))
        linked[i, j] = linked[j, i] = shared >= rule.shared_names
    return linked


def linked_parts(members: Sequence[Member], rule: LinkRule) -> list[list[Member]]:
    """The members grouped into the parts that the rule still connects (single-link: a
    chain of linking pairs is enough), each oldest first; the largest part first (ties:
    the part with the oldest member)."""
    ordered = sorted(members, key=dated_order)
    if len(ordered) <= 1:
        return [ordered] if ordered else []
    # scipy comes with datasketch (index.dedup); imported here, off the question path
    from scipy.sparse.csgraph import connected_components

    vectors = np.stack([m.vector for m in ordered])
    linked = _links(ordered, vectors @ vectors.T, rule)
    _, part_of = connected_components(linked, directed=False)
    parts = [np.flatnonzero(part_of == k).tolist() for k in np.unique(part_of)]
    parts.sort(key=lambda p: (-len(p), p[0]))
    return [[ordered[i] for i in p] for p in parts]


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


def regroup(
    story_id: str, members: Sequence[Member], rule: LinkRule, split: bool
) -> list[Placement]:
    """Each member's story and label rank, from one story's current ``members``.

    With ``split`` (the story lost a member, or one of them changed), the parts that no
    longer link become stories of their own: the largest keeps ``story_id``, the others
    get new ids. Without it (a member joined) the story stays whole, as placement
    linked the newcomer to it.
    """
    parts = linked_parts(members, rule) if split else [list(members)]
    placements = []
    for n, part in enumerate(p for p in parts if p):
        part_id = story_id if n == 0 else new_story_id()
        placements.extend(
            Placement(m.article_id, part_id, rank) for rank, m in enumerate(by_centrality(part))
        )
    return placements
