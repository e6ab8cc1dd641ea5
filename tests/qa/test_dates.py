"""Relative dates in news copy pinned to calendar days from the article date."""

from __future__ import annotations

from datetime import date

import pytest

from qa.dates import find_relative_dates, long_day, parse_article_date, resolve, since_day

WED = date(2026, 1, 21)  # a Wednesday
MON = date(2023, 1, 9)  # a Monday


@pytest.mark.parametrize(
    ("sentence", "anchor", "phrase", "earliest", "latest"),
    [
        # bare weekdays: past by default, the future when the sentence looks ahead
        (
            "Reporters visited a base on Tuesday.",
            WED,
            "Tuesday",
            date(2026, 1, 20),
            date(2026, 1, 20),
        ),
        ("The truce expired on Saturday.", WED, "Saturday", date(2026, 1, 17), date(2026, 1, 17)),
        ("He spoke on Wednesday.", WED, "Wednesday", WED, WED),
        (
            "Sala is expected to visit Moscow on Thursday.",
            WED,
            "Thursday",
            date(2026, 1, 22),
            date(2026, 1, 22),
        ),
        ("The vote will be held Monday.", WED, "Monday", date(2026, 1, 26), date(2026, 1, 26)),
        ("The game on Sunday drew fans.", MON, "Sunday", date(2023, 1, 8), date(2023, 1, 8)),
        # weekdays with a modifier
        ("It happened last Tuesday.", WED, "last Tuesday", date(2026, 1, 20), date(2026, 1, 20)),
        (
            "It happened last Wednesday.",
            WED,
            "last Wednesday",
            date(2026, 1, 14),
            date(2026, 1, 14),
        ),
        ("They meet next Monday.", WED, "next Monday", date(2026, 1, 26), date(2026, 1, 26)),
        ("Talks resume this Friday.", WED, "this Friday", date(2026, 1, 23), date(2026, 1, 23)),
        # "N ago", including ranges and word numbers
        (
            "It began five or six days ago.",
            WED,
            "five or six days ago",
            date(2026, 1, 15),
            date(2026, 1, 16),
        ),
        ("It began 3 days ago.", WED, "3 days ago", date(2026, 1, 18), date(2026, 1, 18)),
        ("It began a few days ago.", WED, "a few days ago", date(2026, 1, 18), date(2026, 1, 18)),
        ("They left two weeks ago.", WED, "two weeks ago", date(2026, 1, 4), date(2026, 1, 10)),
        (
            "He arrived three months ago.",
            WED,
            "three months ago",
            date(2025, 10, 1),
            date(2025, 10, 31),
        ),
        ("It closed a year ago.", WED, "a year ago", date(2025, 1, 1), date(2025, 12, 31)),
        ("The war turned a decade ago.", WED, "a decade ago", date(2014, 1, 1), date(2018, 12, 31)),
        # calendar periods
        (
            "Fighting broke out earlier this month.",
            WED,
            "earlier this month",
            date(2026, 1, 1),
            WED,
        ),
        ("Prices rose last month.", WED, "last month", date(2025, 12, 1), date(2025, 12, 31)),
        (
            "Prices rose last month.",
            date(2024, 3, 10),
            "last month",
            date(2024, 2, 1),
            date(2024, 2, 29),
        ),
        ("Results come next month.", WED, "next month", date(2026, 2, 1), date(2026, 2, 28)),
        ("Officials met last week.", WED, "last week", date(2026, 1, 12), date(2026, 1, 18)),
        ("Officials met earlier this week.", WED, "earlier this week", date(2026, 1, 19), WED),
        ("Officials meet later this week.", WED, "later this week", WED, date(2026, 1, 25)),
        ("Sales fell over the past week.", WED, "past week", date(2026, 1, 14), WED),
        ("Storms hit last weekend.", WED, "last weekend", date(2026, 1, 17), date(2026, 1, 18)),
        ("Storms are due this weekend.", WED, "this weekend", date(2026, 1, 24), date(2026, 1, 25)),
        ("The law passed last year.", WED, "last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("Officials said in recent days.", WED, "in recent days", date(2026, 1, 14), WED),
        # single days
        ("He died yesterday.", WED, "yesterday", date(2026, 1, 20), date(2026, 1, 20)),
        ("She speaks today.", WED, "today", WED, WED),
        (
            "Polls open tomorrow.",
            date(2023, 12, 31),
            "tomorrow",
            date(2024, 1, 1),
            date(2024, 1, 1),
        ),
        # month-day without a year takes the article's year, or last year's if far ahead
        ("Buildings were attacked on Jan. 8.", MON, "Jan. 8", date(2023, 1, 8), date(2023, 1, 8)),
        ("The storm hit on Dec. 30.", MON, "Dec. 30", date(2022, 12, 30), date(2022, 12, 30)),
        ("It opens March 3rd.", MON, "March 3rd", date(2023, 3, 3), date(2023, 3, 3)),
    ],
)
def test_relative_phrase_resolves_to_days(sentence, anchor, phrase, earliest, latest):
    hits = find_relative_dates(sentence, anchor)
    assert [(h.phrase, h.earliest, h.latest) for h in hits] == [(phrase, earliest, latest)]
    hit = hits[0]
    assert sentence[hit.start : hit.end] == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        "Assad was ousted in December 2024.",
        "The treaty was signed on May 5, 2020.",
        "Russia maintains a presence at air and naval bases.",
        "The may be a problem, she said.",
    ],
)
def test_absolute_dates_and_plain_text_are_left_alone(sentence):
    assert find_relative_dates(sentence, WED) == []


def test_unknown_article_date_never_guesses():
    assert find_relative_dates("They met on Tuesday.", None) == []
    assert find_relative_dates("They met on Tuesday.", "not a date") == []


@pytest.mark.parametrize(
    ("earliest", "latest", "text"),
    [
        (date(2026, 1, 20), date(2026, 1, 20), "Jan 20, 2026"),
        (date(2026, 1, 15), date(2026, 1, 16), "Jan 15–16, 2026"),
        (date(2025, 12, 1), date(2025, 12, 31), "December 2025"),
        (date(2025, 1, 1), date(2025, 12, 31), "2025"),
        (date(2014, 1, 1), date(2018, 12, 31), "2014–2018"),
        (date(2026, 1, 26), date(2026, 2, 1), "Jan 26 – Feb 1, 2026"),
        (date(2025, 12, 29), date(2026, 1, 4), "Dec 29, 2025 – Jan 4, 2026"),
    ],
)
def test_describe_reads_naturally(earliest, latest, text):
    hit = resolve("today", WED)
    assert hit is not None
    shown = type(hit)(hit.phrase, hit.start, hit.end, earliest, latest).describe()
    assert shown == text


def test_resolve_one_phrase_with_forced_direction():
    assert resolve("Thursday", WED, future=True).earliest == date(2026, 1, 22)
    assert resolve("Thursday", WED, future=False).earliest == date(2026, 1, 15)
    assert resolve("on Thursday", "2026-01-21").phrase == "Thursday"
    assert resolve("December 2024", WED) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-01-21", WED), ("2026-01-21T10:00:00Z", WED), (None, None), ("", None), ("soon", None)],
)
def test_parse_article_date(value, expected):
    assert parse_article_date(value) == expected


FRI = date(2025, 5, 23)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "phrase", "earliest", "latest"),
    [
        # the parts of the article's own day, and the night before it
        ("Work at the port resumed this morning.", "this morning", FRI, FRI),
        ("The mayor spoke earlier this evening.", "earlier this evening", FRI, FRI),
        ("Shots were heard last night.", "last night", date(2025, 5, 22), date(2025, 5, 22)),
        ("Crews fought the blaze overnight.", "overnight", date(2025, 5, 22), FRI),
        # the timeline's table: weekdays, "ago", "last week", "yesterday", month-days
        ("The strike began on Monday.", "Monday", date(2025, 5, 19), date(2025, 5, 19)),
        ("Talks broke down five days ago.", "five days ago", date(2025, 5, 18), date(2025, 5, 18)),
        ("Prices rose last week.", "last week", date(2025, 5, 12), date(2025, 5, 18)),
        ("The ferry sank yesterday.", "yesterday", date(2025, 5, 22), date(2025, 5, 22)),
        ("The fare takes effect on June 1.", "June 1", date(2025, 6, 1), date(2025, 6, 1)),
        ("He will be sworn in next Monday.", "next Monday", date(2025, 5, 26), date(2025, 5, 26)),
    ],
)
def test_timeline_phrases_resolve_against_the_article_date(sentence, phrase, earliest, latest):
    (hit,) = find_relative_dates(sentence, FRI)
    assert (hit.phrase, hit.earliest, hit.latest) == (phrase, earliest, latest)
    assert sentence[hit.start : hit.end] == phrase


@pytest.mark.parametrize(
    ("question", "since"),
    [
        ("What happened since Monday?", date(2025, 5, 19)),
        ("What happened with the strike since Friday?", FRI),  # asked on a Friday: that day
        ("What happened since March 3?", date(2025, 3, 3)),
        ("What happened since September 10, 2024?", date(2024, 9, 10)),
        ("What happened since 3 March 2025?", date(2025, 3, 3)),
        ("What happened since last week?", date(2025, 5, 12)),
        ("What happened since the strike began?", None),  # no day named
        ("What happened on Monday?", None),
    ],
)
def test_since_day_counts_back_from_the_day_asked(question, since):
    assert since_day(question, FRI) == since


def test_long_day_reads_as_a_date():
    assert long_day(date(2023, 3, 12)) == "12 March 2023"
