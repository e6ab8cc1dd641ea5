"""The reader answerer: the trained reader finds the answer phrase; its sentence is quoted.

Offline and extractive like ``extractive``, but with no hand-written answer-type rules
(``NEWSDESK_ANSWERER=reader``). Not the default yet: with the shipped reader it
answers fewer questions right than the rule-based answerer (qa/reading/MODEL.md has
the same-run figures). Every word shown comes from an article. The trained reader (``qa.reading``) reads the
top ``settings.extractive_reads`` passages (after the reranker, usually the reader's
own pass, so the readings come from its cache), picks the best answer span, kept
inside one sentence, and the answer leads with that phrase and quotes the sentence
with its exact article span. When the reader's calibrated confidence is under the
threshold the answer is a refusal instead of something merely related.

Two small additions on top of the span, both from the article itself: a short name
grows to the fullest form the article uses ("McCarthy" → "Kevin McCarthy", by
``qa.mentions``), and a relative date is pinned to the calendar by the article date.
A yes/no question has no answer phrase: the sentence that settles it is the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.settings import Settings
from qa import dates
from qa.answerers.base import Answerer, Draft
from qa.citations import escape_markers, refusal_text
from qa.mentions import fullest_mention
from qa.models import Passage
from qa.reading import Reader, Reading
from qa.retrieval.rerank import passage_sentences

_YES_NO = re.compile(
    r"^(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Found:
    n: int  # 1-based passage number, as cited
    passage: Passage
    reading: Reading
    start: int  # (start, end) of the quoted sentence, article offsets
    end: int
    phrase: tuple[int, int]  # (start, end) of the answer phrase, article offsets


class ReaderAnswerer(Answerer):
    """Answers with the reader's best phrase, quoting the sentence that holds it."""

    name = "reader"

    def __init__(self, reader: Reader, settings: Settings) -> None:
        self.reader = reader
        self.settings = settings
        self.min_confidence = (
            settings.min_confidence if settings.min_confidence is not None else reader.threshold
        )

    def draft(self, question: str, passages: Sequence[Passage]) -> Draft:
        # Past the top few passages, extra ones mislead more often than they answer
        passages = passages[: self.settings.extractive_reads]
        found = self.find(question, passages)
        if found is None:
            return _refusal(question, 0.0)
        confidence = self.reader.confidence(found.reading)
        if confidence < self.min_confidence:
            return _refusal(question, confidence)
        return _compose(question, found, passages, confidence)

    def find(self, question: str, passages: Sequence[Passage]) -> _Found | None:
        """The passage whose reading scores best, with its answer span and sentence."""
        readable = [p for p in passages if p.text.strip()]
        if not readable:
            return None
        readings = self.reader.read(
            question, [p.text for p in readable], passage_sentences(readable)
        )
        best = max(range(len(readable)), key=lambda i: readings[i].score)
        passage, reading = readable[best], readings[best]
        if reading.span is None:
            return None
        lo, hi = (passage.start + reading.span[0], passage.start + reading.span[1])
        start, end = _sentence_around(passage, lo, hi)
        return _Found(passages.index(passage) + 1, passage, reading, start, end, (lo, hi))


def _sentence_around(passage: Passage, lo: int, hi: int) -> tuple[int, int]:
    """The line of the sentence holding [lo, hi): a quote never runs across lines."""
    start, end = next(
        ((s, e) for s, e in passage.sentences if s <= lo < e), (passage.start, passage.end)
    )
    text = passage.text[start - passage.start : end - passage.start]
    for line in re.finditer(r"[^\n]+", text):
        a, b = start + line.start(), start + line.end()
        if a <= lo < b:
            stripped = line.group().strip()
            a += line.group().index(stripped)
            return a, a + len(stripped)
    return start, end


def _compose(question: str, found: _Found, passages: Sequence[Passage], confidence: float) -> Draft:
    # One sentence, one marker: "SDF fighters: “… guarded by SDF fighters …” [1]". The
    # citation check scores the text before a marker against the quote, so a date note
    # inside the lead ("on Tuesday (Jan 20, 2026, …)") rides on the quote's support.
    p = found.passage
    sentence = p.text[found.start - p.start : found.end - p.start]
    quote = escape_markers(sentence)
    phrase = "" if _YES_NO.match(question.strip()) else _phrase(found, passages)
    lead = f"{phrase}: " if phrase and phrase.lower() != sentence.lower() else ""
    text = f"{lead}“{quote}” [{found.n}]"
    return Draft(
        text=text,
        short=phrase or quote,
        quotes={found.n: [(found.start, found.end)]},
        confidence=confidence,
    )


def _phrase(found: _Found, passages: Sequence[Passage]) -> str:
    """The answer phrase: a name in its fullest form in the same article, a relative
    date pinned to the calendar."""
    p = found.passage
    lo, hi = found.phrase
    phrase = p.text[lo - p.start : hi - p.start]
    if phrase[:1].isupper():
        same = [p.title] + [q.text for q in passages if q.article_id == p.article_id]
        phrase = fullest_mention(phrase, same)
    sentence = p.text[found.start - p.start : found.end - p.start]
    for hit in dates.find_relative_dates(sentence, p.date):
        a, b = found.start + hit.start, found.start + hit.end
        if a < hi and lo < b:
            return f"{escape_markers(phrase)} ({hit.describe()}, counting from the article date)"
    return escape_markers(phrase)


def _refusal(question: str, confidence: float) -> Draft:
    return Draft(text=refusal_text(question), refused=True, confidence=confidence)
