"""Whether a later report tells the same fact: ``restates`` and ``reports_same_fact`` on
sentences parsed by the real spaCy pipeline."""

from __future__ import annotations

from dataclasses import replace

from qa.news.claims import Claim
from qa.news.slots import reports_same_fact, restates, same_slot
from tests.qa.conftest import one_sentence_passage


def claim(article_id: str, title: str, sentence: str, value: str, label: str) -> Claim:
    passage = replace(one_sentence_passage(article_id, sentence), title=title)
    return Claim(1, passage, 0, len(sentence), sentence, value, value, label=label)


FLOODED = claim(
    "a", "River floods Tembury", "The river burst its banks, flooding 80 homes.", "80", "CARDINAL"
)
RISEN = claim(
    "b",
    "Soldiers sent to Tembury",
    "The number of flooded homes has risen to 140.",
    "140",
    "CARDINAL",
)
RECALLED = claim(
    "c", "Brightline recall", "Brightline recalled 40,000 kettles on Monday.", "40,000", "CARDINAL"
)
BURNS = claim(
    "d",
    "Brightline complaints",
    "Since the Brightline kettle recall began, the company has received 35 reports of burns.",
    "35",
    "CARDINAL",
)


def test_a_later_report_may_name_the_fact_around_its_new_value():
    assert restates(FLOODED, RISEN)
    assert not same_slot("How many homes in Tembury are flooded?", FLOODED, RISEN)
    assert reports_same_fact("How many homes in Tembury are flooded?", FLOODED, RISEN)


def test_a_number_in_another_clause_of_the_story_is_another_fact():
    assert not restates(RECALLED, BURNS)
    assert not reports_same_fact("How many kettles has Brightline recalled?", RECALLED, BURNS)
