"""Question → passages: dense + keyword search, fused, diversified (see pipeline.py)."""

from qa.retrieval.base import Retriever, Searcher
from qa.retrieval.pipeline import HybridRetriever, build_retriever

__all__ = ["HybridRetriever", "Retriever", "Searcher", "build_retriever"]
