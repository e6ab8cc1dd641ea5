""" "Latest" questions answer from the newest report of the same fact, not the newest
article: a real index (seeds/ plus the records below), the real embedding model and the
default extractive Assistant. The kettle story has a later figure for the asked fact (an
update) and, later still, an article of the same story that counts something else (a
neighbouring fact that must not become the answer)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.qa.conftest import assistant_over

RECORDS = [
    {
        "title": "Brightline recalls kettles",
        "source": "Home Wire",
        "date": "2024-04-08",
        "url": "https://example.test/kettles-1",
        "body": "Brightline recalled 40,000 kettles on Monday after reports that their handles "
        "overheat. Owners can return them to any shop.",
    },
    {
        "title": "Brightline kettle recall widens",
        "source": "Consumer Post",
        "date": "2024-04-12",
        "url": "https://example.test/kettles-2",
        "body": "The Brightline kettle recall now covers 65,000 kettles, the company said on "
        "Friday. A second model was added to the list.",
    },
    {
        "title": "Complaints over Brightline kettles",
        "source": "Home Wire",
        "date": "2024-04-15",
        "url": "https://example.test/kettles-3",
        "body": "Since the Brightline kettle recall began, the company has received 35 reports "
        "of burns, a spokeswoman said on Monday. Brightline shares fell 4 percent.",
    },
]
QUESTION = "How many kettles has Brightline recalled so far?"


@pytest.fixture(scope="module")
def assistant(news_index_of):
    return assistant_over(news_index_of(RECORDS))


def lead(text: str) -> str:
    """The answer before its first citation marker."""
    return text.split("[", 1)[0]


def test_latest_leads_with_the_newest_figure_for_the_asked_fact(assistant):
    answer = assistant.ask(QUESTION, as_of=date(2024, 4, 16))

    assert not answer.refused
    assert "65,000" in lead(answer.text)
    assert "35" not in lead(answer.text)  # the newest article counts burn reports, not kettles
    assert answer.citations[0].date == "2024-04-12"


def test_latest_as_of_an_earlier_day_reads_only_what_was_reported_by_then(assistant):
    answer = assistant.ask(QUESTION, as_of=date(2024, 4, 9))

    assert "40,000" in lead(answer.text)
    assert all(c.date <= "2024-04-09" for c in answer.citations)
