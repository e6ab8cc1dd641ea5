"""Scoring of timeline and latest questions (qa.eval.news) on hand-built answers."""

from __future__ import annotations

from qa.eval.news import NewsRun, score_news
from qa.models import Answer, TimelineEvent

TIMELINE_Q = {
    "type": "timeline",
    "since": "2025-03-02",
    "events": [
        {"date": "2025-03-02", "phrases": ["dam collapse"]},
        {"date": "2025-03-04", "phrases": ["toll rose", "rose to 15"]},
        {"date": "2025-03-09", "phrases": ["shelters closed"]},
    ],
}


def line(day: str, text: str, n: int, until: str | None = None) -> TimelineEvent:
    return TimelineEvent(day, text, (n,), until)


def test_event_recall_counts_day_and_phrase_and_order_counts_pairs():
    answer = Answer(
        "…",
        False,
        timeline=(
            line("2025-03-04", "The toll rose to 15.", 1),
            line("2025-03-02", "A dam collapse flooded the valley.", 2),
            line("2025-03-08", "The shelters closed.", 3),  # right phrase, wrong day
        ),
    )
    scores = score_news(TIMELINE_Q, answer)
    assert scores["event_recall"] == 2 / 3
    assert scores["order"] == 0.0  # the two found events are listed the wrong way round
    assert scores["in_range"] is True


def test_a_range_line_holds_the_gold_day_and_lines_before_since_are_out_of_range():
    answer = Answer(
        "…",
        False,
        timeline=(
            line("2025-02-20", "Engineers warned about the dam.", 1),
            line("2025-03-03", "The shelters closed last week.", 2, until="2025-03-09"),
        ),
    )
    scores = score_news(TIMELINE_Q, answer)
    assert scores["event_recall"] == 1 / 3 and scores["order"] is None
    assert scores["in_range"] is False


def test_latest_led_reads_the_lead_and_age_noted_only_counts_stale_items():
    q = {"type": "latest", "latest": "140", "stale": True}
    led = Answer("140 (Radio, 12 February 2025): “… 140 …” [1]", False, short="140")
    assert score_news(q, led) == {"latest_led": True, "age_noted": False}
    quoted = Answer("Voters: “… cut to 140 votes.” [1]", False, evidence_as_of="2025-02-12")
    assert score_news(q, quoted) == {"latest_led": True, "age_noted": True}
    later = Answer("80: “… flooding 80 homes.” [1] and 140 [2]", False)
    assert score_news({"type": "latest", "latest": "140"}, later)["latest_led"] is False


def test_rates_skip_metrics_that_do_not_apply():
    rows = [
        {"type": "timeline", "scores": {"event_recall": 1.0, "order": 1.0, "in_range": None}},
        {"type": "timeline", "scores": {"event_recall": 0.5, "order": None, "in_range": None}},
    ]
    rates = NewsRun("news", rows).rates()["timeline"]
    assert rates == {"n": 2, "event_recall": 0.75, "order": 1.0, "in_range": None}
