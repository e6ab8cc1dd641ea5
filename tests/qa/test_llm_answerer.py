"""The ``llm`` answerer against a REAL OpenAI-compatible server (llama.cpp + SmolLM2-135M).

The 135M model's answers are poor; what is checked here is the protocol:
LangChain's ChatOpenAI talks HTTP to the server, streaming delivers several
pieces that add up to the draft, failures become LLMUnavailable quickly, and
the full ``Assistant`` pipeline turns whatever the model wrote into a
consistent Answer (citations slice their articles exactly, markers map to
citations). Note: SmolLM2-135M seldom writes [n] markers at all, so those
end-to-end answers are mostly refusals or uncited text that the citation
layer drops; marker mapping with real markers is covered by test_citations.py.
"""

from __future__ import annotations

import re
import socket
import time

import pytest

from index import NewsIndex
from index.errors import ConfigError, LLMUnavailable
from index.settings import Settings
from qa import Answer, Assistant
from qa.answerers.base import Draft
from qa.answerers.llm import LLMAnswerer
from qa.retrieval import build_retriever
from tests.qa.llm_server import (  # noqa: F401 (llm_server is a fixture)
    MODEL_NAME,
    QUESTION,
    free_port,
    llm_server,
    seed_passages,
)


@pytest.fixture(scope="module")
def answerer(llm_server: str) -> LLMAnswerer:  # noqa: F811 (fixture injection)
    # generous timeout: on a shared 2-core machine a cold 600-token prompt can take a minute
    settings = Settings(llm=MODEL_NAME, llm_base_url=llm_server, llm_timeout_s=300)
    return LLMAnswerer(settings, max_tokens=64)


@pytest.mark.slow
def test_stream_over_http_yields_pieces_that_make_the_draft(answerer: LLMAnswerer) -> None:
    items = list(answerer.stream(QUESTION, seed_passages(2)))
    pieces, final = items[:-1], items[-1]
    assert isinstance(final, Draft)
    assert len(pieces) >= 3 and all(isinstance(p, str) and p for p in pieces)
    assert final.text == "".join(pieces).strip() and final.text


def test_draft_over_http_has_text(answerer: LLMAnswerer) -> None:
    draft = answerer.draft(QUESTION, seed_passages(2))  # same prompt: the server reuses its cache
    assert draft.text.strip()


@pytest.mark.slow
def test_condense_over_http_returns_a_question(answerer: LLMAnswerer) -> None:
    history = [("Who guards the base near Qamishli Airport?", "SDF fighters guard it [1].")]
    condensed = answerer.condense("Since when?", history)
    assert condensed and condensed.strip()


def test_http_error_becomes_llm_unavailable(llm_server: str) -> None:  # noqa: F811
    wrong_path = Settings(llm=MODEL_NAME, llm_base_url=f"{llm_server}/no-such-api")
    with pytest.raises(LLMUnavailable, match="NEWSDESK_LLM_BASE_URL"):
        LLMAnswerer(wrong_path, max_tokens=8).draft(QUESTION, seed_passages(1))


@pytest.mark.parametrize("call", ["draft", "stream", "condense"])
def test_unreachable_server_fails_fast_with_what_to_check(call: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    answerer = LLMAnswerer(Settings(llm=MODEL_NAME, llm_base_url=url, llm_timeout_s=5))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as err:
        if call == "draft":
            answerer.draft(QUESTION, seed_passages(1))
        elif call == "stream":
            list(answerer.stream(QUESTION, seed_passages(1)))
        else:
            answerer.condense("Since when?", [(QUESTION, "SDF fighters [1].")])
    assert time.monotonic() - started < 10  # no retry storm: one quick retry at most
    assert url in str(err.value) and "server is running" in str(err.value)


def test_silent_server_times_out_into_llm_unavailable() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        answerer = LLMAnswerer(Settings(llm=MODEL_NAME, llm_base_url=url, llm_timeout_s=1))
        started = time.monotonic()
        with pytest.raises(LLMUnavailable, match="Timeout.*NEWSDESK_LLM_TIMEOUT_S"):
            answerer.draft(QUESTION, seed_passages(1))
    assert time.monotonic() - started < 10  # 1 s timeout, one retry with backoff


def test_missing_model_setting_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="set NEWSDESK_LLM"):
        LLMAnswerer(Settings(llm=None, llm_base_url=None))
    with pytest.raises(ConfigError, match="NEWSDESK_LLM is not set"):
        LLMAnswerer(Settings(llm=None, llm_base_url="http://127.0.0.1:9/v1"))


def test_unknown_provider_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="NEWSDESK_LLM='nosuchprovider:model'"):
        LLMAnswerer(Settings(llm="nosuchprovider:model"))


@pytest.fixture(scope="module")
def llm_assistant(seed_index: NewsIndex, answerer: LLMAnswerer) -> Assistant:
    """The real pipeline over the seeds (shared session index) with the server-backed answerer."""
    settings = seed_index.settings
    return Assistant(seed_index, build_retriever(settings, seed_index), answerer, settings)


def check_citations(answer: Answer, index: NewsIndex) -> None:
    """Every citation slices its article exactly; every marker in the text has a citation."""
    for c in answer.citations:
        article = index.get_article(c.article_id)
        assert article is not None and article.text[c.start : c.end] == c.quote and c.quote
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}
    assert answer.text.strip() and answer.passages
    assert answer.refused == (not answer.citations)


@pytest.mark.slow
def test_assistant_ask_with_llm_returns_checked_citations(
    llm_assistant: Assistant, seed_index: NewsIndex
) -> None:
    answer = llm_assistant.ask(QUESTION, k=2)
    check_citations(answer, seed_index)


def test_assistant_stream_with_llm_ends_in_a_checked_answer(
    llm_assistant: Assistant, seed_index: NewsIndex
) -> None:
    items = list(llm_assistant.stream(QUESTION, k=2))  # same prompt as ask: the server's cache
    pieces, final = items[:-1], items[-1]
    assert isinstance(final, Answer) and len(pieces) >= 3
    check_citations(final, seed_index)
