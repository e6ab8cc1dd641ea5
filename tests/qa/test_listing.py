"""List answers: which questions ask for several names, and the cited lists they get."""

from __future__ import annotations

import pytest

from index import NewsIndex
from qa.answerers.listing import list_expected
from qa.eval.lists import listed_items
from qa.nlp import get_nlp
from tests.qa.conftest import assistant_over

FACTORIES = [
    {
        "title": "Carmakers open plants in Ostrava",
        "body": (
            "Skoda Auto opened a battery factory in Ostrava on Monday. The plant will employ "
            "about 1,200 people when it runs at full capacity. Hyundai opened a car assembly "
            "plant in Ostrava on Tuesday, a spokesperson for the city said."
        ),
        "date": "2026-03-03",
        "source": "Reuters",
        "url": "https://example.com/ostrava-carmakers",
    },
    {
        "title": "Siemens expands in Czech Republic",
        "body": (
            "Siemens opened a factory for electric motors in Ostrava this week. The mayor of "
            "Ostrava, Jan Dohnal, welcomed the investment. The region has lost coal mining "
            "jobs for two decades."
        ),
        "date": "2026-03-05",
        "source": "cnn.com",
        "url": "https://example.com/ostrava-siemens",
    },
    {
        "title": "Lake Como hotels report record bookings",
        "body": (
            "Hotels around Lake Como reported record bookings for the spring season. Tourism "
            "officials expect more visitors from the United States than last year."
        ),
        "date": "2026-03-04",
        "source": "Associated Press",
        "url": "https://example.com/como",
    },
]


@pytest.mark.parametrize(
    "question",
    [
        "Which companies opened factories in Ostrava?",
        "What countries signed the treaty?",
        "Who are the candidates for mayor?",
        "Name the films nominated for the award.",
        "List the banks that failed in March.",
        "Which players were injured in the derby?",
    ],
)
def test_a_question_asking_for_several_names_is_a_list_question(question):
    assert list_expected(get_nlp()(question)) is not None


@pytest.mark.parametrize(
    "question",
    [
        "Which company opened a factory in Ostrava?",
        "How many companies opened factories in Ostrava?",
        "Which of these companies received funding from the space agency?",
        "Who won the election?",
        "What did the companies announce?",
        "What are the tournaments informally called?",
        "Which team's players were injured?",
        "What measures did the government announce?",  # not a kind of named thing
    ],
)
def test_a_question_asking_for_one_thing_is_not_a_list_question(question):
    assert list_expected(get_nlp()(question)) is None


@pytest.fixture(scope="module")
def factories(news_index_of) -> NewsIndex:
    return news_index_of(FACTORIES)


def test_a_list_question_names_each_item_once_quoting_its_own_sentence(factories):
    answer = assistant_over(factories).ask("Which companies opened factories in Ostrava?", k=5)

    assert not answer.refused, answer.text
    lines = answer.text.splitlines()
    assert len(lines) >= 2 and all(line.startswith("- ") for line in lines)
    items = listed_items(answer.text)
    assert {"Skoda Auto", "Hyundai", "Siemens"} <= set(items), answer.text
    assert len(items) == len(set(items))  # each entity once
    by_n = {c.n: c for c in answer.citations}
    for line in lines:
        (n,) = [int(x) for x in line.rsplit("[", 1)[1].rstrip("]").split(",")]
        names = line[2:].split(": “", 1)[0].split(", ")
        assert all(name in by_n[n].quote for name in names), (line, by_n[n].quote)
        article = factories.get_article(by_n[n].article_id)
        assert by_n[n].quote == article.text[by_n[n].start : by_n[n].end]
    # Two sentences of one article and one of another: three distinct citations
    assert len(answer.citations) == len(lines) >= 3
    assert len({c.article_id for c in answer.citations}) >= 2
    assert answer.short.split("; ") == items


def test_a_question_asking_for_one_company_gets_one_answer(factories):
    answer = assistant_over(factories).ask(
        "Which company opened a battery factory in Ostrava?", k=5
    )
    assert not answer.refused and len(answer.citations) == 1
    assert "Skoda" in answer.short


def test_a_list_question_the_articles_do_not_answer_is_refused(factories):
    answer = assistant_over(factories).ask(
        "Which footballers signed for clubs in Madrid this winter?", k=5
    )
    assert answer.refused and answer.citations == ()
