"""Outlet names as users type them meet the names articles carry."""

from __future__ import annotations

import pytest

from index.outlets import close_outlets, matching_outlets, outlet_keys, unknown_outlets

STORED = ["Associated Press", "cnn.com", "theweek.co.uk", "usatoday.com", "CNN Business"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("CNN", {"cnn.com"}),  # a site name by its brand; "CNN Business" is another outlet
        ("AP", {"Associated Press"}),  # initials of a name of several words
        ("the associated press", {"Associated Press"}),
        ("The Week", {"theweek.co.uk"}),
        ("USA Today", {"usatoday.com"}),
        ("https://www.usatoday.com/", {"usatoday.com"}),
        ("Reuters", set()),
    ],
)
def test_a_typed_outlet_finds_the_stored_names_it_means(typed, found):
    assert set(matching_outlets([typed], STORED)) - {typed} == found


def test_the_typed_name_is_kept_so_an_exact_name_still_filters():
    assert matching_outlets(["Reuters"], STORED) == ("Reuters",)


def test_a_name_without_letters_has_no_keys_and_matches_nothing():
    assert outlet_keys(" -- ") == frozenset()
    assert matching_outlets(["--"], STORED) == ("--",)


@pytest.mark.parametrize(
    ("typed", "close"),
    [
        ("Reuters", ()),  # nothing stored is spelled like it
        ("CNN Busines", ("CNN Business",)),
        ("Asociated Press", ("Associated Press",)),
        ("the weak", ("theweek.co.uk",)),
        ("usatday", ("usatoday.com",)),
    ],
)
def test_close_outlets_are_the_stored_names_spelled_like_the_typed_one(typed, close):
    assert close_outlets(typed, STORED) == close


def test_unknown_outlets_are_the_typed_names_that_match_nothing_stored():
    assert unknown_outlets(["CNN", "Reuters", "ap"], STORED) == ("Reuters",)
