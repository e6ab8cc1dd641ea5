"""Sort the articles' claims into conflicts and updates.

Given the claims (``qa.news.claims``) and the one the answer is built on (the anchor):

* only claims about the same thing count: the article must hold the question's names
  and numbers that the anchor's article holds ("same key entities"), must not itself
  state the other value (then it reports both, e.g. "rose to 15 from 12"), and its value
  must differ after normalisation (``qa.news.values``: "12" = "twelve"), and it must be
  dated within a month of the anchor (a revised figure follows within days or weeks;
  last year's storm or last season's variant is another event, not an update);
* a correction: an article carrying a correction notice supersedes a differing claim
  dated no later than it;
* an update: among the rest, a claim dated before the newest day is superseded by
  the newest claims when none of them states its value (change over time);
* a conflict: two or more values still standing — same day, or undated — from
  different articles, each filling the slot the lead's value fills (``qa.news.slots``:
  the same kind of value, stated with the same predicate).

It decides nothing about wording (``qa.news.compose``) and trusts no value more than
another except by date and correction notices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.news.claims import Claim
from qa.news.slots import alike, family, same_kind, same_slot
from qa.news.values import same_value
from qa.support import names_and_numbers

_WORD = re.compile(r"\w+")
_PREFIX = 5  # names match on their first letters: "Kordia's" / "Kordia"
_NEAR_DAYS = 31  # the furthest apart two articles can be and still revise one fact


@dataclass(frozen=True)
class Replaced:
    """``old`` was superseded by ``new``; ``reason`` is "update" or "correction"."""

    old: Claim
    new: Claim
    reason: str


@dataclass(frozen=True)
class Findings:
    """What the answer should say: ``lead`` first, then the other sides."""

    lead: Claim
    conflicts: tuple[Claim, ...] = ()  # one claim per other standing value
    superseded: tuple[Replaced, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.conflicts or self.superseded)


def _prefixes(text: str) -> set[str]:
    return {w.lower()[:_PREFIX] for w in _WORD.findall(text)}


def _states(claim: Claim, value: str) -> bool:
    """Does the claim's passage state ``value`` anywhere (as written)?"""
    pattern = rf"(?<!\w){re.escape(value.strip())}(?!\w)"
    return (
        re.search(pattern, claim.passage.title + "\n" + claim.passage.text, re.IGNORECASE)
        is not None
    )


def _differ(a: Claim, b: Claim) -> bool:
    """Two claims give different values for the fact, each article stating only its own."""
    return not same_value(a.value, b.value) and not _states(a, b.value) and not _states(b, a.value)


def _same_story(question: str, anchor: Claim, claims: Sequence[Claim]) -> list[Claim]:
    """The claims whose article holds every question name the anchor's article holds."""
    anchor_words = _prefixes(anchor.passage.title + " " + anchor.passage.text)
    keys = {k[:_PREFIX] for k in names_and_numbers(question)} & anchor_words
    return [c for c in claims if keys <= _prefixes(c.passage.title + " " + c.passage.text)]


def _near(anchor: Claim, claim: Claim) -> bool:
    """Close enough in time to report the anchor's fact (undated: no way to tell, kept)."""
    if anchor.day is None or claim.day is None:
        return True
    return abs((anchor.day - claim.day).days) <= _NEAR_DAYS


def _comparable(question: str, anchor: Claim, claim: Claim) -> bool:
    """Could ``claim`` report the anchor's fact at another time? The same kind of value
    (where both are known), stated with as much of the question as the anchor's."""
    if claim.parallel:
        return True
    known = family(anchor.label, anchor.value) and family(claim.label, claim.value)
    if known and not same_kind(anchor, claim):
        return False
    return alike(question, anchor, claim)


def resolve(question: str, anchor: Claim, claims: Sequence[Claim]) -> Findings:
    """The conflicts and supersessions among ``claims`` around ``anchor``."""
    others = [c for c in claims if c.article_id != anchor.article_id and _near(anchor, c)]
    others = [c for c in _same_story(question, anchor, others) if _comparable(question, anchor, c)]
    members = [anchor, *others]
    replaced: dict[str, Replaced] = {}
    for new in (c for c in members if c.corrects):
        for old in members:
            if old.corrects or old.article_id in replaced or not _differ(old, new):
                continue
            if old.day is None or new.day is None or old.day <= new.day:
                replaced[old.article_id] = Replaced(old, new, "correction")
    standing = [c for c in members if c.article_id not in replaced]
    days = [c.day for c in standing if c.day is not None]
    if days:
        newest = [c for c in standing if c.day == max(days)]
        for old in standing:
            if old.day is None or old.day == max(days):
                continue
            if all(_differ(old, new) for new in newest):
                replaced[old.article_id] = Replaced(old, newest[0], "update")
    standing = [c for c in members if c.article_id not in replaced]
    lead = anchor if anchor in standing else replaced[anchor.article_id].new
    while lead.article_id in replaced:  # a correction of an update, or the reverse
        lead = replaced[lead.article_id].new
    sides: list[Claim] = []
    for c in standing:
        if (
            c is not lead
            and _differ(c, lead)
            and same_slot(question, lead, c)
            and all(_differ(c, s) for s in sides)
        ):
            sides.append(c)
    return Findings(lead, tuple(sides), tuple(replaced.values()))
