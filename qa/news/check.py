"""The news check the ``Assistant`` runs around any answerer.

Before drafting: read each article's claim (``qa.news.claims``) and brief a generative
answerer on what it finds. After drafting: anchor the findings on the value the draft
chose, rewrite the draft to tell every side (``qa.news.compose``), and once the
citation check has numbered the quotes, list the disagreements and supersessions on
the ``Answer`` with those numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from index.models import Article
from index.revisions import changed_values
from qa.answerers.base import Draft
from qa.answerers.extractive import ExtractiveAnswerer
from qa.models import Answer, Citation, Disagreement, Passage, Superseded
from qa.news.claims import Claim, is_notice, read_claims
from qa.news.compose import notes, rewrite
from qa.news.disagreements import Findings, resolve
from qa.news.parallel import differing_phrase
from qa.news.slots import family
from qa.news.values import same_value


class NewsCheck:
    """Finds conflicting and revised values among the top passages of a question.

    Args:
        picker: the extractive answerer that reads one article's answer.
        threshold: an article's pick must score this much to count as answering.
        article: looks an article up by id (for correction notices outside the passage).
        reads: how many of the top passages are read (0 turns the check off).
    """

    def __init__(
        self,
        picker: ExtractiveAnswerer,
        threshold: float,
        article: Callable[[str], Article | None] | None = None,
        reads: int = 5,
    ) -> None:
        self.picker = picker
        self.threshold = threshold
        self.article = article
        self.reads = reads

    def claims(self, question: str, passages: Sequence[Passage]) -> list[Claim]:
        """Each article's own answer among the top ``reads`` passages."""
        if self.reads <= 0:
            return []
        return read_claims(
            question, passages[: self.reads], self.picker, self.threshold, self.article
        )

    def article_claims(self, question: str, passages: Sequence[Passage]) -> list[Claim]:
        """Each article's own answer among ``passages`` (all of them, even with the check
        off: a "latest" answer asks this of two articles, ``qa.latest``)."""
        return read_claims(question, passages, self.picker, self.threshold, self.article)

    def brief(self, question: str, claims: Sequence[Claim]) -> list[str]:
        """Notes for a generative answerer's prompt, anchored on the strongest claim."""
        return notes(resolve(question, claims[0], claims)) if claims else []

    def apply(
        self, question: str, passages: Sequence[Passage], draft: Draft, claims: Sequence[Claim]
    ) -> tuple[Draft, Findings | None]:
        """The draft rewritten to tell every side, and the findings (None: nothing found)."""
        if draft.refused or not claims:
            return draft, None
        anchor = _anchor(draft, passages, claims)
        if anchor is None:
            return draft, None
        found = self._resolve(question, anchor, passages, claims)
        if found.empty:  # the draft's pick has no rival: do two other articles disagree?
            found = next(
                (
                    f
                    for c in claims
                    if c.article_id != anchor.article_id and family(c.label, c.value)
                    if (f := self._resolve(question, c, passages, claims)).conflicts
                ),
                found,
            )
        return (draft, None) if found.empty else (rewrite(draft, found), found)

    def _resolve(
        self, question: str, anchor: Claim, passages: Sequence[Passage], claims: Sequence[Claim]
    ) -> Findings:
        anchor, aligned = _align(anchor, passages[: self.reads], claims)
        return resolve(question, anchor, aligned)


def _anchor(draft: Draft, passages: Sequence[Passage], claims: Sequence[Claim]) -> Claim | None:
    """The claim the draft's answer rests on: its pinned sentence, else the first claim whose
    value the draft states."""
    if draft.quotes:
        n, spans = next(iter(draft.quotes.items()))
        if not 1 <= n <= len(passages) or not spans:
            return None
        start, end = spans[0]
        for c in claims:
            if c.n == n and (c.start, c.end) == (start, end):
                return c
        p = passages[n - 1]
        sentence = p.text[start - p.start : end - p.start]
        if not draft.short or not sentence:
            return None
        others = [c for c in claims if c.article_id == p.article_id]
        corrects = others[0].corrects if others else is_notice(p.text)
        return Claim(n, p, start, end, sentence, draft.short, draft.short, corrects)
    low = draft.text.lower()
    stated = [c for c in claims if c.value.lower() in low]
    stated.sort(key=lambda c: low.index(c.value.lower()))
    return stated[0] if stated else claims[0]


def _sentences(p: Passage):
    """(start, end, text) of each sentence of a passage, offsets into its article."""
    for start, end in p.sentences or ((p.start, p.end),):
        yield start, end, p.text[start - p.start : end - p.start]


def _align(
    anchor: Claim, passages: Sequence[Passage], claims: Sequence[Claim]
) -> tuple[Claim, list[Claim]]:
    """Where another article holds the anchor's sentence with one phrase changed (an edited
    reprint), that phrase is the fact in dispute: both sides' claims become it, whatever
    phrase was picked from the sentence (``qa.news.parallel``)."""
    found: dict[str, Claim] = {}
    slot: tuple[int, int] | None = None
    for n, p in enumerate(passages, 1):
        if p.article_id == anchor.article_id or p.article_id in found:
            continue
        for start, end, text in _sentences(p):
            diff = differing_phrase(anchor.sentence, text)
            if diff is None or (slot is not None and diff[0] != slot):
                continue
            (as_, ae), (bs, be) = diff
            if not changed_values(anchor.sentence[as_:ae], text[bs:be]):
                continue  # reworded, not another value ("said" / "reported")
            slot, value = diff[0], text[bs:be]
            found[p.article_id] = Claim(
                n, p, start, end, text, value, value, is_notice(p.text), parallel=True
            )
            break
    if slot is None:
        return anchor, list(claims)
    at = anchor.sentence.find(anchor.value)
    if not (0 <= at < slot[1] and slot[0] < at + len(anchor.value)):
        value = anchor.sentence[slot[0] : slot[1]]
        anchor = replace(anchor, value=value, phrase=value, label="")
    kept = [c for c in claims if c.article_id not in found and c.article_id != anchor.article_id]
    return anchor, [anchor, *kept, *found.values()]


def _number(claim: Claim, citations: Sequence[Citation]) -> int | None:
    same = [c for c in citations if c.article_id == claim.article_id]
    for c in same:
        if c.start < claim.end and claim.start < c.end:
            return c.n
    return same[0].n if same else None


def annotate(answer: Answer, found: Findings | None) -> Answer:
    """``answer`` listing ``found``'s disagreements and supersessions by citation number."""
    if found is None or answer.refused:
        return answer
    cites = answer.citations
    disagreements = ()
    sides = [(c.value, n) for c in (found.lead, *found.conflicts) if (n := _number(c, cites))]
    if len(sides) > 1 and not all(same_value(sides[0][0], v) for v, _ in sides[1:]):
        disagreements = (Disagreement(tuple(v for v, _ in sides), tuple(n for _, n in sides)),)
    superseded = tuple(
        Superseded(
            r.old.value, old, r.old.passage.date, r.new.value, new, r.new.passage.date, r.reason
        )
        for r in found.superseded
        if (old := _number(r.old, cites)) and (new := _number(r.new, cites))
    )
    return replace(answer, disagreements=disagreements, superseded=superseded)
