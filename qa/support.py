"""How well does one article sentence support one answer claim?

``support = (0.5 * cosine + 0.5 * overlap) * names``:

* ``cosine`` of the sentence embeddings catches paraphrase ("guarded by SDF
  fighters" vs "SDF fighters guard it");
* ``overlap`` is the share of the claim's content-word stems
  (``qa.nlp.terms``) that the sentence contains;
* ``names`` is the share of the claim's names and numbers (capitalised words
  after the first, digits) that the sentence contains, so a claim on the
  right topic with a wrong name or figure ("Canadian peacekeepers since
  1990") is not supported. Names match on their first five letters
  ("Russia"/"Russian"); text in parentheses is the answerer's gloss (e.g. a
  resolved date) and is not checked for names.

It judges support, not truth: a sentence that states the claim supports it
even if the article is wrong. Embeddings are cached per text, so re-checking
the same passage sentences costs no model call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from qa.nlp import get_nlp, terms
from qa.text_cache import CachedEncode

Encode = Callable[[list[str]], np.ndarray]  # texts -> (n, dim) float32, L2-normalised

#: Weight of the embedding cosine in the support score (the rest is word overlap).
COSINE_WEIGHT = 0.5
_NAME_PREFIX = 5
_WORD = re.compile(r"[^\W_][\w’'.,-]*[^\W_]|[^\W_]")
_PARENS = re.compile(r"\([^()]*\)")
_CACHE_LIMIT = 4096


def content_stems(text: str) -> set[str]:
    """Content-word stems of ``text`` (stop words and punctuation dropped)."""
    return set(terms(text))


def names_and_numbers(claim: str) -> set[str]:
    """Lower-cased names (capitalised words after the first) and numbers of ``claim``."""
    words = _WORD.findall(_PARENS.sub(" ", claim))
    keys = {w for i, w in enumerate(words) if any(c.isdigit() for c in w) or (i and w[0].isupper())}
    return {k.lower() for k in keys} - get_nlp().Defaults.stop_words


def _share(wanted: set[str], found: set[str]) -> float:
    return len(wanted & found) / len(wanted) if wanted else 0.0


def _names_share(keys: set[str], evidence_words: Iterable[str]) -> float:
    if not keys:
        return 1.0
    words = set(evidence_words)
    prefixes = {w[:_NAME_PREFIX] for w in words if not any(c.isdigit() for c in w)}
    found = [k in words or (not k[0].isdigit() and k[:_NAME_PREFIX] in prefixes) for k in keys]
    return sum(found) / len(keys)


def overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content stems found in the evidence (0 when it has none)."""
    return _share(content_stems(claim), content_stems(evidence))


class SupportScorer:
    """Scores (claim, evidence) pairs, encoding each distinct text once."""

    def __init__(self, encode: Encode, cosine_weight: float = COSINE_WEIGHT) -> None:
        # An assistant hands in its shared qa.text_cache encoder; any other encode gets
        # a cache of its own.
        self._encode = (
            encode if isinstance(encode, CachedEncode) else CachedEncode(encode, _CACHE_LIMIT)
        )
        self.cosine_weight = cosine_weight

    def prepare(self, texts: Iterable[str]) -> None:
        """Encode, in one batch, every text not seen yet (call before ``matrix``)."""
        self._encode(list(dict.fromkeys(texts)))

    def matrix(self, claims: Sequence[str], evidence: Sequence[str]) -> np.ndarray:
        """Support of every claim (rows) by every evidence text (columns)."""
        if not claims or not evidence:
            return np.zeros((len(claims), len(evidence)), dtype=np.float32)
        vectors = self._encode([*claims, *evidence])
        cos = vectors[: len(claims)] @ vectors[len(claims) :].T
        wanted = [content_stems(c) for c in claims]
        found = [content_stems(e) for e in evidence]
        lap = np.array([[_share(w, f) for f in found] for w in wanted], dtype=np.float32)
        keys = [names_and_numbers(c) for c in claims]
        words = [[w.lower() for w in _WORD.findall(e)] for e in evidence]
        names = np.array([[_names_share(k, ws) for ws in words] for k in keys], dtype=np.float32)
        w = self.cosine_weight
        return (w * np.clip(cos, 0.0, 1.0) + (1.0 - w) * lap) * names
