"""``Assistant``: question (+ history, filters) → condensed → retrieved → drafted → verified.

It composes collaborators passed in (an index, a ``Retriever``, an
``Answerer``) and owns only the order of the steps, input limits and
timings. Citation checking lives in ``qa.citations``, retrieval in
``qa.retrieval``, drafting in ``qa.answerers``, the conflicting-sources and
updates check (run around every answerer) in ``qa.news``, timelines in ``qa.timeline``,
reading a question as of a day in ``qa.asof``.

Streaming: ``stream()`` yields the answerer's draft text as it is produced,
then the final ``Answer``. The final text may differ from the streamed draft
(invalid markers removed, unsupported sentences dropped, markers renumbered,
or a refusal): a UI should replace what it streamed with ``Answer.text``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import NamedTuple

from index.errors import EmptyIndex, LimitExceeded
from index.extras import needs_extra
from index.models import IngestReport, SearchFilter
from index.settings import Settings
from index.stories import is_story_id
from qa import latest
from qa.answerers.base import Answerer, Draft
from qa.asof import as_of_day, note_age, with_as_of
from qa.citations import Citer, refusal
from qa.condense import condense
from qa.models import Answer, Passage, Timeline
from qa.news.check import NewsCheck, annotate
from qa.retrieval.base import Retriever
from qa.text_cache import shared_encoder
from qa.timeline.detect import TimelineAsk, latest_asked, timeline_asked
from qa.timeline.writer import TimelineWriter

History = Sequence[tuple[str, str]]  # [(user question, assistant answer text), ...] oldest first


class _Asked(NamedTuple):
    """The question searched with, and whether it differs from what the user typed."""

    standalone: str
    rewritten: bool
    as_of: dt.date  # the day asked about (default today)
    timeline: TimelineAsk | None = None
    latest: bool = False


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


class Assistant:
    """Answers questions about the indexed articles, citing exact sentences."""

    def __init__(
        self,
        index,
        retriever: Retriever,
        answerer: Answerer,
        settings: Settings | None = None,
        news: NewsCheck | None = None,
    ) -> None:
        self.index = index  # index.NewsIndex
        self.retriever = retriever
        self.answerer = answerer
        self.settings = settings or index.settings
        self.citer = Citer(
            index.get_article, shared_encoder(index.embedder), self.settings.refusal_threshold
        )
        self.news = news or _news_check(index, answerer, self.settings)
        self.timelines = TimelineWriter(
            answerer, self.citer, shared_encoder(index.embedder), self.settings.timeline_events
        )
        self._seen_articles = False

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Assistant:
        """Open the configured index and build the default retriever and answerer."""
        from index import NewsIndex
        from qa.answerers.factory import build_answerer
        from qa.retrieval import build_retriever

        settings = settings or Settings()
        index = NewsIndex.open(settings)
        answerer = build_answerer(settings.answerer, settings, index)
        return cls(index, build_retriever(settings, index), answerer, settings)

    def ingest(self, paths, progress=None, desk=None, embargo_until=None) -> IngestReport:
        """Add files or folders to the index (see ``NewsIndex.ingest``)."""
        return self.index.ingest(paths, progress=progress, desk=desk, embargo_until=embargo_until)

    # --- the steps ----------------------------------------------------------
    def _check(self, question: str, k: int | None) -> tuple[str, int]:
        question = " ".join(question.split()) if isinstance(question, str) else ""
        limit = self.settings.max_question_chars
        if not question:
            raise LimitExceeded("the question is empty — type a question about the news")
        if len(question) > limit:
            raise LimitExceeded(
                f"the question is {len(question)} characters long; the limit is {limit} "
                "(NEWSDESK_MAX_QUESTION_CHARS) — shorten it"
            )
        k = self._check_k(k)
        if not self._seen_articles:
            if not self.index.stats().get("articles"):
                raise EmptyIndex(
                    "No articles are indexed yet — run `newsdesk ingest PATH` (files or folders "
                    "of .txt, .md, .html, .json or .jsonl articles), then ask again"
                )
            self._seen_articles = True
        return question, k

    def _check_k(self, k: int | None) -> int:
        k = self.settings.k if k is None else k
        if not isinstance(k, int) or not 1 <= k <= self.settings.max_k:
            raise LimitExceeded(
                f"k={k!r} is out of range: ask for 1 to {self.settings.max_k} passages "
                "(NEWSDESK_MAX_K)"
            )
        return k

    def condense(self, question: str, history: History | None) -> str:
        """The standalone form of ``question`` (the answerer's LLM rewrite when it has one).

        A question that does not depend on the conversation is returned as typed,
        without asking the LLM: it cannot drag earlier topics into it.
        """
        if not history:
            return question
        offline = condense(question, history)
        if offline == question:
            return question
        rewritten = self.answerer.condense(question, history)
        return rewritten.strip() if rewritten and rewritten.strip() else offline

    def retrieve(
        self, question: str, filters: SearchFilter | None = None, k: int | None = None
    ) -> list[Passage]:
        """The passages an answer to ``question`` would read (validated like ``ask``)."""
        question, k = self._check(question, k)
        return list(self.retriever.retrieve(question, k, filters))

    def _prepare(
        self, question, history, filters, k, as_of=None, timeline: TimelineAsk | None = None
    ) -> tuple[_Asked, list[Passage], dict, float]:
        t0 = time.perf_counter()
        question, k = self._check(question, k)
        standalone = " ".join(self.condense(question, history).split())
        timings = {"condense": _ms(t0)}
        day = as_of_day(as_of)
        timeline = timeline or timeline_asked(standalone, day)
        asked = _Asked(standalone, standalone != question, day, timeline, latest_asked(standalone))
        t1 = time.perf_counter()
        searched = with_as_of(filters, as_of)
        if timeline is None:
            passages = list(self.retriever.retrieve(standalone, k, searched))
        else:  # the story, not the words of "how did … unfold"
            k = max(k, min(self.settings.timeline_k, self.settings.max_k))
            passages = list(self.retriever.retrieve(timeline.topic, k, searched))
        timings["retrieve"] = _ms(t1)
        return asked, passages, timings, t0

    def _claims(self, asked: _Asked, passages, timings) -> tuple[list, dict]:
        """Each article's claim (qa.news) and, for an answerer that takes them, its notes."""
        t = time.perf_counter()
        claims = self.news.claims(asked.standalone, passages)
        extra = {}
        if getattr(self.answerer, "takes_notes", False):
            said = self.news.brief(asked.standalone, claims) if claims else []
            said += [latest.note(asked.as_of)] if asked.latest else []
            extra = {"notes": said} if said else {}
        timings["news"] = _ms(t)
        return claims, extra

    def _draft(self, asked: _Asked, passages, extra) -> Draft:
        """The answerer's draft; for a "latest" question, from the newest articles of the
        story that answer as well (``qa.latest``)."""
        usual = self.answerer.draft(asked.standalone, passages, **extra)
        if not asked.latest or getattr(self.answerer, "takes_notes", False):
            return usual
        return latest.newest_draft(
            self.answerer, asked.standalone, passages, usual, self.news.article_claims
        )

    def _finish(self, asked: _Asked, draft, passages, filters, timings, t0, claims=()) -> Answer:
        t = time.perf_counter()
        draft, found = self.news.apply(asked.standalone, passages, draft, claims)
        filtered = filters is not None and not filters.is_empty
        answer = replace(
            self.citer.finalize(asked.standalone, draft, passages, filtered),
            confidence=draft.confidence,
            rewritten=asked.rewritten,
        )
        answer = annotate(answer, found)
        if asked.latest:
            answer = note_age(answer, asked.as_of, self.settings.stale_days)
        timings["verify"] = _ms(t)
        timings["total"] = _ms(t0)
        return _with_timings(answer, timings)

    def _timeline(self, asked: _Asked, passages, filters, timings, t0, by_id=False) -> Answer:
        """A timeline question's answer: dated, cited lines (``qa.timeline``)."""
        t = time.perf_counter()
        filtered = filters is not None and not filters.is_empty and not by_id
        story = asked.timeline
        answer = self.timelines.write(
            asked.standalone, None if by_id else story.topic, passages, story.since, filtered
        )
        answer = note_age(replace(answer, rewritten=asked.rewritten), asked.as_of,
                          self.settings.stale_days)  # fmt: skip
        timings["answer"] = _ms(t)
        timings["total"] = _ms(t0)
        return _with_timings(answer, timings)

    # --- public entry points -------------------------------------------------
    def ask(
        self,
        question: str,
        history: History | None = None,
        filters: SearchFilter | None = None,
        k: int | None = None,
        as_of: dt.date | None = None,
    ) -> Answer:
        """Answer ``question`` from the indexed articles, or refuse honestly.

        ``as_of``: the day asked about (default today): nothing later is searched, and
        "latest", "now", "so far" are read against it. A question that asks for a
        timeline gets one (``Answer.timeline``).
        """
        asked, passages, timings, t0 = self._prepare(question, history, filters, k, as_of)
        if not passages:
            return self._nothing_found(asked, filters, timings, t0)
        if asked.timeline is not None:
            return self._timeline(asked, passages, filters, timings, t0)
        claims, extra = self._claims(asked, passages, timings)
        t = time.perf_counter()
        draft = self._draft(asked, passages, extra)
        timings["answer"] = _ms(t)
        return self._finish(asked, draft, passages, filters, timings, t0, claims)

    def stream(
        self,
        question: str,
        history: History | None = None,
        filters: SearchFilter | None = None,
        k: int | None = None,
        as_of: dt.date | None = None,
    ) -> Iterator[str | Answer]:
        """Yield draft text pieces as the answerer writes them, then the final ``Answer``
        (a timeline comes whole: its lines are checked before any is shown)."""
        asked, passages, timings, t0 = self._prepare(question, history, filters, k, as_of)
        if not passages:
            yield self._nothing_found(asked, filters, timings, t0)
            return
        if asked.timeline is not None:
            yield self._timeline(asked, passages, filters, timings, t0)
            return
        claims, extra = self._claims(asked, passages, timings)
        t = time.perf_counter()
        draft: Draft | None = None
        if asked.latest:  # several drafts are compared: the chosen one comes whole
            chosen = self._draft(asked, passages, extra)
            pieces = iter([chosen.text, chosen])
        else:
            pieces = self.answerer.stream(asked.standalone, passages, **extra)
        for piece in pieces:
            if isinstance(piece, Draft):
                draft = piece
            else:
                yield piece
        timings["answer"] = _ms(t)
        if draft is None:
            raise RuntimeError(f"answerer {self.answerer.name!r} streamed no final Draft")
        yield self._finish(asked, draft, passages, filters, timings, t0, claims)

    def timeline(
        self,
        question: str,
        *,
        article_ids: Sequence[str] | None = None,
        as_of: dt.date | None = None,
    ) -> Timeline:
        """The timeline of a story: what ``question`` names, a story id from
        ``index.stories()``, or the articles ``article_ids``, as dated, cited events oldest
        first, up to ``as_of`` (default today).

        ``question`` need not be phrased as a timeline question ("the Dunholt strike").

        Raises:
            UnknownStory: ``question`` is shaped like a story id that no visible story has.
        """
        if article_ids is None and is_story_id(question):
            story_thread = self.index.story(question.strip())
            question, article_ids = story_thread.label, story_thread.article_ids
        text = " ".join(question.split()) if isinstance(question, str) else ""
        story = timeline_asked(text, as_of_day(as_of)) or TimelineAsk(text)
        filters = SearchFilter(article_ids=tuple(article_ids)) if article_ids else None
        asked, passages, timings, t0 = self._prepare(
            question, None, filters, None, as_of, timeline=story
        )
        if not passages:
            answer = self._nothing_found(asked, filters, timings, t0)
        else:
            answer = self._timeline(asked, passages, filters, timings, t0, bool(article_ids))
        return Timeline(answer.timeline, answer)

    def as_retriever(self, k: int | None = None, filters: SearchFilter | None = None):
        """This assistant's retrieval as a LangChain ``BaseRetriever``."""
        with needs_extra("llm", "Assistant.as_retriever (a LangChain retriever)"):
            from qa.langchain_retriever import NewsdeskRetriever

        return NewsdeskRetriever(assistant=self, k=self._check_k(k), filters=filters)

    def _nothing_found(self, asked: _Asked, filters, timings, t0) -> Answer:
        filtered = filters is not None and not filters.is_empty
        timings["total"] = _ms(t0)
        answer = replace(refusal(asked.standalone, [], filtered), rewritten=asked.rewritten)
        return _with_timings(answer, timings)


def _news_check(index, answerer: Answerer, settings: Settings) -> NewsCheck:
    """The default check reads each article with the extractive answerer (the one in use,
    or one of its own beside a generative answerer)."""
    from qa.answerers.extractive import ExtractiveAnswerer

    picker = answerer if isinstance(answerer, ExtractiveAnswerer) else None
    if picker is None:
        picker = ExtractiveAnswerer(shared_encoder(index.embedder), settings)
    return NewsCheck(picker, settings.refusal_threshold, index.get_article, settings.news_reads)


def _with_timings(answer: Answer, timings: dict[str, float]) -> Answer:
    return replace(answer, timings_ms=dict(timings))
