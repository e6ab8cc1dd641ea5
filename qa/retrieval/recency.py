"""A recency prior for questions about the latest news ("this week", "recently").

Neither search looks at dates, yet "Which company announced layoffs this week?"
has a different answer every week, and an archive holds all of them. When a
question says how recent it means, passages whose article is dated inside that
window before the reference date (the filter's ``until`` when given — the date
the question is asked — else today) get a bonus on the fused score and move
up. Undated articles and questions without such words are left as ranked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from qa.dates import parse_article_date
from qa.models import Passage
from qa.retrieval.fusion import RRF_C

# Words that say how far back a question looks, and that window in days.
_WINDOWS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(today|tonight|yesterday)\b", re.IGNORECASE), 2),
    (re.compile(r"\b(this|last|past) (week|weekend)\b", re.IGNORECASE), 8),
    (re.compile(r"\b(this|last|past) month\b", re.IGNORECASE), 31),
    (re.compile(r"\b(recent|recently|latest|newly|just|currently|now)\b", re.IGNORECASE), 14),
)

#: Bonus for a passage inside the window, in units of "ranked first by one searcher".
RECENCY_WEIGHT = 1.0


def window_days(question: str) -> int | None:
    """How many days back the question looks, or None when it does not say."""
    return next((days for pattern, days in _WINDOWS if pattern.search(question)), None)


def prefer_recent(
    passages: Sequence[Passage],
    question: str,
    reference: dt.date,
    weight: float = RECENCY_WEIGHT,
) -> list[Passage]:
    """``passages`` re-sorted with the recency bonus added to their fused scores."""
    days = window_days(question)
    if days is None or weight <= 0:
        return list(passages)
    earliest = reference - dt.timedelta(days=days)
    bonus = weight / (RRF_C + 1)

    def boosted(p: Passage) -> Passage:
        published = parse_article_date(p.date)
        inside = published is not None and earliest <= published <= reference
        return dataclasses.replace(p, score=p.score + bonus) if inside else p

    return sorted((boosted(p) for p in passages), key=lambda p: -p.score)
