"""The chat window shows a timeline as a dated vertical list whose citations link to
their source cards, and asks as of a day (AppTest; real Assistant, model and Chroma)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from index import NewsIndex, Settings
from tests.qa.timeline.story import RECORDS, TOPIC
from tests.ui.test_app import ask, html_of, open_app

QUESTION = f"How did {TOPIC} unfold?"


@pytest.fixture
def story_store(seeded_store: Path) -> Path:
    extra = seeded_store.parent / "harbin.json"
    extra.write_text(json.dumps(RECORDS), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=seeded_store, chroma_url=None)) as index:
        assert not index.ingest([extra]).errors
    return seeded_store


def timeline_of(markup: str) -> list[str]:
    """The dates of the timeline's events, top to bottom."""
    return re.findall(r'<span class="nd-tl-date">([^<]+)</span>', markup)


def test_the_chat_window_shows_a_timeline_with_dates_and_linked_citations(story_store):
    at = ask(open_app(), QUESTION)

    markup = html_of(at)
    assert '<ol class="nd-timeline">' in markup
    days = timeline_of(markup)
    assert days[0] == "2 September 2024" and "14 September 2024" in days
    assert len(days) >= 3
    # each [n] is a link to a source card on the page
    links = re.findall(r'href="#(cite-1-\d+)"', markup)
    assert links and all(f'id="{anchor}"' in markup for anchor in links)
    assert "“A tram derailed on Harbin Lane in Ossbury on Monday" in markup
    assert not at.error


def test_asking_as_of_a_day_leaves_later_news_out(story_store):
    at = open_app()
    at.date_input(key="nd_as_of").set_value(date(2024, 9, 6)).run()
    at = ask(at, QUESTION)

    assert timeline_of(html_of(at)) == ["2 September 2024", "4 September 2024"]
