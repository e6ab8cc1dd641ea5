"""Rerankers: reorder the fused passages by reading them with the question.

``ReaderReranker`` (the default) uses newsdesk's own reader (``qa.reading``): one
encoder pass per passage, whose span reading the extractive answerer then reuses.
``CrossEncoderReranker`` runs any other sentence-transformers cross-encoder a user
has on disk (``NEWSDESK_RERANKER``); sentence-transformers is imported lazily.
Both read the first ``depth`` passages and keep the rest in their order below them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import replace

from index.errors import ModelNotFound
from qa.models import Passage

#: Weight of the prior (fused + recency) order in the reader's reranking score, as a
#: bonus of PRIOR / (rank + 1) logits (measured: see qa/retrieval/pipeline.py).
PRIOR = 1.0


class Reranker(ABC):
    """Rescores (query, passage) pairs jointly and reorders the first ``depth``."""

    def __init__(self, depth: int = 30) -> None:
        self.depth = depth

    @abstractmethod
    def scores(self, query: str, passages: Sequence[Passage]) -> list[float]:
        """One score per passage, higher is better."""

    def rerank(self, query: str, passages: Sequence[Passage]) -> list[Passage]:
        """The first ``depth`` passages by score, then the rest in their given order."""
        head, tail = list(passages[: self.depth]), list(passages[self.depth :])
        if not head:
            return tail
        scores = self.scores(query, head)
        rescored = [replace(p, score=float(s)) for p, s in zip(head, scores, strict=True)]
        rescored.sort(key=lambda p: -p.score)
        return rescored + tail


class ReaderReranker(Reranker):
    """The reader's relevance logit plus a small bonus for the fused order."""

    def __init__(self, reader, depth: int = 30, prior: float = PRIOR) -> None:
        super().__init__(depth)
        self.reader = reader  # qa.reading.Reader
        self.prior = prior

    def scores(self, query: str, passages: Sequence[Passage]) -> list[float]:
        readings = self.reader.read(query, [p.text for p in passages], passage_sentences(passages))
        return [r.relevance + self.prior / (rank + 1) for rank, r in enumerate(readings)]


class CrossEncoderReranker(Reranker):
    """A sentence-transformers ``CrossEncoder`` loaded from a local name or path."""

    def __init__(self, model: str, depth: int = 20) -> None:
        super().__init__(depth)
        self.model_name = model
        self._model = None

    def _load(self):
        if self._model is None:
            from sentence_transformers import CrossEncoder

            try:
                self._model = CrossEncoder(self.model_name, device="cpu")
            except Exception as exc:  # OSError / HF errors when weights are not on disk
                raise ModelNotFound(
                    f"cannot load reranker {self.model_name!r} offline: {exc} — set "
                    "NEWSDESK_RERANKER to a local cross-encoder folder, or unset it"
                ) from exc
        return self._model

    def scores(self, query: str, passages: Sequence[Passage]) -> list[float]:
        return [float(s) for s in self._load().predict([(query, p.text) for p in passages])]


def passage_sentences(passages: Sequence[Passage]) -> list[list[tuple[int, int]]]:
    """Each passage's sentence spans as offsets into the passage text (not the article)."""
    return [[(s - p.start, e - p.start) for s, e in p.sentences] for p in passages]
