"""Optional cross-encoder reranking (``settings.reranker``; off by default).

No cross-encoder ships with offline weights on PyPI (see MODELS.md), so this
only runs for users who point ``NEWSDESK_RERANKER`` at a model they have
(a local folder or a cached hub name). sentence-transformers is imported
lazily so a default install never pays for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from index.errors import ModelNotFound
from qa.models import Passage


class CrossEncoderReranker:
    """Rescores (query, passage) pairs jointly and reorders the candidates."""

    def __init__(self, model: str, max_candidates: int = 20) -> None:
        self.model_name = model
        self.max_candidates = max_candidates  # cross-encoders cost ~one forward pass per pair
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

    def rerank(self, query: str, passages: Sequence[Passage]) -> list[Passage]:
        """Reorder the first ``max_candidates`` passages by cross-encoder score."""
        head, tail = list(passages[: self.max_candidates]), list(passages[self.max_candidates :])
        if not head:
            return tail
        scores = self._load().predict([(query, p.text) for p in head])
        rescored = [replace(p, score=float(s)) for p, s in zip(head, scores, strict=True)]
        rescored.sort(key=lambda p: -p.score)
        return rescored + tail
