"""Conflicting outlets and later reports, end to end on small hand-made articles.

A real index (seeds/ plus the records below), the real embedding model and the default
extractive Assistant: the answer must cite both sides of a conflict, lead with the
later or corrected value and list what it replaced, and flag nothing when the sources
agree, even in other words.
"""

from __future__ import annotations

import pytest

from qa.prompt import answer_messages
from tests.qa.conftest import assistant_over, one_sentence_passage

RECORDS = [
    # a conflict: two outlets, the same day, different figures
    {
        "title": "Fire on the Kelso ferry",
        "source": "Harbour Gazette",
        "date": "2024-06-01",
        "url": "https://example.test/kelso-1",
        "body": "Eight crew members were hurt in the Kelso ferry fire on Saturday, the operator "
        "said. The ferry was towed back to port.",
    },
    {
        "title": "Kelso ferry blaze",
        "source": "Coast Radio",
        "date": "2024-06-01",
        "url": "https://example.test/kelso-2",
        "body": "The Kelso ferry fire hurt 11 crew members on Saturday, according to the harbour "
        "master. Passengers were taken off by lifeboat.",
    },
    # agreement in other words: no flag
    {
        "title": "Landslide on Brin Hill",
        "source": "County News",
        "date": "2024-03-04",
        "url": "https://example.test/brin-1",
        "body": "Twelve houses were buried by the Brin Hill landslide on Monday, the council said.",
    },
    {
        "title": "Brin Hill slide",
        "source": "Valley Post",
        "date": "2024-03-04",
        "url": "https://example.test/brin-2",
        "body": "The Brin Hill landslide buried 12 houses on Monday, rescuers said.",
    },
    # an update: the same story three days later
    {
        "title": "Orla river bridge gives way",
        "source": "Orla Times",
        "date": "2024-02-03",
        "url": "https://example.test/orla-1",
        "body": "Four people were injured when the Orla river bridge gave way on Saturday, "
        "police said.",
    },
    {
        "title": "Orla bridge injuries",
        "source": "Orla Times",
        "date": "2024-02-06",
        "url": "https://example.test/orla-2",
        "body": "Police said on Tuesday that seven people were injured when the Orla river bridge "
        "gave way, after three more people came forward.",
    },
    # a correction notice on the same day
    {
        "title": "Talmont orchestra names conductor",
        "source": "Arts Daily",
        "date": "2024-09-10",
        "url": "https://example.test/talmont-1",
        "body": "The Talmont orchestra appointed Marta Kell as its conductor on Tuesday.",
    },
    {
        "title": "Talmont orchestra conductor",
        "source": "Arts Daily",
        "date": "2024-09-10",
        "url": "https://example.test/talmont-2",
        "body": "CORRECTION: An earlier version of this story gave the wrong name for the new "
        "conductor. The Talmont orchestra appointed Rosa Lind as its conductor on Tuesday.",
    },
    # the same yearly event a year apart: another edition, not an update
    {
        "title": "Vessa lantern parade",
        "source": "Vessa Courier",
        "date": "2023-10-07",
        "url": "https://example.test/vessa-1",
        "body": "About 4,000 people joined the Vessa lantern parade on Saturday, organisers said.",
    },
    {
        "title": "Vessa lantern parade returns",
        "source": "Vessa Courier",
        "date": "2024-10-05",
        "url": "https://example.test/vessa-2",
        "body": "About 6,500 people joined the Vessa lantern parade on Saturday, organisers said.",
    },
]


@pytest.fixture(scope="module")
def assistant(news_index_of):
    return assistant_over(news_index_of(RECORDS), news_reads=5)  # the setting it is measured with


def _cited(answer, n: int) -> str:
    return next(c.quote for c in answer.citations if c.n == n)


def test_conflicting_outlets_are_both_cited(assistant):
    answer = assistant.ask("How many crew members were hurt in the Kelso ferry fire?")
    assert not answer.refused
    [flag] = answer.disagreements
    assert {v.lower() for v in flag.values} == {"eight", "11"}
    for value, n in zip(flag.values, flag.citations, strict=True):
        assert value in _cited(answer, n)
    assert "Harbour Gazette" in answer.text and "Coast Radio" in answer.text
    assert answer.superseded == ()  # the same day: a conflict, not an update


def test_agreeing_sources_in_other_words_are_not_flagged(assistant):
    answer = assistant.ask("How many houses were buried by the Brin Hill landslide?")
    assert not answer.refused
    assert answer.short.lower() in ("12", "twelve")
    assert answer.disagreements == () and answer.superseded == ()


def test_a_later_report_supersedes_the_earlier_one(assistant):
    answer = assistant.ask("How many people were injured when the Orla river bridge gave way?")
    assert answer.short.lower() == "seven"
    assert answer.text.lower().startswith("seven (orla times, 6 february 2024)")
    assert "four" in answer.text.lower()
    [old] = answer.superseded
    assert (old.value, old.date, old.by_value, old.by_date, old.reason) == (
        "Four",
        "2024-02-03",
        "seven",
        "2024-02-06",
        "update",
    )
    assert "Four people" in _cited(answer, old.citation)
    assert "seven people" in _cited(answer, old.by_citation)
    assert answer.disagreements == ()


def test_a_correction_notice_supersedes_the_same_day_report(assistant):
    answer = assistant.ask("Who did the Talmont orchestra appoint as its conductor?")
    assert answer.short == "Rosa Lind"
    [old] = answer.superseded
    assert (old.value, old.by_value, old.reason) == ("Marta Kell", "Rosa Lind", "correction")
    assert "CORRECTION" not in _cited(answer, old.by_citation)  # the notice is not the claim
    assert answer.disagreements == ()


def test_a_report_a_year_older_is_another_event_not_an_update(assistant):
    answer = assistant.ask("How many people joined the Vessa lantern parade?")
    assert not answer.refused
    assert answer.short in ("About 4,000", "About 6,500", "4,000", "6,500")
    assert answer.superseded == () and answer.disagreements == ()


def test_to_dict_carries_disagreements_and_superseded(assistant):
    conflict = assistant.ask("How many crew members were hurt in the Kelso ferry fire?").to_dict()
    assert set(conflict["disagreements"][0]) == {"values", "citations"}
    assert all(isinstance(n, int) for n in conflict["disagreements"][0]["citations"])
    update = assistant.ask(
        "How many people were injured when the Orla river bridge gave way?"
    ).to_dict()
    assert set(update["superseded"][0]) == {
        "value",
        "citation",
        "date",
        "by_value",
        "by_citation",
        "by_date",
        "reason",
    }
    assert update["disagreements"] == []


def test_a_generative_answerer_is_told_about_the_conflict(assistant):
    question = "How many crew members were hurt in the Kelso ferry fire?"
    passages = assistant.retrieve(question)
    notes = assistant.news.brief(question, assistant.news.claims(question, passages))
    assert notes and "disagree" in notes[0]
    user = answer_messages(question, passages, notes)[1]["content"]
    # the note is newsdesk's own text, outside every passage block
    assert user.index(notes[0]) > user.rindex("</passage>")


def test_no_notes_means_the_usual_prompt():
    passage = one_sentence_passage("a", "The Kelso ferry was towed back to port.")
    assert "Checked by newsdesk" not in answer_messages("Where?", [passage])[1]["content"]
