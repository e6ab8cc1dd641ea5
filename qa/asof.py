"""Reading a question as of a day: no later news, and how old the evidence is.

``as_of`` is the day a question is asked about (the API, CLI and chat window take it;
default today). Its articles are searched up to that day only (the filter's ``until``,
which the recency prior in ``qa.retrieval.recency`` also counts back from), so "the
latest" at 15 April is never a report of 24 April. An answer to a "latest" question (or
a timeline) whose newest cited article is more than ``settings.stale_days`` older than
that day says so ("as of 24 April 2025"): a reader must not take a months-old figure
for today's. It does not choose which value leads (``qa.news`` does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from index.models import SearchFilter
from qa.dates import long_day, parse_article_date
from qa.models import Answer


def as_of_day(as_of: dt.date | None) -> dt.date:
    """The day asked about: ``as_of``, or today."""
    return as_of or dt.date.today()


def with_as_of(filters: SearchFilter | None, as_of: dt.date | None) -> SearchFilter | None:
    """``filters`` with nothing dated after ``as_of`` (an earlier ``until`` stays)."""
    if as_of is None:
        return filters
    day = as_of.isoformat()
    filters = filters or SearchFilter()
    until = min(filters.until, day) if filters.until else day
    return replace(filters, until=until)


def note_age(answer: Answer, as_of: dt.date, stale_days: int) -> Answer:
    """``answer`` saying how old its evidence is when its newest cited article is more than
    ``stale_days`` before ``as_of`` (unchanged otherwise, and for refusals)."""
    days = [d for c in answer.citations if (d := parse_article_date(c.date))]
    if answer.refused or not days:
        return answer
    newest = max(days)
    if (as_of - newest).days <= stale_days:
        return answer
    text = f"{answer.text}\n\n(As of {long_day(newest)}, the date of the newest article cited.)"
    return replace(answer, text=text, evidence_as_of=newest.isoformat())
