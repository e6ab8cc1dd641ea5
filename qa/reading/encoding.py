"""Tokenise (question, text) pairs the same way for training, export and answering.

Uses the model's own ``tokenizer.json`` through the ``tokenizers`` library (fast,
no transformers import at answer time), keeping each token's character offsets into
the text so a predicted span maps back to an exact slice of the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

TOKENIZER_FILE = "tokenizer.json"


@dataclass(frozen=True)
class Batch:
    """Padded model inputs and, per row, where each text token sits in its text."""

    input_ids: np.ndarray  # int64 [rows, seq]
    attention_mask: np.ndarray  # int64 [rows, seq]
    token_type_ids: np.ndarray  # int64 [rows, seq]
    context: np.ndarray  # bool [rows, seq]: token belongs to the text (not question/special)
    offsets: list[list[tuple[int, int]]]  # per row, per token: (start, end) into the text


@lru_cache(maxsize=4)
def load_tokenizer(path: str, max_length: int):
    """The fast tokenizer at ``path`` with pair truncation to ``max_length`` tokens."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(path)
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer


def encode(tokenizer_file: Path, max_length: int, question: str, texts: Sequence[str]) -> Batch:
    """Encode ``question`` against each of ``texts``, padded to the longest row."""
    return encode_pairs(tokenizer_file, max_length, [(question, t) for t in texts])


def encode_pairs(tokenizer_file: Path, max_length: int, pairs: Sequence[tuple[str, str]]) -> Batch:
    """Encode (question, text) pairs, padded to the longest row."""
    tokenizer = load_tokenizer(str(tokenizer_file), max_length)
    encodings = tokenizer.encode_batch(list(pairs))
    width = max((len(e.ids) for e in encodings), default=1)
    rows = len(encodings)
    ids = np.zeros((rows, width), dtype=np.int64)
    mask = np.zeros((rows, width), dtype=np.int64)
    types = np.zeros((rows, width), dtype=np.int64)
    context = np.zeros((rows, width), dtype=bool)
    offsets = []
    for r, e in enumerate(encodings):
        n = len(e.ids)
        ids[r, :n] = e.ids
        mask[r, :n] = 1
        types[r, :n] = e.type_ids
        seq = e.sequence_ids
        context[r, :n] = [s == 1 for s in seq]
        offsets.append([tuple(o) if s == 1 else (0, 0) for o, s in zip(e.offsets, seq)])
    return Batch(ids, mask, types, context, offsets)


def token_span(offsets: list[tuple[int, int]], context: np.ndarray, start: int, end: int):
    """Token indices (first, last) covering characters [start, end), or None if cut off."""
    first = last = None
    for i, (s, e) in enumerate(offsets):
        if not context[i]:
            continue
        if first is None and e > start:
            first = i
        if s < end:
            last = i
    if first is None or last is None or last < first or offsets[first][0] >= end:
        return None
    return first, last
