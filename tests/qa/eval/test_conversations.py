"""The conversation dev set (evals/conversations/) and its scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import DatasetError
from qa.eval.conversations import (
    Conversation,
    Turn,
    answered_right,
    condensed_right,
    load_conversations,
    summarise,
)

SET = Path(__file__).resolve().parents[3] / "evals" / "conversations"


def test_the_dev_set_loads_with_every_kind_of_conversation():
    conversations = load_conversations(SET / "conversations.jsonl")
    assert len(conversations) >= 40
    assert {len(c.turns) for c in conversations} == {1, 2}  # two- and three-turn chats
    assert {"standalone", "pronoun", "other", "ellipsis", "switch"} <= {
        c.type for c in conversations
    }
    assert len({c.id for c in conversations}) == len(conversations)
    corpus = [json.loads(line) for line in (SET / "corpus.jsonl").read_text().splitlines()]
    assert len(corpus) >= 5 and all(r["title"] and r["body"] for r in corpus)


FOLLOW_UP = Conversation(
    id="x",
    type="switch",
    turns=("How many staff is Netflix laying off?", "Who won the final in Melbourne?"),
    question="How old is he?",
    standalone=False,
    expect=("Djokovic",),
    forbid=("Netflix",),
    answers=("36",),
)
STANDALONE = FOLLOW_UP.model_copy(
    update={"question": "How old is Novak Djokovic?", "standalone": True, "expect": ()}
)


@pytest.mark.parametrize(
    ("conv", "searched", "rewritten", "right"),
    [
        (FOLLOW_UP, "How old is Novak Djokovic?", True, True),
        (FOLLOW_UP, "How old is he (Novak Djokovic, Netflix)?", True, False),  # stale topic
        (FOLLOW_UP, "How old is he?", False, False),  # not rewritten
        (FOLLOW_UP, "How old is he (Melbourne)?", True, False),  # misses the referent
        (STANDALONE, "How old is Novak Djokovic?", False, True),
        (STANDALONE, "How old is Novak Djokovic (Melbourne)?", True, False),  # dragged context
    ],
)
def test_condensation_scorer_can_fail(conv, searched, rewritten, right):
    assert condensed_right(conv, searched, rewritten) is right


def test_answer_scorer_and_summary():
    good = Turn("How old is Novak Djokovic?", True, "36", "36 [1]", False, ())
    refused = Turn("How old is Novak Djokovic?", True, "36", "The articles don't say", True, ())
    assert answered_right(FOLLOW_UP, good) and not answered_right(FOLLOW_UP, refused)
    rows = [
        {"type": "a", "condensed_right": True, "answer_right": False, "answer_right_full": True},
        {"type": "b", "condensed_right": False, "answer_right": False, "answer_right_full": False},
    ]
    summary = summarise(rows)
    assert summary["condensation_accuracy"] == 0.5 and summary["answer_accuracy"] == 0.0
    assert summary["by_type"]["a"]["answer_accuracy_full"] == 1.0


def test_a_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "conversations.jsonl"
    good = FOLLOW_UP.model_dump_json()
    path.write_text(good + "\n" + good.replace('"question"', '"questoin"') + "\n")
    with pytest.raises(DatasetError, match=r"conversations.jsonl:2: field '(question|questoin)'"):
        load_conversations(path)
    path.write_text(good.replace('"expect":["Djokovic"]', '"expect":[]') + "\n")
    with pytest.raises(DatasetError, match="conversations.jsonl:1: .*expect"):
        load_conversations(path)
