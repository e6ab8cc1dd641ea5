"""The ``llm`` answerer meets a conflict: told in its prompt, and its answer checked the same way.

A REAL OpenAI-compatible server (llama.cpp + SmolLM2-135M, tests/qa/llm_server.py) over
the hand-made articles of test_news_check. The tiny model writes poor answers; what is
checked is the wiring: the answerer receives newsdesk's note that the sources disagree,
and whatever it writes, the final answer lists the disagreement with both values, each
cited by a quote that states it and slices back to its article.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from index.settings import Settings
from qa import Assistant
from qa.answerers.llm import LLMAnswerer
from qa.models import Passage
from qa.retrieval import build_retriever
from tests.qa.llm_server import MODEL_NAME, llm_server  # noqa: F401 (fixture)
from tests.qa.news.test_news_check import RECORDS
from tests.qa.test_llm_answerer import check_citations

QUESTION = "How many crew members were hurt in the Kelso ferry fire?"


class NoteTaker(LLMAnswerer):
    """The real ``llm`` answerer, keeping the notes each draft was briefed with."""

    seen: list[list[str]]

    def draft(self, question: str, passages: Sequence[Passage], notes: Sequence[str] = ()):
        self.seen.append(list(notes))
        return super().draft(question, passages, notes)


@pytest.mark.slow
def test_llm_answer_is_briefed_and_lists_both_sides(news_index_of, llm_server: str) -> None:  # noqa: F811
    index = news_index_of(RECORDS)
    settings = index.settings.model_copy(update={"news_reads": 5})
    answerer = NoteTaker(
        Settings(llm=MODEL_NAME, llm_base_url=llm_server, llm_timeout_s=300), max_tokens=64
    )
    answerer.seen = []
    assistant = Assistant(index, build_retriever(settings, index), answerer, settings)
    answer = assistant.ask(QUESTION, k=3)
    [notes] = answerer.seen
    assert any("disagree" in n and "Eight" in n and "11" in n for n in notes)
    check_citations(answer, index)
    [flag] = answer.disagreements
    assert {v.lower() for v in flag.values} == {"eight", "11"}
    quotes = {c.n: c.quote for c in answer.citations}
    for value, n in zip(flag.values, flag.citations, strict=True):
        assert value in quotes[n]
