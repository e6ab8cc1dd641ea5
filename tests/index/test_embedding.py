"""The embedder: offline loading, unit vectors, token counts the chunker can trust."""

from __future__ import annotations

import time

import numpy as np
import pytest

from index.embedding import Embedder, canonical_model_name, embedding_text, load_embedder
from index.errors import ModelNotFound
from index.settings import DEFAULT_EMBEDDING_MODEL


def test_default_model_and_short_alias_are_one_model(embedder: Embedder) -> None:
    assert canonical_model_name("all-MiniLM-L6-v2") == DEFAULT_EMBEDDING_MODEL
    assert load_embedder("all-MiniLM-L6-v2") is embedder
    assert embedder.name == DEFAULT_EMBEDDING_MODEL
    assert (embedder.dimension, embedder.max_tokens) == (384, 256)


def test_vectors_are_unit_float32_and_meaningful(embedder: Embedder) -> None:
    texts = [
        "Russian troops withdrew from the base near Qamishli airport.",
        "Russian soldiers left their positions close to the Qamishli airfield.",
        "The recipe needs two cups of flour and a pinch of salt.",
    ]
    vectors = embedder.encode(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > 0.6 > unrelated + 0.3
    assert embedder.encode([]).shape == (0, 384)


def test_batched_encoding_matches_one_at_a_time(embedder: Embedder) -> None:
    texts = [f"Story number {i} about the city council budget vote." for i in range(40)]
    together = embedder.encode(texts)
    alone = np.vstack([embedder.encode([t]) for t in texts[:3]])
    np.testing.assert_allclose(together[:3], alone, atol=1e-5)


def test_token_counts_exclude_special_tokens_and_add_up(embedder: Embedder) -> None:
    assert embedder.count_tokens("") == 0
    a, b = "The Syrian Democratic Forces guard the base.", "Protein powder was left behind."
    assert embedder.count_tokens(a) > 5
    assert embedder.count_tokens(f"{a} {b}") == embedder.count_tokens(a) + embedder.count_tokens(b)


def test_title_header_is_embedded_but_whitespace_collapsed() -> None:
    assert embedding_text("Russia  leaves\nQamishli", "Body text.") == (
        "Russia leaves Qamishli\nBody text."
    )
    assert embedding_text("", "Body text.") == "Body text."


def test_unknown_model_fails_fast_with_a_clear_message() -> None:
    started = time.perf_counter()
    with pytest.raises(ModelNotFound) as err:
        load_embedder("no-such-org/no-such-model").encode(["hello"])
    assert time.perf_counter() - started < 30
    message = str(err.value)
    assert "no-such-org/no-such-model" in message and "NEWSDESK_EMBEDDING_MODEL" in message
