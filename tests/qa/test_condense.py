"""Offline condensing of follow-up questions (real spaCy pipeline, real seed index)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.condense import condense

FIRST = "Who guards the base near Qamishli?"
ANSWER = (
    "SDF fighters [1]. “Associated Press reporters visited a base near Qamishli Airport on "
    "Tuesday and found it guarded by SDF fighters who said the Russians had begun moving "
    "equipment out in recent days.” [1]"
)
LAYOFFS = ("How many staff is Netflix laying off?", "About 300 staff: “Netflix cut 300 jobs.” [1]")
TENNIS = (
    "Who won the final in Melbourne?",
    "Novak Djokovic: “Novak Djokovic beat Stefanos Tsitsipas in the final in Melbourne.” [1]",
)
PRICES = (
    "What was the price of petrol in Spain in March?",
    "1.80 euros: “Petrol cost 1.80 euros a litre in Spain in March.” [1]",
)


@pytest.mark.parametrize(
    "question",
    [
        "Who guards the base near Qamishli?",
        "Is there a ceasefire between the SDF and the Syrian government?",  # expletive "there"
        "When will Ahmed al-Sharaa visit Moscow?",
        "What is the capital of Peru?",  # short, but names its own topic
        "How old was Nelson Mandela when he died?",  # "he" is Mandela, in the question itself
        "What share of its staff is Spotify cutting?",  # "its" is Spotify's
        "Which companies other than Netflix cut jobs?",  # names what "other" excludes
        "What will inflation be next year?",  # "next" inside a date
    ],
)
def test_standalone_questions_are_searched_exactly_as_typed(question):
    history = [(FIRST, ANSWER), LAYOFFS, TENNIS]
    assert condense(question, history) == question


def test_question_without_names_or_shared_words_stays_as_typed():
    assert condense("What is the best way to store bread?", [TENNIS]) == (
        "What is the best way to store bread?"
    )


def test_without_history_nothing_changes():
    assert condense("Where is the equipment going?", []) == "Where is the equipment going?"


def test_pronoun_follow_up_resolves_to_the_last_turn_only():
    standalone = condense("How old is he?", [LAYOFFS, TENNIS])
    assert standalone == "How old is Novak Djokovic?"


def test_possessive_pronoun_becomes_a_possessive_name():
    assert condense("What is his ranking?", [TENNIS]) == "What is Novak Djokovic's ranking?"


def test_topic_switch_drops_the_old_context():
    standalone = condense("Why?", [PRICES, TENNIS])
    assert "Djokovic" in standalone or "Melbourne" in standalone
    assert "Spain" not in standalone and "petrol" not in standalone.lower()


def test_which_other_keeps_the_subject_it_excludes():
    standalone = condense("Which other streaming companies cut jobs?", [LAYOFFS, TENNIS])
    assert "Netflix" in standalone
    assert "Djokovic" not in standalone and "Melbourne" not in standalone
    assert standalone.startswith("Which other streaming companies cut jobs")
    assert "(about:" not in standalone


def test_ellipsis_substitutes_the_new_place_into_the_last_question():
    standalone = condense("And in Portugal?", [TENNIS, PRICES])
    assert standalone == "What was the price of petrol in Portugal in March?"


def test_chained_ellipsis_keeps_the_first_question_topic():
    history = [
        PRICES,
        ("And in Portugal?", "1.75 euros: “In Portugal petrol cost 1.75 euros.” [1]"),
    ]
    standalone = condense("What about Italy?", history)
    assert standalone == "What was the price of petrol in Italy in March?"


def test_bare_wh_word_takes_the_last_question_over():
    assert condense("Why?", [PRICES]) == "Why was the price of petrol in Spain in March?"


def test_question_naming_an_earlier_topic_goes_back_to_that_turn():
    standalone = condense("How much severance do the laid-off staff get?", [LAYOFFS, TENNIS])
    assert "Netflix" in standalone and "Djokovic" not in standalone


def test_follow_up_without_names_gains_the_previous_turns_names():
    standalone = condense("Where is the equipment going?", [(FIRST, ANSWER)])
    assert standalone.startswith("Where is the equipment going")
    assert "Qamishli" in standalone
    assert standalone.endswith("?")


WORDS = st.sampled_from(
    [
        "he",
        "it",
        "they",
        "one",
        "other",
        "else",
        "And",
        "in",
        "France",
        "What",
        "about",
        "Why",
        "Who",
        "won",
        "the",
        "base",
        "Qamishli",
        "SDF",
        "Russia",
        "laid",
        "off",
        "?",
        ":",
        "“",
        "”",
        "[1]",
        "2023",
        "Tuesday",
        "al-Sharaa's",
    ]
)
TEXT = st.lists(WORDS, max_size=12).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=TEXT, history=st.lists(st.tuples(TEXT, TEXT), max_size=4))
def test_condense_never_fails_and_keeps_standalone_input(question, history):
    standalone = condense(question, history)
    assert isinstance(standalone, str)
    if not history:
        assert standalone == question


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
    assert not first.refused and not first.rewritten
    follow = assistant.ask("Where is the equipment going?", history=[(FIRST, first.text)], k=3)
    assert follow.rewritten and "Qamishli" in follow.question
    assert "Doha" not in follow.passages[0].text
    assert any("Khmeimim Air Base" in p.text for p in follow.passages)
    standalone = assistant.ask(
        "What is the Syrian Defense Ministry's statement about?", history=[(FIRST, first.text)]
    )
    assert not standalone.rewritten
    assert standalone.question == "What is the Syrian Defense Ministry's statement about?"
