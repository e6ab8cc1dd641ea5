"""Chunks: whole sentences, within the token budget, quotable by offsets."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import chunk_article
from index.embedding import Embedder
from index.ids import article_id_for
from index.models import Article, Chunk
from index.sentences import split_sentences
from tests.conftest import SEEDS
from tests.index.test_sentences import TEXT, check_spans


def words(text: str) -> int:
    return len(text.split())


def article_of(text: str) -> Article:
    return Article(article_id=article_id_for(text), title="t", text=text)


@pytest.fixture(scope="module")
def seed() -> Article:
    [path] = sorted(SEEDS.glob("*.txt"))
    return article_of(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def minilm_count_tokens(embedder: Embedder) -> Callable[[str], int]:
    """The embedding model's own tokenizer (``SentenceTransformer(...).tokenizer``)."""
    tokenizer = embedder.model.tokenizer
    return lambda text: len(tokenizer(text)["input_ids"])  # with [CLS] and [SEP]


def check_chunks(
    article: Article, chunks: list[Chunk], count: Callable[[str], int], max_tokens: int
) -> None:
    text = article.text
    for index, chunk in enumerate(chunks):
        assert chunk.chunk_id == f"{article.article_id}:{index}" and chunk.index == index
        assert chunk.article_id == article.article_id
        assert (chunk.start, chunk.end) == (chunk.sentences[0][0], chunk.sentences[-1][1])
        body = chunk.text_of(article)
        assert body and body == body.strip()
        check_spans(text, list(chunk.sentences), whole_text=False)
        if len(chunk.sentences) > 1 or len(body.split()) > 1:  # one huge word may not fit
            assert count(body) <= max_tokens, body


def test_seed_packs_whole_sentences(seed: Article) -> None:
    chunks = chunk_article(seed, words, max_tokens=60)
    check_chunks(seed, chunks, words, 60)
    sentences = split_sentences(seed.text)
    assert [s for c in chunks for s in c.sentences] == sentences  # each sentence once, in order
    for chunk, following in itertools.pairwise(chunks):  # packed: the next sentence did not fit
        s, e = following.sentences[0]
        assert words(chunk.text_of(seed)) + words(seed.text[s:e]) > 60
    assert chunk_article(seed, words, max_tokens=10_000)[0].text_of(seed) == seed.text


def test_overlap_repeats_trailing_sentences(seed: Article) -> None:
    plain = chunk_article(seed, words, max_tokens=80)
    overlapping = chunk_article(seed, words, max_tokens=80, overlap_sentences=1)
    assert len(overlapping) > len(plain)
    for before, after in itertools.pairwise(overlapping):
        assert after.sentences[0] == before.sentences[-1]
        assert after.sentences[-1] > before.sentences[-1]  # always something new
    check_chunks(seed, overlapping, words, 80)


def test_overlap_never_stalls_when_sentences_barely_fit(seed: Article) -> None:
    longest = max(words(seed.text[s:e]) for s, e in split_sentences(seed.text))
    chunks = chunk_article(seed, words, max_tokens=longest, overlap_sentences=3)
    covered = {s for c in chunks for s in c.sentences}
    assert covered == set(split_sentences(seed.text))


def test_long_sentence_is_cut_at_word_boundaries() -> None:
    text = "Short one. " + " ".join(f"word{i}" for i in range(95)) + " end. Last sentence."
    article = article_of(text)
    chunks = chunk_article(article, words, max_tokens=20)
    check_chunks(article, chunks, words, 20)
    pieces = [article.text[s:e] for c in chunks for s, e in c.sentences]
    assert " ".join(pieces) == text.strip()
    assert all(words(p) <= 20 for p in pieces)


def test_single_word_over_budget_gets_its_own_chunk() -> None:
    url = "https://example.com/" + "a" * 300
    article = article_of(f"See {url} for details. Thanks.")
    chunks = chunk_article(article, len, max_tokens=40)  # count characters
    assert url in [c.text_of(article) for c in chunks]


def test_empty_article_has_no_chunks() -> None:
    assert chunk_article(article_of(""), words, max_tokens=10) == []


def test_real_tokenizer_budget_is_respected(
    seed: Article, minilm_count_tokens: Callable[[str], int]
) -> None:
    chunks = chunk_article(seed, minilm_count_tokens, max_tokens=64, overlap_sentences=1)
    check_chunks(seed, chunks, minilm_count_tokens, 64)
    sizes = [minilm_count_tokens(c.text_of(seed)) for c in chunks]
    assert max(sizes) <= 64 and sum(sizes) / len(sizes) > 40  # packed, not one per sentence


def test_store_token_count_gives_exact_sizes(seed: Article, embedder: Embedder) -> None:
    """Summed sentence counts equal the count of the joined chunk (no special tokens)."""
    for chunk in chunk_article(seed, embedder.count_tokens, max_tokens=128):
        summed = sum(embedder.count_tokens(seed.text[s:e]) for s, e in chunk.sentences)
        assert embedder.count_tokens(chunk.text_of(seed)) == summed <= 128


@settings(max_examples=100, deadline=None)
@given(text=TEXT, max_tokens=st.integers(1, 30), overlap=st.integers(0, 3))
def test_any_text_chunks_cover_every_sentence(text: str, max_tokens: int, overlap: int) -> None:
    article = article_of(text)
    chunks = chunk_article(article, words, max_tokens=max_tokens, overlap_sentences=overlap)
    check_chunks(article, chunks, words, max_tokens)

    def words_covered(spans: list[tuple[int, int]]) -> set[int]:
        return {i for s, e in spans for i in range(s, e) if not text[i].isspace()}

    in_chunks = [span for chunk in chunks for span in chunk.sentences]
    assert words_covered(in_chunks) == words_covered(split_sentences(text))
