"""Wire datelines at the start of a body: place and outlet."""

from __future__ import annotations

import pytest

from index.dateline import find_dateline, parse_dateline

CASES = [
    ("QAMISHLI, Syria (AP) — Russian troops", "Qamishli, Syria", "Associated Press"),
    ("WASHINGTON (AP) — The Senate", "Washington", "Associated Press"),
    ("ST. LOUIS, Mo. (AP) — A jury", "St. Louis, Mo.", "Associated Press"),
    ("NEW YORK, Jan 5 (Reuters) - Stocks", "New York", "Reuters"),
    ("LONDON, Jan. 5, 2023 (AFP) -- Strikes", "London", "Agence France-Presse"),
    ("PORT-AU-PRINCE, Haiti — Gangs", "Port-Au-Prince, Haiti", None),
    ("O’FALLON, Ill. (AP) — Police", "O’Fallon, Ill.", "Associated Press"),
    ("KYIV, Ukraine (Kyiv Independent) — Air", "Kyiv, Ukraine", "Kyiv Independent"),
    ("CNN —\n\nPresident Biden", None, "CNN"),
]


@pytest.mark.parametrize(("text", "place", "source"), CASES, ids=[c[0][:12] for c in CASES])
def test_datelines(text: str, place: str | None, source: str | None) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.source) == (place, source)
    assert text[dateline.end :].lstrip()[:1].isupper()  # the lede starts right after


@pytest.mark.parametrize(
    "text",
    [
        "COVID-19 — cases rose again",
        "The US (AP) — is not a dateline",
        "NASA said on Monday that the launch slipped.",
        "Russian troops have begun withdrawing.",
        "A (AP) — too short",
        "BREAKING NEWS — Markets fell",
        "ANALYSIS — Why the vote matters",
        "",
    ],
)
def test_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None


def test_dateline_after_a_credit_line() -> None:
    text = "AP\n\nSANTOS, Brazil (AP) — Brazil said on Monday that the port reopened."
    dateline = find_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.source) == ("Santos, Brazil", "Associated Press")
    assert text[dateline.start : dateline.end] == "SANTOS, Brazil (AP) — "


def test_no_dateline_deep_in_the_text() -> None:
    text = "One.\nTwo.\nThree.\nWASHINGTON (AP) — Too far down to be a dateline."
    assert find_dateline(text) is None
