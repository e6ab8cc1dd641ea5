"""Timelines end to end on a small hand-made story: a real index (seeds/ plus
``story.RECORDS``), the real embedding model and the default extractive Assistant."""

from __future__ import annotations

import json
from datetime import date

import pytest

from index import NewsIndex
from index.stories import UnknownStory
from qa.models import Answer
from tests.qa.conftest import assistant_over
from tests.qa.timeline.story import EVENTS, TOPIC


@pytest.fixture(scope="module")
def assistant(story_index):
    return assistant_over(story_index)


def lines_of(answer: Answer) -> list[tuple[str, str]]:
    return [(e.date, e.text) for e in answer.timeline]


def assert_cited_exactly(answer: Answer, index: NewsIndex) -> None:
    """Every line cites a quote that slices back out of its article, and the line's
    text is that quote."""
    by_n = {c.n: c for c in answer.citations}
    for event in answer.timeline:
        assert event.citations, event
        for n in event.citations:
            c = by_n[n]
            assert index.get_article(c.article_id).text[c.start : c.end] == c.quote
            assert c.quote == event.text
            assert f"[{n}]" in answer.text


def test_a_timeline_question_gets_dated_chronological_cited_lines(assistant, story_index):
    answer = assistant.ask(f"How did {TOPIC} unfold?")

    assert not answer.refused
    days = [d for d, _ in lines_of(answer)]
    assert days == sorted(days)
    for day, phrase in EVENTS:  # each event on its own day, relative dates resolved
        assert any(d == day and phrase in text for d, text in lines_of(answer)), (day, phrase)
    assert_cited_exactly(answer, story_index)
    # the derailment is told by a syndicated copy, the rail by two outlets: each once
    assert sum("derailed" in t for _, t in lines_of(answer)) == 1
    assert sum("broken rail" in t.lower() for _, t in lines_of(answer)) == 1
    # another story of the same town stays out
    assert not any("library" in t for _, t in lines_of(answer))
    # the answer's text shows the resolved dates, one line each
    assert "(2 September 2024)" in answer.text and "(14 September 2024)" in answer.text
    assert len(answer.text.splitlines()) >= len(answer.timeline)


def test_since_limits_the_events(assistant):
    answer = assistant.ask(f"What happened with {TOPIC} since September 10, 2024?")

    assert [d for d, _ in lines_of(answer)] and all(d >= "2024-09-10" for d, _ in lines_of(answer))
    assert any("Trams returned" in t for _, t in lines_of(answer))


def test_since_a_weekday_counts_back_from_as_of(assistant):
    answer = assistant.ask(f"What happened with {TOPIC} since Wednesday?", as_of=date(2024, 9, 6))

    days = [d for d, _ in lines_of(answer)]
    assert days and all("2024-09-04" <= d <= "2024-09-06" for d in days)  # nothing later read


def test_as_of_leaves_later_articles_out_and_says_how_old_the_evidence_is(assistant):
    answer = assistant.ask(f"Timeline of {TOPIC}", as_of=date(2024, 12, 1))

    assert answer.evidence_as_of == "2024-09-16"
    assert "As of 16 September 2024" in answer.text
    early = assistant.ask(f"Timeline of {TOPIC}", as_of=date(2024, 9, 4))
    assert [d for d, _ in lines_of(early)] == ["2024-09-02"]


def test_timeline_by_article_ids_and_to_dict(assistant, story_index):
    _, page = story_index.list_articles(limit=100)
    ids = [a.article_id for a in page if a.url and "harbin" in a.url]
    timeline = assistant.timeline("the tram", article_ids=ids)

    assert [e.date for e in timeline.events] == sorted(e.date for e in timeline.events)
    assert {e.date for e in timeline.events} >= {d for d, _ in EVENTS}
    assert_cited_exactly(timeline.answer, story_index)
    data = json.loads(json.dumps(timeline.answer.to_dict()))
    assert data["timeline"][0] == {
        "date": "2024-09-02",
        "until": None,
        "text": timeline.events[0].text,
        "citations": [1],
    }


def test_timeline_by_story_id_stays_inside_that_story(assistant, story_index):
    _, page = story_index.list_articles(limit=100)
    tram = next(a.article_id for a in page if a.url and "harbin" in a.url)
    story = next(s for s in story_index.stories() if tram in s.article_ids)

    timeline = assistant.timeline(story.id)

    assert timeline.events
    assert [e.date for e in timeline.events] == sorted(e.date for e in timeline.events)
    assert {c.article_id for c in timeline.answer.citations} <= set(story.article_ids)
    assert_cited_exactly(timeline.answer, story_index)
    with pytest.raises(UnknownStory, match="newsdesk stories"):
        assistant.timeline("s" + "0" * 15)


def test_an_ordinary_question_has_no_timeline(assistant):
    answer = assistant.ask("What caused the Harbin Lane tram derailment?")

    assert not answer.refused and answer.timeline == ()
    assert answer.to_dict()["timeline"] == []


def test_latest_reads_as_of_the_day_asked(assistant):
    now = assistant.ask(
        "How many passengers were injured in the Harbin Lane derailment so far?",
        as_of=date(2024, 9, 20),
    )
    then = assistant.ask(
        "How many passengers were injured in the Harbin Lane derailment so far?",
        as_of=date(2024, 9, 4),
    )

    assert "16" in now.text.split("[", 1)[0]
    assert "14" in then.text.split("[", 1)[0] and "16" not in then.text
    assert all(c.date <= "2024-09-04" for c in then.citations)
