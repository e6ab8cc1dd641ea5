"""Item recall and precision of list answers, as make eval scores evals/lists."""

from __future__ import annotations

import pytest

from qa.eval.dataset import load_dataset
from qa.eval.lists import item_scores, listed_items
from tests.conftest import REPO

GOLD = [["Meta", "Meta Platforms"], ["Amazon"], ["Lyft"]]


@pytest.mark.parametrize(
    ("answer", "items"),
    [
        (
            "- Meta Platforms: “Meta said …” [1]\n- Amazon, Lyft: “…” [2]",
            ["Meta Platforms", "Amazon", "Lyft"],
        ),
        ("Meta: “Meta said it would cut jobs.” [1]", ["Meta"]),
        ("1. Meta [1]\n2. Amazon [2][3]\n", ["Meta", "Amazon"]),
        ("Meta and Amazon cut jobs [1].", ["Meta and Amazon cut jobs."]),
    ],
)
def test_listed_items_are_read_off_each_line(answer, items):
    assert listed_items(answer) == items


def test_recall_counts_gold_items_listed_and_precision_listed_items_that_are_gold():
    answer = "- Meta: “…” [1]\n- Apple, Lyft: “…” [2]"
    assert item_scores(GOLD, answer, refused=False) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert item_scores(GOLD, "The indexed articles don't answer this question.", True) == (
        0.0,
        None,
    )


def test_the_lists_set_has_gold_items_for_every_answerable_question():
    ds = load_dataset(REPO / "evals/lists")
    answerable = [q for q in ds.questions if q.answerable]
    assert len(answerable) >= 10 and all(q.items and len(q.items) >= 2 for q in answerable)
    assert any(not q.answerable for q in ds.questions)
