"""Example questions for an empty conversation, derived from what the index holds.

The public index API has no "list articles", so we sample titles through a
broad dense search and phrase each as a question. Nothing here knows any
particular corpus.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heavy (chromadb): only the loaded Assistant's index is passed in
    from index import NewsIndex

_PROBE = "news report"  # any query works: it only samples some articles
_MAX_WORDS = 12


def example_questions(index: NewsIndex, limit: int = 3) -> list[str]:
    """Up to ``limit`` questions about distinct, most recent sampled articles."""
    hits = index.dense_search(_PROBE, k=max(20, limit * 5))
    seen: dict[str, tuple[str, str]] = {}
    for chunk in index.get_chunks([cid for cid, _ in hits]):
        title = " ".join(chunk.title.split())
        if title and chunk.chunk.article_id not in seen:
            seen[chunk.chunk.article_id] = (chunk.date or "", title)
    newest = sorted(seen.values(), reverse=True)[:limit]
    return [_as_question(title) for _, title in newest]


def _as_question(title: str) -> str:
    # A headline's first clause is its topic ("X happens, officials say" → "X happens").
    clause = re.split(r"[,:;—]|\s-\s", title, maxsplit=1)[0]
    words = clause.strip(" .?!…").split()
    topic = " ".join(words[:_MAX_WORDS]) + ("…" if len(words) > _MAX_WORDS else "")
    return f"What do the articles say about “{topic}”?"
