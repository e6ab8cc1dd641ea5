"""Placing articles in story threads as they are stored (``index.story_links`` has the rule).

``place`` decides the membership of one article about to be completed; the ingest
pipeline writes it in the article's ``complete`` transaction, so a crash leaves no
article without its story nor a story row without its article. ``place_unassigned``
gives a story to every complete article stored before stories existed (or copied in
by ``newsdesk migrate``), oldest first, from the vectors Chroma already holds: no
article is embedded again. Callers hold the write lock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from index.catalog_base import CatalogBase
from index.chroma_store import ChromaStore
from index.entities import entity_keys
from index.models import Article
from index.settings import Settings
from index.stories import Member, article_vector, day_of, new_story_id, window
from index.story_links import LinkRule, best_story

#: Articles whose vectors are read from Chroma at once when placing older archives.
BATCH = 100


def place(
    catalog: CatalogBase,
    article: Article,
    chunk_vectors: Sequence[np.ndarray] | np.ndarray,
    dimension: int,
    settings: Settings,
) -> Member:
    """The story membership of ``article``: its story kept when it is only re-chunked
    (same text, same day), else the best stored match in its window, else a new story."""
    vector = article_vector(chunk_vectors, dimension)
    names = entity_keys(article.title, article.text, (article.source or "", *article.sources))
    day = day_of(article.date)
    kept = catalog.story_member(article.article_id)
    if kept is not None and kept.day == day:
        return Member(article.article_id, kept.story_id, day, vector, names)
    candidates = catalog.story_candidates(
        window(day, settings.story_window_days), exclude=[article.article_id]
    )
    story = best_story(vector, names, candidates, LinkRule.of(settings)) or new_story_id()
    return Member(article.article_id, story, day, vector, names)


def place_unassigned(
    catalog: CatalogBase, store: ChromaStore, dimension: int, settings: Settings
) -> int:
    """Give every complete article without a story one, oldest first; returns how many."""
    ids = catalog.unassigned_ids()
    for i in range(0, len(ids), BATCH):
        batch = ids[i : i + BATCH]
        by_article: dict[str, list[tuple[int, np.ndarray]]] = defaultdict(list)
        for chunk_id, vector in store.vectors_of(batch).items():
            article_id, _, index = chunk_id.rpartition(":")
            by_article[article_id].append((int(index), vector))
        for article_id in batch:
            article = catalog.get_article(article_id)
            if article is None:
                continue
            vectors = [v for _, v in sorted(by_article[article_id], key=lambda p: p[0])]
            catalog.set_story(place(catalog, article, vectors, dimension, settings))
    return len(ids)
