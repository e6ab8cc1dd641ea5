"""The trust layer: turn any answerer's draft into a checked, cited ``Answer``.

Rules, for every answerer alike:

* markers are read only from the answerer's text, never from passage text;
  ``[n]`` is the 1-based position of a passage in the list the answerer got;
  a marker with no such passage is removed;
* a draft that pins quotes (``Draft.quotes``, the extractive answerer) cites
  exactly those spans (when they lie inside the cited passage), and only
  markers it pinned count; a draft without quotes
  (LLM output) cites, within the cited passage, the sentence that best
  supports the answer sentence (plus a second one scoring within
  ``SECOND_SENTENCE_MARGIN`` of it), scored by ``qa.support``;
* every citation must support its answer sentence (score >= threshold,
  ``settings.refusal_threshold``); unsupported citations are dropped, a
  sentence left without one is removed, and an uncited sentence stays only if
  some passage sentence supports it (or it has no content words at all);
* if no cited sentence remains, the answer is a refusal that still carries
  the passages;
* markers are renumbered in order of first use, one number per distinct
  article span (the same span cited twice gets one number), and only cited
  spans are listed; ``quote == article.text[start:end]`` always holds.

It never rewrites the answer's words beyond removing sentences and markers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import blingfire

from index.models import Article
from qa.answerers.base import Draft
from qa.models import Answer, Citation, Passage
from qa.support import Encode, SupportScorer, content_stems

Span = tuple[int, int]  # (start, end) character offsets into Article.text
ArticleLookup = Callable[[str], Article | None]

#: A run of markers, with the whitespace before it: " [1]", "[1][2]", " [1, 3]".
MARKERS = re.compile(r"\s*(?:\[\d+(?:\s*,\s*\d+)*\])+")
_NUMBER = re.compile(r"\d+")
#: A second sentence of one passage is cited too when it scores this close to the best.
SECOND_SENTENCE_MARGIN = 0.05


def escape_markers(text: str) -> str:
    """Remove ``[n]``-style sequences from article text an answerer copies into its answer.

    Footnote marks like "[3]" in an article would otherwise read as citations.
    """
    return MARKERS.sub("", text)


def refusal_text(question: str, filtered: bool = False) -> str:
    """The honest refusal, quoting what was asked rather than rephrasing it.

    Turning a question into an indirect one ("what is X accused of" → "what X is accused
    of") needs a parse that is sometimes wrong, and an ungrammatical echo reads worse
    than none: so the sentence is fixed and the question is quoted as typed.
    """
    q = " ".join(question.split())
    text = "The indexed articles don't answer this question"
    if q:
        text += f": “{q}”" + ("" if q[-1] in "?!." else ".")
    else:
        text += "."
    if filtered:
        text += " (Only articles matching your filters were searched.)"
    return text


def refusal(question: str, passages: Sequence[Passage], filtered: bool = False) -> Answer:
    return Answer(refusal_text(question, filtered), True, (), tuple(passages), question)


def split_sentences(text: str) -> list[Span]:
    """Answer sentences as spans covering ``text``; each keeps its trailing whitespace.

    Lines are split first (LLM lists), then blingfire splits sentences; a
    marker run that blingfire puts at the start of a sentence ("… it.” [1]")
    goes back to the sentence it closes.
    """
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]*\n*", text):
        if not line.group():
            continue
        base, body = line.start(), line.group()
        _, offsets = blingfire.text_to_sentences_and_offsets(body)
        starts = [s for s, _ in offsets if body[:s].strip()] if offsets else []
        cuts = [0]
        for s in starts:
            lead = MARKERS.match(body, s)
            if lead:  # the markers close the previous sentence, and so does the space after
                s = len(body) - len(body[lead.end() :].lstrip())
            cuts.append(s)
        cuts.append(len(body))
        cuts = sorted(set(cuts))
        spans.extend((base + a, base + b) for a, b in pairwise(cuts) if b > a)
    return spans


@dataclass
class _Group:
    """One marker run inside an answer sentence and what it ends up citing."""

    start: int
    end: int  # offsets in the draft text (including leading whitespace)
    leading: str
    numbers: list[int]
    claim: str  # the clause the markers close, markers stripped
    spans: list[tuple[str, Span]] = field(default_factory=list)  # kept (article_id, span)


@dataclass
class _Sentence:
    start: int
    end: int
    text: str  # markers stripped
    groups: list[_Group]

    @property
    def cited(self) -> bool:
        return any(g.spans for g in self.groups)


def _parse(text: str) -> list[_Sentence]:
    sentences = []
    for start, end in split_sentences(text):
        groups, prev = [], start
        for m in MARKERS.finditer(text, start, end):
            numbers = list(dict.fromkeys(int(x) for x in _NUMBER.findall(m.group())))
            leading = m.group()[: len(m.group()) - len(m.group().lstrip())]
            claim = MARKERS.sub("", text[prev : m.start()]).strip(" ,;:—-")
            groups.append(_Group(m.start(), m.end(), leading, numbers, claim))
            prev = m.end()
        sentences.append(_Sentence(start, end, MARKERS.sub("", text[start:end]).strip(), groups))
    return sentences


def _trim(text: str, span: Span) -> Span | None:
    """``span`` without surrounding whitespace, or None when it is not a valid slice."""
    s, e = span
    if not (0 <= s < e <= len(text)):
        return None
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def _sentence_spans(passage: Passage, art: Article) -> list[Span]:
    raw = passage.sentences or ((passage.start, passage.end),)
    return list(dict.fromkeys(t for s in raw if (t := _trim(art.text, s))))


def _sentence_texts(passage: Passage, art: Article) -> list[str]:
    return [art.text[s:e] for s, e in _sentence_spans(passage, art)]


class Citer:
    """Maps and verifies citations; one per assistant (holds the scorer)."""

    def __init__(self, articles: ArticleLookup, encode: Encode, threshold: float) -> None:
        self._articles = articles
        self.scorer = SupportScorer(encode)
        self.threshold = threshold

    def finalize(
        self, question: str, draft: Draft, passages: Sequence[Passage], filtered: bool = False
    ) -> Answer:
        """The checked answer for ``draft`` (or a refusal carrying ``passages``)."""
        if draft.refused or not passages or not draft.text.strip():
            return refusal(question, passages, filtered)
        cache: dict[str, Article | None] = {}

        def article(aid: str) -> Article | None:
            if aid not in cache:
                cache[aid] = self._articles(aid)
            return cache[aid]

        sentences = _parse(draft.text)
        # One model call for the answer's own texts; passage sentences are encoded only
        # when a check needs them (a pinned quote, or an uncited sentence to vouch for).
        self.scorer.prepare(
            [c for s in sentences for c in (s.text, *(g.claim for g in s.groups)) if c]
        )
        for sentence in sentences:
            for group in sentence.groups:
                claims = [c for c in dict.fromkeys((group.claim, sentence.text)) if c]
                for n in group.numbers:
                    if 1 <= n <= len(passages) and (art := article(passages[n - 1].article_id)):
                        group.spans += self._supported(claims, passages[n - 1], art, n, draft)
        kept = [s for s in sentences if s.cited or self._uncited_ok(s, passages, article)]
        if not any(s.cited for s in kept):
            return refusal(question, passages, filtered)
        return self._render(question, draft, passages, kept, article)

    def _supported(
        self, claims: list[str], passage: Passage, art: Article, n: int, draft: Draft
    ) -> list[tuple[str, Span]]:
        """The spans of ``passage`` that support ``claims`` (pinned, or picked by score)."""
        if draft.quotes is not None:  # pinned: only markers the answerer pinned count, and
            pinned = [t for s in draft.quotes.get(n, []) if (t := _trim(art.text, s))]
            # only spans of text the answerer was shown
            candidates = [(s, e) for s, e in pinned if passage.start <= s and e <= passage.end]
            # several pinned sentences of one passage (a list answer): a sentence that
            # quotes one of them cites that one, not all of them
            quoted = [
                (s, e)
                for s, e in candidates
                if any(escape_markers(art.text[s:e]) in c for c in claims)
            ]
            candidates = quoted or candidates
        else:
            candidates = _sentence_spans(passage, art)
        if not candidates:
            return []
        scores = self.scorer.matrix(claims, [art.text[s:e] for s, e in candidates]).max(axis=0)
        ok = [(float(sc), span) for sc, span in zip(scores, candidates, strict=True)]
        ok = [(sc, span) for sc, span in ok if sc >= self.threshold]
        if draft.quotes is None and ok:  # picked: the best sentence, plus a near-tie
            ok.sort(key=lambda x: -x[0])
            ok = [x for x in ok[:2] if x[0] >= ok[0][0] - SECOND_SENTENCE_MARGIN]
            ok.sort(key=lambda x: x[1])
        return [(art.article_id, span) for _, span in ok]

    def _uncited_ok(self, sentence: _Sentence, passages: Sequence[Passage], article) -> bool:
        """An uncited sentence stays if some passage sentence supports it."""
        if not content_stems(sentence.text):
            return True  # connective text ("In short:") has nothing to check
        evidence = [
            t for p in passages if (a := article(p.article_id)) for t in _sentence_texts(p, a)
        ]
        if not evidence:
            return False
        return float(self.scorer.matrix([sentence.text], evidence).max()) >= self.threshold

    def _render(self, question, draft, passages, kept, article) -> Answer:
        numbers: dict[tuple[str, Span], int] = {}
        citations: list[Citation] = []
        pieces: list[str] = []
        for sentence in kept:
            out, pos = [], sentence.start
            for group in sentence.groups:
                out.append(draft.text[pos : group.start])
                marks = []
                for aid, (s, e) in group.spans:
                    if (aid, (s, e)) not in numbers:
                        numbers[(aid, (s, e))] = len(numbers) + 1
                        citations.append(self._citation(len(numbers), article(aid), s, e))
                    marks.append(numbers[(aid, (s, e))])
                marks = list(dict.fromkeys(marks))
                if marks:
                    out.append(group.leading + "".join(f"[{m}]" for m in marks))
                pos = group.end
            out.append(draft.text[pos : sentence.end])
            pieces.append("".join(out))
        text = "".join(pieces).strip()
        short = draft.short
        if short and short.lower() in draft.text.lower() and short.lower() not in text.lower():
            short = ""  # the sentence that stated it did not survive the check
        return Answer(text, False, tuple(citations), tuple(passages), question, short)

    @staticmethod
    def _citation(n: int, art: Article, start: int, end: int) -> Citation:
        assert 0 <= start < end <= len(art.text), "citation spans must lie inside the article"
        quote = art.text[start:end]  # subtle: the only place quotes are made, so they always slice
        return Citation(
            n, art.article_id, art.title, quote, start, end, art.source, art.date, art.url
        )
