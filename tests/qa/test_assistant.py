"""``Assistant`` end to end on the real seed index with the extractive answerer."""

from __future__ import annotations

import re

import pytest

from index import EmptyIndex, LimitExceeded, NewsIndex
from qa import Answer, Assistant
from tests.qa.conftest import assistant_over, qa_settings

QUESTION = "Who is guarding the base near the Qamishli airport now?"


def test_answer_cites_exact_sentences(seed_assistant: Assistant, seed_index: NewsIndex):
    answer = seed_assistant.ask(QUESTION)
    assert not answer.refused and "SDF" in answer.text
    assert answer.citations and answer.passages
    for c in answer.citations:
        assert c.quote == seed_index.get_article(c.article_id).text[c.start : c.end]
    used = sorted({int(n) for n in re.findall(r"\[(\d+)\]", answer.text)})
    assert used == [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert {"retrieve", "answer", "total"} <= set(answer.timings_ms)
    assert answer.to_dict()["citations"][0]["quote"] == answer.citations[0].quote


def test_unanswerable_question_refuses_but_shows_passages(seed_assistant: Assistant):
    answer = seed_assistant.ask("What is the recipe for banana bread?")
    assert answer.refused and answer.citations == ()
    assert answer.text.startswith("The indexed articles don't answer this question")
    assert answer.passages


@pytest.mark.parametrize(
    ("question", "k"),
    [("", None), ("   ", None), ("x" * 1001, None), (QUESTION, 0), (QUESTION, 51)],
)
def test_bad_inputs_raise_limit_exceeded(seed_assistant: Assistant, question, k):
    with pytest.raises(LimitExceeded):
        seed_assistant.ask(question, k=k)


def test_empty_index_says_how_to_ingest(tmp_path, seed_index):
    empty = NewsIndex.open(qa_settings(tmp_path / "empty"), embedder=seed_index.embedder)
    try:
        with pytest.raises(EmptyIndex, match="newsdesk ingest"):
            assistant_over(empty).ask(QUESTION)
    finally:
        empty.close()


def test_stream_yields_text_then_the_final_answer(seed_assistant: Assistant):
    pieces = list(seed_assistant.stream(QUESTION))
    assert isinstance(pieces[-1], Answer) and not pieces[-1].refused
    assert pieces[:-1] and all(isinstance(p, str) for p in pieces[:-1])


def test_as_retriever_returns_documents_with_passage_metadata(seed_assistant: Assistant):
    docs = seed_assistant.as_retriever(k=2).invoke("Khmeimim Air Base")
    assert 1 <= len(docs) <= 2 and "Khmeimim" in docs[0].page_content
    meta = docs[0].metadata
    assert {"article_id", "title", "start", "end", "sentences", "found_by"} <= set(meta)
    with pytest.raises(LimitExceeded):
        seed_assistant.as_retriever(k=0)


def test_fake_marker_in_article_text_creates_no_citation(news_index_of):
    index = news_index_of(
        [
            {
                "title": "Engineers inspect the Mosul dam",
                "body": "Engineers inspected the Mosul dam on the Tigris river on Monday [9]. "
                "Officials said the dam is safe after two years of repairs [3]. "
                "Water levels are lower than last year because of drought.",
                "date": "2026-02-01",
                "source": "Example Times",
            }
        ]
    )
    answer = assistant_over(index).ask("When did engineers inspect the Mosul dam?", k=9)
    assert not answer.refused and "[9]" not in answer.text and "[3]" not in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert all("Mosul dam" in c.quote for c in answer.citations)
