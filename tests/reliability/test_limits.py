"""Documented limits are enforced with clear messages (see docs/reliability.md).

Question length (NEWSDESK_MAX_QUESTION_CHARS), k (1..NEWSDESK_MAX_K), file size
(NEWSDESK_MAX_FILE_MB) and files per ingest (NEWSDESK_MAX_BATCH_FILES): a value
over the limit is refused with LimitExceeded (exit code 7 in the CLI) naming
the limit and the setting; a value at the limit is accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index import LimitExceeded, NewsIndex
from qa import Assistant
from qa.answerers.factory import build_answerer
from qa.retrieval import build_retriever
from tests.reliability.conftest import run_cli, store_settings, write_articles

MAX_QUESTION = 120
MAX_K = 8


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, embedder):
    """A three-article store with small limits, and an Assistant over it."""
    root = tmp_path_factory.mktemp("limits")
    write_articles(root / "news", 3, seed=3)
    settings = store_settings(root / "store", max_question_chars=MAX_QUESTION, max_k=MAX_K)
    index = NewsIndex.open(settings, embedder=embedder)
    index.ingest([root / "news"])
    yield (
        root,
        Assistant(
            index,
            build_retriever(settings, index),
            build_answerer("extractive", settings, index),
            settings,
        ),
    )
    index.close()


def _question(length: int) -> str:
    base = "How much would the harbour and the bridge in Arden cost "
    return (base * (length // len(base) + 1))[: length - 1] + "?"


def test_a_question_at_the_length_limit_is_answered(small) -> None:
    _, assistant = small
    answer = assistant.ask(_question(MAX_QUESTION))
    assert answer.text


@pytest.mark.parametrize(
    "question",
    ["", "   \n\t", _question(MAX_QUESTION + 1)],
    ids=["empty", "whitespace", "one-over"],
)
def test_empty_or_long_questions_are_refused_clearly(small, question: str) -> None:
    _, assistant = small
    with pytest.raises(LimitExceeded) as caught:
        assistant.ask(question)
    message = str(caught.value)
    assert "empty" in message or (
        "NEWSDESK_MAX_QUESTION_CHARS" in message and str(MAX_QUESTION) in message
    )


@pytest.mark.parametrize("k", [1, MAX_K])
def test_k_within_range_is_accepted(small, k: int) -> None:
    _, assistant = small
    assert len(assistant.retrieve("harbour bridge cost", k=k)) <= k


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 10**9, "5", 2.5])
def test_k_out_of_range_is_refused_clearly(small, k) -> None:
    _, assistant = small
    with pytest.raises(LimitExceeded, match=rf"k=.*1 to {MAX_K}.*NEWSDESK_MAX_K"):
        assistant.ask("How much would the harbour cost?", k=k)


def test_cli_refuses_an_over_long_question_and_a_bad_k_with_exit_code_7(small) -> None:
    root, _ = small
    store = root / "store"
    long_q = run_cli(
        ["ask", _question(MAX_QUESTION + 50)], store, cwd=root, max_question_chars=str(MAX_QUESTION)
    )
    assert long_q.returncode == 7 and "Traceback" not in long_q.stderr, long_q.stderr[-2000:]
    assert "NEWSDESK_MAX_QUESTION_CHARS" in long_q.stderr
    big_k = run_cli(["ask", "What did the council say?", "--k", "999"], store, cwd=root)
    assert big_k.returncode == 7 and "Traceback" not in big_k.stderr, big_k.stderr[-2000:]
    assert "NEWSDESK_MAX_K" in big_k.stderr


def _sized(path: Path, size: int) -> Path:
    sentence = "The harbour council met on Monday to discuss the budget for the new bridge. "
    path.write_text((sentence * (size // len(sentence) + 1))[:size], encoding="utf-8")
    return path


def test_files_up_to_max_file_mb_are_read_and_larger_ones_refused(tmp_path, open_store) -> None:
    limit_mb = 0.01  # 10,485 bytes (MB here means MiB, 1024 * 1024 bytes)
    limit = int(limit_mb * 1024 * 1024)
    at_limit = _sized(tmp_path / "at_limit.txt", limit)
    over = _sized(tmp_path / "over.txt", limit + 1)
    index = open_store(tmp_path / "store", max_file_mb=limit_mb)
    report = index.ingest([at_limit, over])
    assert report.articles_added == 1
    [error] = report.errors
    assert error.path == str(over)
    assert "limit" in error.message and "NEWSDESK_MAX_FILE_MB" in error.message


def test_the_size_message_states_the_configured_limit(tmp_path, open_store) -> None:
    over = _sized(tmp_path / "over.txt", 1024 * 1024 + 10)
    report = open_store(tmp_path / "store", max_file_mb=1).ingest([over])
    assert "over the 1 MB limit" in report.errors[0].message, report.errors[0].message


def test_a_batch_over_max_batch_files_is_refused_before_anything_is_written(
    tmp_path, open_store
) -> None:
    write_articles(tmp_path / "news", 5, seed=9)
    index = open_store(tmp_path / "store", max_batch_files=3)
    with pytest.raises(LimitExceeded, match=r"5 files.*NEWSDESK_MAX_BATCH_FILES"):
        index.ingest([tmp_path / "news"])
    assert index.stats()["articles"] == 0


def test_a_batch_at_max_batch_files_is_ingested(tmp_path, open_store) -> None:
    write_articles(tmp_path / "news", 3, seed=9)
    report = open_store(tmp_path / "store", max_batch_files=3).ingest([tmp_path / "news"])
    assert report.articles_added == 3 and not report.errors
