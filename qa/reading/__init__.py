"""Reading: the trained cross-encoder that scores passages and finds answer phrases.

``Reader`` runs a trained folder; ``load_reader`` gives the one the settings name
(shared per process). Training lives beside it: ``questions`` and ``pairs`` build
the data from article text, ``train`` fits, ``export`` writes int8 ONNX,
``calibrate`` turns scores into probabilities, ``build`` runs them in order.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from index.settings import Settings
from qa.reading.reader import SHIPPED, Reader, Reading

__all__ = ["Reader", "Reading", "load_reader"]


def load_reader(settings: Settings) -> Reader:
    """The reader ``settings`` name (the shipped one by default), loaded once per process."""
    return _cached(Path(settings.reader_model or SHIPPED).resolve(), settings.reader_backend)


@lru_cache(maxsize=4)
def _cached(folder: Path, backend: str) -> Reader:
    return Reader(folder, backend=backend)
