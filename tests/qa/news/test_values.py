"""Same value, different words: the comparison every disagreement rests on."""

from __future__ import annotations

import pytest

from qa.news.values import number, same_value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("12", "twelve"),
        ("Twelve", "12"),
        ("eighty-one", "81"),
        ("1,200", "1.2 thousand"),
        ("$4 billion", "4bn"),
        ("at least 12", "12"),
        ("U.S.", "United States"),
        ("UN", "the United Nations"),
        ("McCarthy", "Kevin McCarthy"),
        ("Tampa, Florida", "Tampa Bay, Florida"),
        ("Feb. 7, 2021", "February 7, 2021"),
        ("the Rivertown Rams", "Rivertown Rams"),
    ],
)
def test_same_value_in_other_words(a, b):
    assert same_value(a, b) and same_value(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("12", "15"),
        ("twelve", "fifteen"),
        ("1887", "1902"),
        ("$19 billion", "US$19.3 billion"),
        ("Apple", "Facebook"),
        ("Norway", "U.S."),
        ("April 3", "April 5"),
        ("Monday night", "Tuesday morning"),
        ("Laila Hadad", "Laila Haddad"),
    ],
)
def test_different_values(a, b):
    assert not same_value(a, b) and not same_value(b, a)


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("15", 15),
        ("fifteen", 15),
        ("about 3,500", 3500),
        ("US$19.3 billion", 19.3e9),
        ("a dozen", 12),
        ("Tampa", None),
    ],
)
def test_number(phrase, value):
    assert number(phrase) == value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("September 2019", "September 10, 2019"),  # a coarser date of the same day
        ("April 20, 2018", "20th April 2018"),
        ("Sept. 3", "September 3"),
        ("2015", "late April"),  # no part in common: nothing to disagree on
    ],
)
def test_dates_that_do_not_disagree(a, b):
    assert same_value(a, b) and same_value(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [("June 19, 2020", "June 9, 2010"), ("May 2", "June 14"), ("December 1999", "1998")],
)
def test_dates_that_disagree(a, b):
    assert not same_value(a, b) and not same_value(b, a)
