"""Offline condensing of follow-up questions (real spaCy pipeline, real seed index)."""

from __future__ import annotations

import pytest

from qa.condense import condense, is_follow_up

FIRST = "Who guards the base near Qamishli?"
ANSWER = "SDF fighters [1]. “Associated Press reporters ... found it guarded by SDF fighters.” [1]"


@pytest.mark.parametrize(
    "question",
    [
        "Where is the equipment going?",  # names nothing of its own
        "When did they start leaving?",  # pronoun
        "What happened there?",  # "there"
        "And Assad?",  # very short
    ],
)
def test_follow_ups_are_recognised(question):
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who guards the base near Qamishli?",
        "Is there a ceasefire between the SDF and the Syrian government?",  # expletive "there"
        "When will Ahmed al-Sharaa visit Moscow?",
        "What is the capital of Peru?",  # short, but names its own topic
    ],
)
def test_standalone_questions_are_left_alone(question):
    assert not is_follow_up(question)
    assert condense(question, [(FIRST, ANSWER)]) == question


def test_follow_up_gains_the_previous_turns_entities():
    standalone = condense("Where is the equipment going?", [(FIRST, ANSWER)])
    assert standalone.startswith("Where is the equipment going")
    assert "Qamishli" in standalone and "SDF" in standalone
    assert standalone.endswith("?")


def test_without_history_nothing_changes():
    assert condense("Where is the equipment going?", []) == "Where is the equipment going?"


DISTRACTOR = {
    "title": "Stadium equipment ships out of Hamburg",
    "body": (
        "The equipment is going to Doha by ship, the organisers said on Friday. Cranes, "
        "lighting rigs and seating left the port of Hamburg this week. Where the equipment "
        "goes after the tournament has not been decided."
    ),
    "date": "2026-01-16",
    "source": "Example Wire",
}


def test_follow_up_retrieves_the_khmeimim_sentence(news_index_of):
    from tests.qa.conftest import assistant_over

    assistant = assistant_over(news_index_of([DISTRACTOR]))
    alone = assistant.retrieve("Where is the equipment going?", k=3)
    assert "Doha" in alone[0].text  # without the conversation, another story comes first
    first = assistant.ask(FIRST)
    assert not first.refused
    follow = assistant.ask("Where is the equipment going?", history=[(FIRST, first.text)], k=3)
    assert "Qamishli" in follow.question
    assert "Doha" not in follow.passages[0].text
    assert any("Khmeimim Air Base" in p.text for p in follow.passages)
