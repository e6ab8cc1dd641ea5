"""Questions about the latest news prefer passages dated inside the window they name."""

from __future__ import annotations

import datetime as dt

import pytest

from qa.models import Passage
from qa.retrieval.recency import prefer_recent, window_days


def _passage(chunk_id: str, date: str | None, score: float) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        article_id=chunk_id,
        title=chunk_id,
        text="text",
        start=0,
        end=4,
        score=score,
        date=date,
    )


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("Which company announced layoffs this week?", 8),
        ("What did the mayor say yesterday?", 2),
        ("Who is the latest tech giant to cut jobs?", 14),
        ("Who guards the Qamishli base?", 14),  # no time named: "recently"
    ],
)
def test_window_days(question, days):
    assert window_days(question) == days


def test_this_week_moves_a_fresh_story_above_an_old_one():
    old = _passage("old", "2022-09-19", 0.033)  # ranked first by both searchers
    fresh = _passage("fresh", "2023-01-04", 0.030)
    undated = _passage("undated", None, 0.031)
    ranked = prefer_recent(
        [old, undated, fresh], "Who was laid to rest this week?", dt.date(2023, 1, 5)
    )
    assert [p.chunk_id for p in ranked] == ["fresh", "old", "undated"]
    # a question that names no time looks two weeks back
    default = prefer_recent([old, undated, fresh], "Who was laid to rest?", dt.date(2023, 1, 5))
    assert [p.chunk_id for p in default] == ["fresh", "old", "undated"]
    # an archive with nothing inside the window keeps the searchers' order
    later = prefer_recent([old, undated, fresh], "Who was laid to rest?", dt.date(2023, 6, 1))
    assert [p.chunk_id for p in later] == ["old", "undated", "fresh"]


def test_stories_after_the_reference_date_get_no_bonus():
    later = _passage("later", "2023-01-09", 0.030)
    first = _passage("first", "2022-12-01", 0.031)
    ranked = prefer_recent([first, later], "What happened this week?", dt.date(2023, 1, 5))
    assert [p.chunk_id for p in ranked] == ["first", "later"]
