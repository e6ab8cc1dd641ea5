"""Recognise a wire-style dateline at the start of an article body.

``QAMISHLI, Syria (AP) — Russian troops…`` → place ``"Qamishli, Syria"``,
source ``"Associated Press"``. Agency abbreviations are expanded to the outlet's
full name (AP → "Associated Press", AFP → "Agence France-Presse", …) because
that is how people name the outlet in a question and how the articles
themselves refer to it; an agency we do not know is kept as written.

``find_dateline`` also looks a few lines down, past a credit line such as "AP".
This module only reads: the dateline stays in the article text (offsets refer to
the text as stored) and the loaders decide what to do with the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

#: Agency abbreviations seen in datelines → the outlet name stored as ``Article.source``.
AGENCIES = {
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "reuters": "Reuters",
    "afp": "Agence France-Presse",
    "upi": "United Press International",
    "cnn": "CNN",
    "dpa": "dpa",
    "xinhua": "Xinhua",
    "bloomberg": "Bloomberg",
}

#: Capitalised labels that precede a dash like a dateline but name no place.
NOT_PLACES = frozenset(
    {
        "BREAKING",
        "BREAKING NEWS",
        "UPDATE",
        "UPDATED",
        "EXCLUSIVE",
        "OPINION",
        "ANALYSIS",
        "WATCH",
        "LIVE",
        "VIDEO",
        "PHOTOS",
        "CORRECTION",
        "EDITOR'S NOTE",
        "EDITOR’S NOTE",
    }
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"""
    (?P<city>[A-Z][A-Z.'’\-]*(?:\ [A-Z][A-Z.'’\-]*){0,4})      # QAMISHLI / ST. LOUIS
    (?:,\ (?P<region>[A-Z][A-Za-z.'’\-]*(?:\ [A-Z][A-Za-z.'’\-]*){0,3}))?   # , Syria / , N.Y.
    (?:,\ (?P<date>"""
    + _MONTH
    + r"""\ \d{1,2}(?:,\ \d{4})?))?  # , Jan. 5
    (?:
        \s*\((?P<agency>[A-Za-z][A-Za-z .&\-]{0,30})\)\s*(?:—|–|--|-)   # (AP) —
      | \s+(?:—|–|--)                                                 # no agency: dash needed
    )
    [ \t]*
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline; ``end`` is the offset where the lede starts."""

    place: str | None  # None for a bare "CNN —" dateline
    agency: str | None  # as written, e.g. "AP"
    source: str | None  # outlet name, e.g. "Associated Press"
    end: int
    start: int = 0


def _title_case_city(city: str) -> str:
    return " ".join(word.title() for word in city.split())


def parse_dateline(text: str) -> Dateline | None:
    """Parse a dateline at the very start of ``text``, or return None."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    city = match["city"]
    letters = sum(ch.isalpha() for ch in city)
    agency = match["agency"]
    if letters < 2 or (agency is None and (letters < 3 or city in NOT_PLACES)):
        return None
    if agency is None and city.casefold() in AGENCIES and not match["region"]:
        # "CNN —": the outlet alone, no place
        return Dateline(place=None, agency=city, source=AGENCIES[city.casefold()], end=match.end())
    place = _title_case_city(city)
    if match["region"]:
        place += f", {match['region']}"
    agency = agency.strip() if agency else None
    source = AGENCIES.get(agency.casefold(), agency) if agency else None
    return Dateline(place=place, agency=agency, source=source, end=match.end())


def find_dateline(text: str, max_lines: int = 3) -> Dateline | None:
    """A dateline at the start of one of the first ``max_lines`` non-blank lines.

    Scraped bodies often put a byline or credit line ("AP", "By Jane Roe")
    before the dateline paragraph; offsets in the result refer to ``text``.
    """
    position = 0
    for _ in range(max_lines):
        while text.startswith("\n", position):
            position += 1
        dateline = parse_dateline(text[position : position + 200])
        if dateline is not None:
            return replace(dateline, start=position, end=position + dateline.end)
        position = text.find("\n", position)
        if position < 0:
            return None
    return None
