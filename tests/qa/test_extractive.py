"""The extractive answerer on real passages of the seed article (real model, real index)."""

from __future__ import annotations

import re

import pytest

from index import NewsIndex
from qa.answer_types import Candidate
from qa.answerers.extractive import ExtractiveAnswerer, _mentions, _Sentence
from qa.models import Passage
from tests.qa.conftest import ask, one_sentence_passage, preamble_case


@pytest.fixture(scope="module")
def answerer(seed_index: NewsIndex) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(seed_index.embedder.encode, seed_index.settings)


def test_answer_leads_with_the_phrase_and_pins_the_exact_sentence(answerer, seed_index):
    draft, passages = ask(
        answerer, seed_index, "Who is guarding the base near the Qamishli airport?"
    )
    assert not draft.refused
    assert "SDF" in draft.short
    assert draft.text.startswith(draft.short)
    assert (
        re.findall(r"\[\d+\]", draft.text) == ["[1]"]
        or len(set(re.findall(r"\[\d+\]", draft.text))) == 1
    )
    [(n, spans)] = draft.quotes.items()
    article = seed_index.get_article(passages[n - 1].article_id)
    [(start, end)] = spans
    quote = article.text[start:end]
    assert "guarded by SDF fighters" in quote
    assert f"“{quote}” [{n}]" in draft.text
    assert passages[n - 1].start <= start < end <= passages[n - 1].end


def test_relative_day_is_pinned_to_the_article_date(answerer, seed_index):
    draft, _ = ask(answerer, seed_index, "When did AP reporters visit the base?", date="2026-01-21")
    assert draft.short == "Tuesday (Jan 20, 2026, counting from the article date)"
    assert draft.text.startswith(draft.short)


def test_without_an_article_date_the_day_is_not_guessed(answerer, seed_index):
    draft, _ = ask(answerer, seed_index, "When did AP reporters visit the base?", date=None)
    assert draft.short == "Tuesday"


def test_a_yes_no_question_is_answered_by_quoting_the_sentence_that_settles_it(
    answerer, seed_index
):
    draft, _ = ask(answerer, seed_index, "Is the ceasefire holding?")
    assert not draft.refused
    assert draft.short == "A ceasefire is now in place and largely maintained."
    assert re.fullmatch(rf"“{re.escape(draft.short)}” \[\d\]", draft.text)


def test_a_common_noun_of_the_asked_kind_answers_a_what_question(answerer, seed_index):
    # "cargo plane" is no entity; only word meaning ties it to "aircraft"
    draft, _ = ask(answerer, seed_index, "What aircraft is being used to move the equipment?")
    assert draft.short == "cargo plane"


@pytest.mark.parametrize(
    "question",
    [
        "How many Russian troops were in Qamishli?",  # topic present, number never given
        "Who won the football World Cup in 2022?",  # off topic
        "What is the price of Brent crude oil?",
    ],
)
def test_refuses_what_the_article_does_not_say(answerer, seed_index, question):
    draft, _ = ask(answerer, seed_index, question)
    assert draft.refused
    assert draft.text.startswith("The indexed articles don't answer this question")
    assert not draft.quotes


def test_no_passages_is_a_refusal(answerer):
    assert answerer.draft("Who guards the base?", []).refused


def test_bracketed_numbers_in_article_text_never_become_markers(answerer):
    text = "The council approved a budget of $5 million [3] for the new bridge on Monday."
    passage = Passage(
        chunk_id="a:0",
        article_id="a",
        title="Budget",
        text=text,
        start=0,
        end=len(text),
        score=1.0,
        date="2026-01-21",
        sentences=((0, len(text)),),
    )
    draft = answerer.draft("How much money did the council approve for the bridge?", [passage])
    assert not draft.refused
    assert draft.short == "$5 million"
    assert re.findall(r"\[\d+\]", draft.text) == ["[1]"]
    assert draft.quotes == {1: [(0, len(text))]}


def test_the_ask_outweighs_a_long_preamble(answerer):
    # Quiz questions retell the story before asking; the passage that answers the ask
    # must beat one that merely repeats the preamble's words.
    draft = answerer.draft(*preamble_case())
    assert "Coastal Safety Agency" in draft.short
    assert list(draft.quotes) == [2]


def test_a_name_is_counted_again_under_its_shorter_form():
    # The vote between candidates counts "the Hawks" as another mention of "Harbor City
    # Hawks"; a plain phrase must recur whole.
    texts = [
        "Harbor City Hawks safety Dan Reel collapsed against the Falcons.",
        "The Hawks said Reel remains in critical condition.",
        "Hawks fans held a vigil; the hawkshaw stayed home.",
        "A critical condition was reported.",
    ]
    sentences = [
        _Sentence(n, 0, len(t), t, one_sentence_passage(str(n), t)) for n, t in enumerate(texts, 1)
    ]
    team = Candidate("Harbor City Hawks", 0, 17, "ORG", 1.0)
    condition = Candidate("critical condition", 0, 18, "NP", 0.3)
    assert _mentions(team, sentences) == 3
    assert _mentions(condition, sentences) == 2
