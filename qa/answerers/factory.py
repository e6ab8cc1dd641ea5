"""Build an answerer by name; each backend module is imported only when chosen.

Lazy imports keep ``newsdesk --help`` and Streamlit reruns fast: the llm
backend pulls LangChain chat models, the local one llama-cpp.
"""

from __future__ import annotations

from index.errors import ConfigError
from index.settings import Settings
from qa.answerers.base import Answerer

NAMES = ("extractive", "reader", "local", "llm")


def build_answerer(name: str, settings: Settings, index) -> Answerer:
    """The answerer called ``name`` ("extractive", "reader", "local" or "llm").

    ``index`` (a ``NewsIndex``) lends the extractive answerer its embedder.
    """
    if name == "extractive":
        from qa.answerers.extractive import ExtractiveAnswerer
        from qa.reading import load_reader
        from qa.text_cache import shared_encoder

        return ExtractiveAnswerer(
            shared_encoder(index.embedder), settings, reader=load_reader(settings)
        )
    if name == "reader":
        from qa.answerers.reader import ReaderAnswerer
        from qa.reading import load_reader

        return ReaderAnswerer(load_reader(settings), settings)
    if name == "local":
        from qa.answerers.local import LocalAnswerer

        return LocalAnswerer(settings)
    if name == "llm":
        from qa.answerers.llm import LLMAnswerer

        return LLMAnswerer(settings)
    raise ConfigError(
        f"unknown answerer {name!r} — set NEWSDESK_ANSWERER (or --answerer) to one of "
        + ", ".join(NAMES)
    )
