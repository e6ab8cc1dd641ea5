"""One index of seeds/ plus the hand-made story (``story.RECORDS``) for the timeline
tests, built once per session; treat it as read-only."""

from __future__ import annotations

import pytest

from index import NewsIndex
from tests.qa.timeline.story import RECORDS


@pytest.fixture(scope="session")
def story_index(news_index_of) -> NewsIndex:
    return news_index_of(RECORDS)
