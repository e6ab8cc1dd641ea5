"""Bounded per-text caches, so a sentence is embedded (or parsed) once per process.

The extractive answerer embeds the sentences of the passages it reads, and the
citation check then scores the quoted ones again; follow-up questions meet the same
passages once more. Sharing one embedding cache per embedder lets every later use of
a sentence skip the model (~1.5 KB per vector).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")
#: Sentence vectors kept per embedder (~30 MB at 384 dimensions).
VECTOR_CACHE_SIZE = 20_000


class TextCache(Generic[T]):
    """A bounded text → value cache that computes all misses in one batch."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, T] = OrderedDict()

    def fill(self, keys: list[str], compute: Callable[[list[str]], list[T]]) -> list[T]:
        missing = [k for k in dict.fromkeys(keys) if k not in self._items]
        if missing:
            self._items.update(zip(missing, compute(missing), strict=True))
        for k in keys:
            self._items.move_to_end(k)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return [self._items[k] for k in keys]


class CachedEncode:
    """``encode(texts) -> (n, dim) array`` that calls the model only for unseen texts."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray], size: int) -> None:
        self._encode = encode
        self.vectors: TextCache[np.ndarray] = TextCache(size)

    def __call__(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack(self.vectors.fill(list(texts), self._compute))

    def _compute(self, texts: list[str]) -> list[np.ndarray]:
        return list(np.asarray(self._encode(texts), dtype=np.float32))


@functools.cache
def shared_encoder(embedder) -> CachedEncode:
    """The one cached encoder of ``embedder`` (an ``index.embedding.Embedder``)."""
    return CachedEncode(embedder.encode, VECTOR_CACHE_SIZE)
