"""Make the top k passages cover more than one article and never repeat a story.

Two rules, applied in rank order:

* syndicated copies collapse: a passage whose words are near-identical
  (Jaccard of word 3-shingles >= ``DUPLICATE_JACCARD``) to one already kept is
  dropped, and its outlets are added to the kept passage's ``sources`` (the
  index already merges exact syndicated copies at ingest; this catches the
  lightly edited wire copies it keeps apart) — unless the copy states another
  value where the texts differ (``index.revisions``: "12 dead" / "15 dead"): that
  is a conflicting or revised report, and the answerer must see both sides;
* at most ``per_article`` chunks of one article: the answerer then sees
  several articles instead of one long article's neighbouring chunks.

When the capped list is shorter than k (a corpus of one or two articles),
``backfill`` tops it up with the chunks the cap held back, in rank order:
diversity is a preference, never a reason to give the answerer less to read.
It does not reorder anything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from index.revisions import changed_values
from qa.models import Passage

#: Word 3-shingle Jaccard above which two passages count as the same text.
DUPLICATE_JACCARD = 0.6
#: Chunks of one article allowed in the top k (chosen on the seed and realtimeqa sets).
PER_ARTICLE = 2

_WORD = re.compile(r"\w+")


def _shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return frozenset({tuple(words)})
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _merge(kept: Passage, dup: Passage) -> Passage:
    """Fold a duplicate's outlets and finders into the passage kept for it."""
    outlets = [*kept.sources] or ([kept.source] if kept.source else [])
    for outlet in (*dup.sources, dup.source):
        if outlet and outlet not in outlets:
            outlets.append(outlet)
    found = tuple(dict.fromkeys((*kept.found_by, *dup.found_by)))
    return replace(kept, sources=tuple(outlets), found_by=found)


def _outlets(*passages: Passage) -> list[str]:
    return [o for p in passages for o in (p.source, *p.sources) if o]


def collapse_duplicates(
    passages: Sequence[Passage], threshold: float = DUPLICATE_JACCARD
) -> list[Passage]:
    """Drop near-identical passages of different articles, keeping the better-ranked one
    (a near-copy that changes a value is not dropped)."""
    kept: list[Passage] = []
    shingles: list[frozenset] = []
    for passage in passages:
        sh = _shingles(passage.text)
        for i, other in enumerate(shingles):
            if (
                kept[i].article_id != passage.article_id
                and jaccard(sh, other) >= threshold
                and not changed_values(kept[i].text, passage.text, _outlets(kept[i], passage))
            ):
                kept[i] = _merge(kept[i], passage)
                break
        else:
            kept.append(passage)
            shingles.append(sh)
    return kept


def diversify(
    passages: Sequence[Passage],
    k: int,
    per_article: int = PER_ARTICLE,
    backfill: bool = True,
    duplicate_jaccard: float = DUPLICATE_JACCARD,
) -> list[Passage]:
    """Pick k passages from ``passages`` (best first) under the two rules above."""
    unique = collapse_duplicates(passages, duplicate_jaccard)
    chosen: list[Passage] = []
    held_back: list[Passage] = []
    per: dict[str, int] = {}
    for passage in unique:
        if per.get(passage.article_id, 0) < per_article:
            per[passage.article_id] = per.get(passage.article_id, 0) + 1
            chosen.append(passage)
        else:
            held_back.append(passage)
        if len(chosen) == k:
            return chosen
    if backfill:
        chosen.extend(held_back[: k - len(chosen)])
    return chosen
