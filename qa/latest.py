"""Answer a "latest" question ("now", "currently", "so far") from the newest evidence.

A story's figure changes (a toll rises, a bid is raised); asked how things stand, the
answer should come from the newest article of the story that answers at all, not from
whichever older report scores best. ``newest_groups`` orders the story's passages
(those on the question's story, ``qa.timeline.events.on_topic``) by their article's
date, newest first; ``newest_draft`` lets the answerer try each group alone and keeps
the first answer that tells as much of the question as the answer from all passages
does (its quote and title hold ``ALIKE`` of the question words that one's hold, as in
``qa.news``) and whose article's own answer reports the same fact as the usual answer's
article (``qa.news.slots.reports_same_fact``: the same kind of value, stated with the
same predicate or in a clause that names it): a newer article's neighbouring fact ("35 reports of fires" for "how many
kettles are recalled", another game's score in this week's sports round-up) does not
replace the answer; a revised toll does. ``renumber`` maps that draft's ``[n]`` back to
the full passage list. A generative answerer is told instead
(``note``). What the day is comes from ``qa.asof``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from qa.answerers.base import Answerer, Draft
from qa.dates import long_day
from qa.models import Passage
from qa.news.claims import Claim
from qa.news.slots import ALIKE, reports_same_fact
from qa.nlp import terms
from qa.timeline.detect import without_latest
from qa.timeline.events import on_topic

_MARKER = re.compile(r"\[(\d+)\]")
#: Each article's own answer to a question among the passages given (``NewsCheck``).
ClaimsOf = Callable[[str, Sequence[Passage]], list[Claim]]


def newest_groups(question: str, passages: Sequence[Passage]) -> list[list[int]]:
    """Indices of the story's dated passages, grouped by article date, newest first."""
    by_day: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        if p.date and on_topic(question, p):
            by_day.setdefault(p.date[:10], []).append(i)
    return [by_day[d] for d in sorted(by_day, reverse=True)]


def renumber(draft: Draft, group: Sequence[int]) -> Draft:
    """``draft`` written on ``passages[group]``, its markers as positions in the full list."""

    def full(n: int) -> int:
        return group[n - 1] + 1 if 1 <= n <= len(group) else 0  # 0 points nowhere

    text = _MARKER.sub(lambda m: f"[{full(int(m.group(1)))}]", draft.text)
    quotes = None
    if draft.quotes is not None:
        quotes = {full(n): spans for n, spans in draft.quotes.items() if full(n)}
    return replace(draft, text=text, quotes=quotes)


def _told(asked: set[str], draft: Draft, passages: Sequence[Passage]) -> int | None:
    """How many question words the draft's first quote and its title hold (None: no quote)."""
    if not draft.quotes:
        return None
    n, spans = next(iter(draft.quotes.items()))
    if not 1 <= n <= len(passages) or not spans:
        return None
    p, (s, e) = passages[n - 1], spans[0]
    return len(asked & set(terms(f"{p.title} {p.text[s - p.start : e - p.start]}")))


def tells_as_much(question: str, newer: Draft, usual: Draft, passages: Sequence[Passage]) -> bool:
    """Whether ``newer`` answers as much of ``question`` as ``usual`` (both on ``passages``)."""
    if usual.refused:
        return True
    asked = set(terms(question))
    got, need = _told(asked, newer, passages), _told(asked, usual, passages)
    return got is None or need is None or got >= ALIKE * need


def _first_article(draft: Draft, passages: Sequence[Passage]) -> str | None:
    """The article id of the draft's first quote (None: no quote)."""
    n = next(iter(draft.quotes or ()), 0)
    return passages[n - 1].article_id if 1 <= n <= len(passages) else None


def revises(
    question: str,
    newer: Draft,
    usual: Draft,
    passages: Sequence[Passage],
    claim_of: Callable[[str], Claim | None],
) -> bool:
    """Whether ``newer``'s article answers the very fact ``usual``'s article answers: its
    own claim (``claim_of`` an article id) fills the usual claim's slot (a newer value for
    it, or the same one). An article whose claim the picker cannot read on either side
    is no evidence of that."""
    if usual.refused:
        return True
    old_id, new_id = _first_article(usual, passages), _first_article(newer, passages)
    if old_id is None or new_id is None:
        return False
    if old_id == new_id:
        return True
    anchor, rival = claim_of(old_id), claim_of(new_id)
    return anchor is not None and rival is not None and reports_same_fact(question, anchor, rival)


def newest_draft(
    answerer: Answerer,
    question: str,
    passages: Sequence[Passage],
    usual: Draft,
    claims_of: ClaimsOf,
) -> Draft:
    """The draft of the newest group of the story's passages that answers ``question``,
    tells as much of it as ``usual`` (the draft from all ``passages``) and revises the
    same fact (``revises``), else ``usual``."""
    what = without_latest(question)
    cited = set(usual.quotes or ())
    read: dict[str, Claim | None] = {}

    def claim_of(article_id: str) -> Claim | None:
        # each article's claim once: the usual answer's is compared with every newer group
        if article_id not in read:
            own = [p for p in passages if p.article_id == article_id]
            read[article_id] = next(iter(claims_of(what, own)), None)
        return read[article_id]

    for group in newest_groups(what, passages):
        if cited & {i + 1 for i in group}:
            return usual  # the usual answer is already from the newest that answers
        draft = answerer.draft(what, [passages[i] for i in group])
        if not draft.refused:
            draft = renumber(draft, group)
            if tells_as_much(what, draft, usual, passages) and revises(
                what, draft, usual, passages, claim_of
            ):
                return draft
    return usual


def note(as_of: date) -> str:
    """What a generative answerer is told about a "latest" question."""
    return (
        f"The question asks how things stand as of {long_day(as_of)}: lead with the value "
        "of the newest passage that answers it and give that passage's date."
    )
