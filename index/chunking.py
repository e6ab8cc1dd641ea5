"""Pack an article's sentences into chunks that fit the embedding model.

A chunk is a run of whole sentences whose token count (with the embedding
model's own tokenizer, passed in as ``count_tokens``) stays within
``max_tokens``, so nothing is silently truncated at embedding time and every
chunk can be quoted back exactly as ``article.text[start:end]``.

Token counts are taken once per sentence and added up: the overhead that
``count_tokens`` adds to any text (``[CLS]``/``[SEP]`` for BERT-style
tokenizers, measured as ``count_tokens("")``) is counted once per chunk. This is
exact for tokenizers that split on whitespace first (WordPiece as in
all-MiniLM-L6-v2, a whitespace counter; a test checks it) and avoids
re-tokenising every candidate chunk. For BPE/SentencePiece models the sum can be
off by about one token per sentence, well inside the model's window when
``chunk_tokens`` is below ``max_seq_length``.

A sentence longer than ``max_tokens`` on its own is cut at word boundaries into
pieces that each fit; those pieces then stand in for the sentence in
``Chunk.sentences`` (so the spans stay ordered, non-overlapping and cover the
sentence). A single word longer than ``max_tokens`` (a pasted URL, say) becomes
a piece of its own, the only case where a chunk can exceed the limit.

Spans given as ``excluded`` (boilerplate lines, see ``index.boilerplate``) are
left out: their sentences are in no chunk, and no chunk runs across them, so a
chunk's text ``article.text[start:end]`` never contains an excluded line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from index.models import Article, Chunk, Span
from index.sentences import split_sentences

_WORD = re.compile(r"\S+")


def _split_long_sentence(
    text: str, span: Span, cost_of: Callable[[str], int], budget: int
) -> list[tuple[Span, int]]:
    """Cut one over-long sentence at word boundaries into (span, cost) pieces."""
    pieces: list[tuple[Span, int]] = []
    piece_start = piece_end = -1
    piece_cost = 0
    for word in _WORD.finditer(text, span[0], span[1]):
        cost = cost_of(word.group())
        if piece_start >= 0 and piece_cost + cost > budget:
            pieces.append(((piece_start, piece_end), piece_cost))
            piece_start = -1
        if piece_start < 0:
            piece_start, piece_cost = word.start(), 0
        piece_end = word.end()
        piece_cost += cost
    pieces.append(((piece_start, piece_end), piece_cost))
    return pieces


def _units(
    article: Article, cost_of: Callable[[str], int], budget: int, excluded: Sequence[Span]
) -> list[tuple[Span, int]]:
    """The sentence spans of the article outside ``excluded``, with their token costs,
    long ones cut."""
    text = article.text
    units: list[tuple[Span, int]] = []
    for start, end in split_sentences(text):
        if _inside(excluded, start, end):
            continue
        cost = cost_of(text[start:end])
        if cost <= budget:
            units.append(((start, end), cost))
        else:
            units.extend(_split_long_sentence(text, (start, end), cost_of, budget))
    return units


def _inside(excluded: Sequence[Span], start: int, end: int) -> bool:
    """True when (start, end) overlaps one of the sorted, disjoint ``excluded`` spans."""
    i = bisect.bisect_right(excluded, (start, float("inf"))) - 1
    if i >= 0 and excluded[i][1] > start:
        return True
    return i + 1 < len(excluded) and excluded[i + 1][0] < end


def _breaks(spans: list[Span], excluded: Sequence[Span]) -> list[bool]:
    """``breaks[i]``: an excluded span lies between unit i-1 and unit i."""
    starts = [s for s, _ in excluded]
    return [
        i > 0 and bisect.bisect_left(starts, spans[i - 1][1]) < bisect.bisect_left(starts, span[0])
        for i, span in enumerate(spans)
    ]


def chunk_article(
    article: Article,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    overlap_sentences: int = 0,
    excluded: Sequence[Span] = (),
) -> list[Chunk]:
    """Split ``article`` into chunks of whole sentences of at most ``max_tokens`` tokens.

    Args:
        article: the article; offsets refer to ``article.text``.
        count_tokens: the embedding tokenizer's count for a string.
        max_tokens: upper bound for one chunk, including the tokenizer's overhead.
        overlap_sentences: sentences repeated at the start of the next chunk
            (fewer when they would not leave room for a new sentence).
        excluded: sorted, disjoint spans to leave out of every chunk.

    Returns:
        Chunks in text order with ids ``f"{article_id}:{index}"``; empty for an
        article with no text.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be positive, got {max_tokens}")
    overhead = count_tokens("")
    budget = max(max_tokens - overhead, 1)

    def cost_of(s: str) -> int:
        return max(count_tokens(s) - overhead, 0)

    excluded = sorted(excluded)
    units = _units(article, cost_of, budget, excluded)
    spans = [span for span, _ in units]
    costs = [cost for _, cost in units]
    breaks = _breaks(spans, excluded)
    chunks: list[Chunk] = []
    i, n = 0, len(units)
    while i < n:
        total, j = costs[i], i + 1
        while j < n and not breaks[j] and total + costs[j] <= budget:
            total += costs[j]
            j += 1
        index = len(chunks)
        chunks.append(
            Chunk(
                chunk_id=f"{article.article_id}:{index}",
                article_id=article.article_id,
                index=index,
                start=spans[i][0],
                end=spans[j - 1][1],
                sentences=tuple(spans[i:j]),
            )
        )
        if j == n:
            break
        # Repeat up to overlap_sentences trailing sentences, never the whole chunk,
        # and only as many as fit together with the next new sentence.
        keep = 0 if breaks[j] else min(overlap_sentences, j - i - 1)
        while keep > 0 and sum(costs[j - keep : j + 1]) > budget:
            keep -= 1
        i = j - keep
    return chunks
