"""Resolve relative date phrases ("on Tuesday", "five or six days ago") against an article's date.

News copy dates events relative to its own publication day, so "on Tuesday" is only
useful to a reader once it is pinned to a calendar day. This module finds such phrases
in a sentence and turns each into a day range counted from the article date. It does
not parse absolute dates ("December 2024" already says what it means) and never guesses
when the article date is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser
from dateutil.relativedelta import relativedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3, "several": 3,
}  # fmt: skip
_NUM = r"(?:\d{1,3}|a\s+couple\s+of|a\s+few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?:day|week|month|year|decade)s?"
_WD = "|".join(WEEKDAYS)
_MON = "|".join(m[:3] + (m[3:] and f"(?:{m[3:]}|\\.)?") for m in MONTHS)

# Verbose pattern: literal spaces must be written \s. Order matters: longer, more specific patterns first so "last Tuesday" wins over "Tuesday".
_PATTERN = re.compile(
    rf"""\b(?:
        (?P<ago>(?P<n1>{_NUM})(?:\s+or\s+(?P<n2>{_NUM}))?\s+(?P<unit>{_UNIT})\s+ago)
      | (?P<rel_wd>(?P<wd_mod>last|next|this|past|coming)\s+(?P<wd2>{_WD}))
      | (?P<month_day>(?P<mon>{_MON})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}}))
      | (?P<wd>{_WD})
      | (?P<period>(?P<p_mod>earlier\s+this|later\s+this|early\s+this|late\s+this|last|this|next|past)
                   \s+(?P<p_unit>week|month|year|weekend))
      | (?P<recent>in\s+recent\s+(?:days|weeks))
      | (?P<day_word>today|yesterday|tomorrow|tonight|overnight|last\s+night
                     |(?:this|earlier\s+this|later\s+this)\s+(?:morning|afternoon|evening))
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that put a bare weekday in the future rather than the past.
_FUTURE = re.compile(
    r"\b(?:will|would|shall|expected|scheduled|set to|due to|plans?|planning|going to|"
    r"is to|are to|upcoming|next|tomorrow)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ResolvedDate:
    """A relative phrase pinned to a day range counted from the article date."""

    phrase: str  # as written in the sentence
    start: int  # (start, end) char offsets of the phrase within the sentence
    end: int
    earliest: date
    latest: date

    def describe(self) -> str:
        """A reader-friendly rendering: "Jan 20, 2026", "Jan 14–15, 2026", "Dec 2025"."""
        a, b = self.earliest, self.latest
        if a == b:
            return _day(a)
        if a.day == 1 and b == a + relativedelta(months=1, days=-1):
            return f"{a:%B %Y}"
        if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
            return str(a.year) if a.year == b.year else f"{a.year}–{b.year}"
        if a.year == b.year and a.month == b.month:
            return f"{a:%b} {a.day}–{b.day}, {a.year}"
        if a.year == b.year:
            return f"{a:%b} {a.day} – {b:%b} {b.day}, {a.year}"
        return f"{_day(a)} – {_day(b)}"


def _day(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def long_day(d: date) -> str:
    """ "12 March 2023": how an answer names a day (a timeline line, an evidence date)."""
    return f"{d.day} {d:%B %Y}"


_SINCE = re.compile(r"\bsince\s+(?:the\s+)?(?P<when>[^?;!]+)", re.IGNORECASE)
_YEAR = re.compile(r"\b\d{4}\b")


def since_day(question: str, reference: date) -> date | None:
    """The first day a "since Monday" / "since March 3" / "since 3 March 2025" phrase in
    ``question`` names, counted back from ``reference`` (the day the question is asked)."""
    m = _SINCE.search(question)
    if m is None:
        return None
    when = m.group("when").strip(" .,")
    if _YEAR.search(when):  # an absolute date with its year: "March 3, 2025"
        try:
            return parser.parse(when, default=datetime(reference.year, 1, 1)).date()
        except (ValueError, OverflowError):
            return None
    hits = find_relative_dates(when, reference)
    return hits[0].earliest if hits and hits[0].start == 0 else None


def parse_article_date(value: str | None) -> date | None:
    """The article date as a ``date``, or None when missing or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def find_relative_dates(sentence: str, article_date: date | str | None) -> list[ResolvedDate]:
    """Every relative date phrase in ``sentence`` that can be pinned to days.

    Returns an empty list when the article date is unknown: we never guess the anchor.
    """
    anchor = article_date if isinstance(article_date, date) else parse_article_date(article_date)
    if anchor is None:
        return []
    found = []
    for m in _PATTERN.finditer(sentence):
        span = _resolve_match(m, anchor, sentence)
        if span is not None:
            found.append(ResolvedDate(m.group(0), m.start(), m.end(), *span))
    return found


def resolve(
    phrase: str, article_date: date | str | None, future: bool | None = None
) -> ResolvedDate | None:
    """Resolve one phrase (e.g. a spaCy DATE entity) if it is a relative date we understand.

    ``future`` forces the direction of a bare weekday; by default it is read from the phrase.
    """
    context = phrase if future is None else ("will " if future else "") + phrase
    offset = len(context) - len(phrase)
    for hit in find_relative_dates(context, article_date):
        return ResolvedDate(
            hit.phrase, hit.start - offset, hit.end - offset, hit.earliest, hit.latest
        )
    return None


def _number(word: str) -> int:
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _NUMBERS[word]


def _resolve_match(m: re.Match[str], d: date, sentence: str) -> tuple[date, date] | None:
    if m.group("ago"):
        unit = m.group("unit").lower().rstrip("s")
        counts = [_number(m.group("n1"))] + ([_number(m.group("n2"))] if m.group("n2") else [])
        if unit == "day":
            return d - timedelta(days=max(counts)), d - timedelta(days=min(counts))
        if unit == "week":
            return d - timedelta(weeks=max(counts), days=3), d - timedelta(
                weeks=min(counts), days=-3
            )
        if unit == "month":
            lo = d - relativedelta(months=max(counts))
            hi = d - relativedelta(months=min(counts))
            return lo.replace(day=1), _month_end(hi)
        if unit == "decade":  # "a decade ago" is a round figure: give or take two years
            return date(d.year - 10 * max(counts) - 2, 1, 1), date(
                d.year - 10 * min(counts) + 2, 12, 31
            )
        return date(d.year - max(counts), 1, 1), date(d.year - min(counts), 12, 31)
    if m.group("rel_wd"):
        target = WEEKDAYS.index(m.group("wd2").lower())
        mod = m.group("wd_mod").lower()
        if mod in ("next", "coming"):
            return (x := _next_weekday(d, target)), x
        if mod in ("last", "past"):
            return (x := _previous_weekday(d, target)), x
        # "this Friday": the one in the article's own Monday–Sunday week
        x = d - timedelta(days=d.weekday()) + timedelta(days=target)
        return x, x
    if m.group("month_day"):
        month = (
            MONTHS.index(next(n for n in MONTHS if m.group("mon").lower().startswith(n[:3]))) + 1
        )
        try:
            x = date(d.year, month, int(m.group("day")))
        except ValueError:
            return None
        # A month-day far ahead of the article date was last year's (Dec 30 in a Jan 5 story).
        if x - d > timedelta(days=183):
            x = x.replace(year=d.year - 1)
        return x, x
    if m.group("wd"):
        target = WEEKDAYS.index(m.group("wd").lower())
        if _FUTURE.search(sentence):
            x = d if d.weekday() == target else _next_weekday(d, target)
        else:
            x = d if d.weekday() == target else _previous_weekday(d, target)
        return x, x
    if m.group("period"):
        return _period(m.group("p_mod").lower().split()[0], m.group("p_unit").lower(), d)
    if m.group("recent"):
        return d - timedelta(days=7 if "days" in m.group("recent").lower() else 28), d
    word = " ".join(m.group("day_word").lower().split())
    x = d + timedelta(days={"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0))
    if word == "overnight":  # the night before the article: it spans two days
        return x - timedelta(days=1), x
    return x, x


def _period(mod: str, unit: str, d: date) -> tuple[date, date]:
    # mod is the first word: last/past/this/next/earlier/early/later/late
    shift = {"last": -1, "past": -1, "next": 1}.get(mod, 0)
    if unit == "weekend":
        saturday = (
            d + timedelta(days=5 - d.weekday())
            if d.weekday() < 5
            else d - timedelta(days=d.weekday() - 5)
        )
        saturday += timedelta(weeks=shift)
        return saturday, saturday + timedelta(days=1)
    if unit == "week":
        if mod == "past":  # "the past week": the seven days up to the article
            return d - timedelta(days=7), d
        lo = d - timedelta(days=d.weekday()) + timedelta(weeks=shift)
        hi = lo + timedelta(days=6)
    elif unit == "month":
        lo = d.replace(day=1) + relativedelta(months=shift)
        hi = _month_end(lo)
    else:
        lo, hi = date(d.year + shift, 1, 1), date(d.year + shift, 12, 31)
    if mod in ("earlier", "early"):
        return lo, d
    if mod in ("later", "late"):
        return d, hi
    return lo, hi


def _month_end(d: date) -> date:
    return d.replace(day=1) + relativedelta(months=1, days=-1)


def _previous_weekday(d: date, target: int) -> date:
    back = (d.weekday() - target) % 7 or 7
    return d - timedelta(days=back)


def _next_weekday(d: date, target: int) -> date:
    ahead = (target - d.weekday()) % 7 or 7
    return d + timedelta(days=ahead)
