"""The ``local`` answerer with the real packaged SmolLM2-135M GGUF on the CPU.

Quality is not asserted (the 135M model is weak, see LocalAnswerer's
docstring); what is: a draft comes out, streaming adds up to it, prompts that
would overflow the 2048-token context are trimmed instead of crashing, and a
missing model says how to fix it.
"""

from __future__ import annotations

import pytest

from index.errors import ModelNotFound
from index.settings import Settings
from qa.answerers.base import Draft
from qa.answerers.local import N_CTX, LocalAnswerer
from qa.models import Passage
from qa.prompt import answer_messages
from tests.qa.llm_server import QUESTION, seed_passages


@pytest.fixture(scope="module")
def local() -> LocalAnswerer:
    # one thread: the suite shares 2 cores with other jobs, where 2 threads crawl (see docstring)
    return LocalAnswerer(Settings(local_model_path=None), max_tokens=48, n_threads=1)


@pytest.mark.slow  # 20-40 s on a busy 2-core machine (prompt reading dominates)
def test_draft_from_a_tiny_passage_set(local: LocalAnswerer) -> None:
    draft = local.draft(QUESTION, seed_passages(2))
    assert isinstance(draft, Draft) and draft.text.strip()


def test_stream_pieces_add_up_to_the_draft(local: LocalAnswerer) -> None:
    items = list(local.stream(QUESTION, seed_passages(2)))
    pieces, final = items[:-1], items[-1]
    assert len(pieces) >= 3 and final.text == "".join(pieces).strip()


def test_passages_beyond_the_context_window_are_dropped_lowest_ranked_first(
    local: LocalAnswerer,
) -> None:
    long_text = "The ceasefire was extended for another fifteen days by both sides. " * 40
    many = [
        Passage(
            chunk_id=f"a:{i}",
            article_id="a",
            title="t",
            text=long_text,
            start=0,
            end=len(long_text),
            score=1.0,
            date="2025-01-28",
        )
        for i in range(12)
    ]
    request = local._request(QUESTION, many)
    kept = request["messages"][1]["content"].count("</passage>")
    assert 1 <= kept < len(many)
    assert request["messages"] == answer_messages(QUESTION, many[:kept])
    assert local._tokens(request["messages"]) <= N_CTX - local.max_tokens


def test_missing_model_file_says_what_to_set(tmp_path) -> None:
    with pytest.raises(ModelNotFound, match="NEWSDESK_LOCAL_MODEL_PATH=.*missing.gguf"):
        LocalAnswerer(Settings(local_model_path=tmp_path / "missing.gguf"))
