"""Which questions ask for a timeline or for the latest, and what the timeline is about."""

from __future__ import annotations

from datetime import date

import pytest

from qa.timeline.detect import latest_asked, timeline_asked, without_latest

SAT = date(2025, 11, 8)  # a Saturday


@pytest.mark.parametrize(
    ("question", "topic", "since"),
    [
        ("How did the dock strike unfold?", "the dock strike", None),
        ("How has the Velto recall developed?", "the Velto recall", None),
        ("Give me a timeline of the Brackwell election.", "the Brackwell election", None),
        ("Timeline of the bridge closure", "the bridge closure", None),
        ("What is the chronology of the ferry fire?", "the ferry fire", None),
        (
            "What happened with the factory fire since Monday?",
            "the factory fire",
            date(2025, 11, 3),
        ),
        ("what happened to the bid since March 3?", "the bid", date(2025, 3, 3)),
        ("What has happened in the floods so far?", "the floods", None),
        ("What has happened with the talks?", "the talks", None),
        ("Timeline of the strike since last week", "the strike", date(2025, 10, 27)),
    ],
)
def test_timeline_questions_name_their_topic_and_since_day(question, topic, since):
    asked = timeline_asked(question, SAT)
    assert asked is not None
    assert (asked.topic, asked.since) == (topic, since)


@pytest.mark.parametrize(
    "question",
    [
        "What happened to the missing hiker?",  # one fact about a story
        "How many people died in the flood?",
        "Who won the Brackwell election?",
        "How did the fire start?",
        "What caused the derailment on Monday?",
    ],
)
def test_other_questions_ask_for_no_timeline(question):
    assert timeline_asked(question, SAT) is None


@pytest.mark.parametrize(
    ("question", "latest"),
    [
        ("What is the latest death toll?", True),
        ("How many homes are flooded now?", True),
        ("Who currently leads the talks?", True),
        ("How many kettles were recalled this week?", True),
        ("How many people have died so far?", True),
        ("How many people died in the flood?", False),
        ("Who won the election in 2023?", False),
    ],
)
def test_latest_questions(question, latest):
    assert latest_asked(question) is latest


def test_without_latest_keeps_what_is_asked():
    assert without_latest("What is the latest cost of the repairs now?") == (
        "What is the cost of the repairs ?"
    )
