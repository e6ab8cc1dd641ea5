"""What each retrieved article says the answer is: one ``Claim`` per article.

An article's claim is the sentence and phrase the extractive answerer would answer
with if that article were all it had (``ExtractiveAnswerer.pick``), kept only when it
scores above the refusal cut, i.e. when the article itself answers the question. The
sentence of a correction notice ("CORRECTION: An earlier version of this story
misstated …") is never read as a claim: it quotes the wrong value; the article is
marked as correcting instead. This module reads; ``qa.news.disagreements`` compares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from index.models import Article
from qa.answerers.extractive import ExtractiveAnswerer
from qa.dates import parse_article_date
from qa.models import Passage

#: Phrases by which a newsroom says a story was corrected.
CORRECTION = re.compile(
    r"\bCORRECTION\b|^\s*Correction\s*:|\b(?:an?\s+)?(?:earlier|previous|prior)\s+version\s+of\s+"
    r"this\s+(?:story|article|report)|\bthis\s+(?:story|article)\s+has\s+been\s+corrected"
    r"|\b(?:we|it)\s+(?:incorrectly|wrongly|mistakenly)\s+(?:reported|stated|said)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Claim:
    """One article's answer: ``sentence == article.text[start:end]`` holds ``value``."""

    n: int  # 1-based number of the passage in the answerer's list
    passage: Passage
    start: int
    end: int
    sentence: str
    value: str  # the answer phrase as written
    phrase: str  # as an answer shows it (fullest name, resolved date)
    corrects: bool = False  # the article carries a correction notice
    label: str = ""  # the value's entity label, as the picker read it ("" unknown)
    parallel: bool = False  # its sentence is the anchor's with this value changed

    @property
    def article_id(self) -> str:
        return self.passage.article_id

    @property
    def day(self) -> date | None:
        return parse_article_date(self.passage.date)


def is_notice(sentence: str) -> bool:
    """True for a correction notice's sentence."""
    return CORRECTION.search(sentence) is not None


def read_claims(
    question: str,
    passages: Sequence[Passage],
    picker: ExtractiveAnswerer,
    threshold: float,
    article: Callable[[str], Article | None] | None = None,
) -> list[Claim]:
    """One claim per article of ``passages`` that answers ``question`` on its own."""
    by_article: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        by_article.setdefault(p.article_id, []).append(i)
    claims = []
    for aid, numbers in by_article.items():
        own = [passages[i] for i in numbers]
        pick = picker.pick(question, own, skip=is_notice)
        if pick is None or pick.score < threshold:
            continue
        art = article(aid) if article else None
        text = art.text if art is not None else " ".join(p.text for p in own)
        n = numbers[pick.n - 1] + 1
        claims.append(
            Claim(
                n,
                passages[n - 1],
                pick.start,
                pick.end,
                pick.sentence,
                pick.value,
                pick.phrase,
                corrects=is_notice(text),
                label=pick.label,
            )
        )
    return claims
