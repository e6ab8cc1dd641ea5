"""The shared sentence-vector cache: each distinct text reaches the model once."""

from __future__ import annotations

import numpy as np

from qa.text_cache import CachedEncode, TextCache, shared_encoder


def test_only_unseen_texts_reach_the_model_in_one_batch():
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts])

    cached = CachedEncode(encode, size=10)
    first = cached(["a", "bb", "a"])
    again = cached(["bb", "ccc"])
    assert calls == [["a", "bb"], ["ccc"]]
    assert first.shape == (3, 2) and first.dtype == np.float32
    assert np.array_equal(first[1], again[0])
    assert cached([]).shape[0] == 0


def test_the_oldest_texts_are_dropped_past_the_size():
    cache: TextCache[int] = TextCache(2)
    cache.fill(["a", "b"], lambda ks: [1] * len(ks))
    cache.fill(["a", "c"], lambda ks: [2] * len(ks))  # "b" is now the oldest
    recomputed: list[str] = []
    cache.fill(["a", "b"], lambda ks: recomputed.extend(ks) or [3] * len(ks))
    assert recomputed == ["b"]


def test_answerer_and_citation_check_share_one_cache(seed_assistant):
    shared = shared_encoder(seed_assistant.index.embedder)
    answer = seed_assistant.ask("Who is guarding the base near the Qamishli airport?")
    assert not answer.refused
    # the quote the citation check scored went into the one process-wide cache
    assert answer.citations[0].quote in shared.vectors._items
    assert seed_assistant.citer.scorer._encode is shared
