"""An edited reprint disputes exactly the phrase it changed."""

from __future__ import annotations

import pytest

from qa.news.parallel import differing_phrase


def _sides(a: str, b: str) -> tuple[str, str] | None:
    found = differing_phrase(a, b)
    return None if found is None else (a[slice(*found[0])], b[slice(*found[1])])


@pytest.mark.parametrize(
    ("a", "b", "sides"),
    [
        (
            "The match was played at Kell Park in Orvieto, Umbria, the home of the Lions.",
            "The match was played at Kell Park in Dunmore, Kent, the home of the Lions.",
            ("Orvieto, Umbria", "Dunmore, Kent"),
        ),
        (
            "Nine workers are trapped in the Dunmore copper mine, the operator said.",
            "Six workers are trapped in the Dunmore copper mine, the operator said.",
            ("Nine", "Six"),
        ),
        (  # a snippet's date prefix is a piece of its own, not part of the change
            "Halden collected 39 medals in 2018, the largest haul by any country.",
            "Feb 5, 2022 ... Norland collected 39 medals in 2018, the largest haul by any country.",
            ("Halden", "Norland"),
        ),
    ],
)
def test_the_changed_phrase_is_found(a, b, sides):
    assert _sides(a, b) == sides


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # two different reports of one fact: more than one phrase differs
        (
            "The government will deploy 2,000 troops to the Varna border, the ministry said.",
            "The government will deploy 3,500 troops to the Varna border, an officer said.",
        ),
        # the same sentence
        ("Twelve people died, police said.", "Twelve people died, police said."),
        # unrelated sentences
        ("The bridge reopens in June.", "Rescuers saved 140 people from the floods on Saturday."),
    ],
)
def test_no_single_change(a, b):
    assert differing_phrase(a, b) is None
