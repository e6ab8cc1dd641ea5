"""Near-copies that change a fact (index/revisions.py): kept apart from edits that do not."""

from __future__ import annotations

import pytest

from index.revisions import changed_values

BASE = "HARLOW CREEK (AP) — Twelve people died in the flooding on Sunday, county officials said."


TAMPA = "The game was played at Raymond James Stadium in Tampa, Florida, the home stadium."


@pytest.mark.parametrize(
    ("a", "b", "change"),
    [
        (BASE, BASE.replace("Twelve", "15"), ("Twelve", "15")),
        (BASE, BASE.replace("Sunday", "Monday"), ("Sunday", "Monday")),
        (TAMPA, TAMPA.replace("Tampa, Florida", "Glendale, Arizona"), ("Tampa", "Glendale")),
        (
            "U.S. set the record for medals.",
            "Norway set the record for medals.",
            ("U.S.", "Norway"),
        ),
    ],
)
def test_a_changed_figure_name_or_day_is_found(a: str, b: str, change: tuple[str, str]) -> None:
    assert change in changed_values(a, b)


@pytest.mark.parametrize(
    "other",
    [
        BASE,
        BASE + " Copyright 2025.",  # an added line
        BASE.replace("(AP)", "(Reuters)"),  # the outlet's own name
        BASE.replace("county officials said", "officials in the county said"),  # reworded
        BASE.replace("The", "A"),
    ],
)
def test_edits_that_state_no_other_value_are_not_changes(other: str) -> None:
    assert changed_values(BASE, other, ignore=["Reuters", "AP"]) == []


def test_a_sentence_opening_word_is_not_a_name() -> None:
    assert changed_values("The toll rose on Sunday.", "This toll rose on Sunday.") == []
