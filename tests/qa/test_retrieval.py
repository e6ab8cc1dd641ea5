"""The retrieval pipeline on a real index: passages, filters, diversity, both searchers."""

from __future__ import annotations

import threading

import pytest

from index import NewsIndex, SearchFilter
from qa.retrieval import HybridRetriever, build_retriever
from qa.retrieval.base import Searcher
from qa.retrieval.dense import DenseSearcher
from qa.retrieval.keyword import KeywordSearcher, content_words

EXTRA = [
    {
        "title": "Bolivia heads to a presidential runoff",
        "body": (
            "Bolivians vote on Sunday in a presidential runoff between two conservative "
            "candidates. Inflation and fuel shortages dominated the campaign. Polls suggest "
            "a close race, and results are expected late on Sunday night."
        ),
        "date": "2026-01-10",
        "source": "Reuters",
        "url": "https://example.com/bolivia",
    },
    {
        "title": "Engineers inspect the Mosul dam",
        "body": (
            "Engineers inspected the Mosul dam on the Tigris river on Monday [9]. Officials "
            "said the dam is safe after two years of repairs. [9] Water levels in the "
            "reservoir are lower than last year because of drought."
        ),
        "date": "2026-02-01",
        "source": "Example Times",
        "url": "https://example.com/dam",
    },
]


@pytest.fixture(scope="module")
def mixed(news_index_of) -> NewsIndex:
    return news_index_of(EXTRA)


def article_of(index: NewsIndex, title_word: str) -> str:
    retr = build_retriever(index.settings, index)
    return next(p.article_id for p in retr.retrieve(title_word, 10) if title_word in p.title)


def test_passages_slice_their_article_and_carry_metadata(seed_index):
    passages = build_retriever(seed_index.settings, seed_index).retrieve(
        "Who guards the base near Qamishli airport?", 3
    )
    assert 1 <= len(passages) <= 3
    assert "guarded by SDF fighters" in passages[0].text
    for p in passages:
        article = seed_index.get_article(p.article_id)
        assert p.text == article.text[p.start : p.end]
        assert p.title == article.title and p.found_by
        assert all(p.start <= s < e <= p.end for s, e in p.sentences)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


def test_a_rare_name_is_found_by_both_searchers(seed_index):
    top = build_retriever(seed_index.settings, seed_index).retrieve("Khmeimim", 1)[0]
    assert "Khmeimim" in top.text and set(top.found_by) == {"dense", "keyword"}


@pytest.mark.parametrize(
    ("flt", "allowed_titles"),
    [
        (SearchFilter(sources=("Reuters",)), {"Bolivia heads to a presidential runoff"}),
        # the user names the outlet differently from the stored "Example Times"
        (SearchFilter(sources=("exampletimes.com",)), {"Engineers inspect the Mosul dam"}),
        (SearchFilter(sources=("ET",)), {"Engineers inspect the Mosul dam"}),
        (
            SearchFilter(since="2026-01-05", until="2026-01-20"),
            {"Bolivia heads to a presidential runoff"},
        ),
        (SearchFilter(since="2026-01-25"), {"Engineers inspect the Mosul dam"}),
    ],
)
def test_filters_exclude_other_articles(mixed, flt, allowed_titles):
    passages = build_retriever(mixed.settings, mixed).retrieve("Russian troops withdraw", 10, flt)
    assert passages and {p.title for p in passages} <= allowed_titles


def test_article_id_filter_keeps_one_article(mixed):
    dam = article_of(mixed, "dam")
    passages = build_retriever(mixed.settings, mixed).retrieve(
        "Russian troops", 10, SearchFilter(article_ids=(dam,))
    )
    assert passages and {p.article_id for p in passages} == {dam}


def test_top_k_holds_at_most_two_chunks_per_article_while_others_exist(mixed):
    retriever = HybridRetriever(mixed, [DenseSearcher(mixed), KeywordSearcher(mixed)])
    passages = retriever.retrieve("Russian forces in Syria and the Tigris dam in Iraq", 4)
    ids = [p.article_id for p in passages]
    assert len(set(ids)) >= 2 and max(ids.count(a) for a in ids) <= 2


class _Meeting(Searcher):
    """A searcher that only searches once the other one has started too."""

    def __init__(self, searcher, meeting: threading.Barrier) -> None:
        self.searcher, self.meeting, self.name = searcher, meeting, searcher.name

    def search(self, query, depth, flt=None):
        self.meeting.wait()  # BrokenBarrierError after the timeout if run one at a time
        return self.searcher.search(query, depth, flt)


def test_both_searches_run_at_once_and_fuse_as_before(seed_index):
    # In server mode each search waits on its own server: run in turn, they add up.
    plain = [DenseSearcher(seed_index), KeywordSearcher(seed_index)]
    meeting = threading.Barrier(2, timeout=20)
    together = HybridRetriever(seed_index, [_Meeting(s, meeting) for s in plain])
    expected = HybridRetriever(seed_index, plain).retrieve("Who guards the Qamishli base?", 5)
    found = together.retrieve("Who guards the Qamishli base?", 5)
    assert [(p.chunk_id, p.found_by) for p in found] == [(p.chunk_id, p.found_by) for p in expected]


def test_keyword_search_sends_content_words_only() -> None:
    # Stopwords match nearly every chunk of a large index and cost the keyword search ~4x
    assert content_words("Who guards the Qamishli base?") == "guards Qamishli base"
    # a question made only of stopwords still searches something
    assert content_words("Who was it?") == "Who was it?"
