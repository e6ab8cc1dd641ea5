"""The scale bench's synthetic archive, at a tiny size, on both backends.

What the bench's figures rest on: distinct articles of real sentences (not
replicas), no two identical vectors, offsets that cut exactly the sentences,
searchable like ingested articles, and a stopped build resuming without
duplicates.
"""

from __future__ import annotations

import numpy as np
import pytest

from index.news_index import NewsIndex
from index.settings import Settings
from qa.eval.synthetic import SentencePool, article_id, build_index, generate
from tests.index.conftest import assert_consistent, corpus_records


@pytest.fixture(scope="module")
def source(news_index_of) -> NewsIndex:
    """Six real articles, ingested: the sentences and vectors to draw from."""
    return news_index_of(corpus_records(6))


@pytest.fixture(scope="module")
def pool(source: NewsIndex) -> SentencePool:
    return SentencePool.from_index(source)


def test_generation_is_deterministic_and_made_of_real_sentences(pool: SentencePool) -> None:
    first, again = generate(pool, 7), generate(pool, 7)
    assert first.article == again.article
    assert np.array_equal(first.vectors, again.vectors)
    real = set(pool.sentences)
    for chunk in first.chunks:
        for start, end in chunk.sentences:
            assert first.article.text[start:end] in real
        assert chunk.start == chunk.sentences[0][0] and chunk.end == chunk.sentences[-1][1]
    assert np.allclose(np.linalg.norm(first.vectors, axis=1), 1.0, atol=1e-5)


def test_noisy_vectors_stay_near_their_sources(pool: SentencePool) -> None:
    """Close to the mean of the real vectors they came from, but never equal to any."""
    made = generate(pool, 3)
    sentence_of = {s: i for i, s in enumerate(pool.sentences)}
    for chunk, vector in zip(made.chunks, made.vectors, strict=True):
        rows = [pool.source_chunk[sentence_of[made.article.text[a:b]]] for a, b in chunk.sentences]
        mean = pool.vectors[rows].mean(axis=0)
        assert float(vector @ mean / np.linalg.norm(mean)) > 0.9
        assert not np.any(np.all(np.isclose(pool.vectors, vector, atol=1e-6), axis=1))


def test_a_tiny_archive_is_searchable_distinct_and_resumes(
    pool: SentencePool, source: NewsIndex, backend: str, isolated_store
) -> None:
    embedder = source.embedder
    with NewsIndex.open(Settings(store_dir=isolated_store), embedder=embedder) as index:
        half = build_index(index, pool, 40)
        assert half.chunks >= 40
    # A stopped build: the next run continues after the last complete article.
    with NewsIndex.open(Settings(store_dir=isolated_store), embedder=embedder) as index:
        done = build_index(index, pool, 120)
        assert done.articles > half.articles and done.written_chunks == done.chunks - half.chunks
        assert_consistent(index)
        ids = sorted(index.catalog.chunk_ids())
        assert len(ids) == done.chunks >= 120
        stored = index.get_chunks(ids)
        texts = [s.text for s in stored]
        assert len(set(texts)) == len(texts)
        vectors = index.store.vectors_of([article_id(n) for n in range(done.articles)])
        matrix = np.array([vectors[i] for i in ids])
        assert len(np.unique(matrix.round(6), axis=0)) == len(ids)
        # Offsets exact: each stored chunk is its article's text at its span, sentence by sentence.
        article = index.get_article(stored[5].chunk.article_id)
        assert stored[5].text == article.text[stored[5].chunk.start : stored[5].chunk.end]
        assert article == generate(pool, int(article.article_id.rsplit("-", 1)[1])).article
        # Searchable like ingested text: a chunk's own words find it.
        hits = [cid for cid, _ in index.keyword_search(stored[5].text, 10)]
        assert stored[5].chunk.chunk_id in hits
        dense = [cid for cid, _ in index.dense_search(matrix[5], 3)]
        assert dense[0] == ids[5]
