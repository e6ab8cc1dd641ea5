"""Turn a story's passages into a checked timeline ``Answer``, with any answerer.

The events come from ``qa.timeline.events`` (dated, oldest first, each fact once),
limited to those on or after the question's "since" day and to
``settings.timeline_events``. An answerer that takes notes (``llm``) drafts from the
event passages and a note of their dates; any other answerer's timeline is composed
from the quoted events (``qa.timeline.compose``). Either way the citation check runs
and ``Answer.timeline`` lists the lines that kept their citation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from qa.answerers.base import Answerer
from qa.citations import Citer, refusal
from qa.models import Answer, Passage
from qa.timeline import compose
from qa.timeline.events import Encode, Event, story_events


class TimelineWriter:
    """Writes timelines for one assistant (its answerer, citation check and encoder)."""

    def __init__(self, answerer: Answerer, citer: Citer, encode: Encode, limit: int) -> None:
        self.answerer = answerer
        self.citer = citer
        self.encode = encode
        self.limit = limit

    def events(
        self, topic: str | None, passages: Sequence[Passage], since: date | None
    ) -> list[Event]:
        """The story's events on or after ``since``, the most recent ``limit`` of them."""
        found = story_events(topic, passages, self.encode)
        if since is not None:
            found = [ev for ev in found if ev.latest >= since]
        return found[-self.limit :]

    def write(
        self,
        question: str,
        topic: str | None,
        passages: Sequence[Passage],
        since: date | None = None,
        filtered: bool = False,
    ) -> Answer:
        """The timeline answer, or a refusal carrying ``passages`` when nothing is dated."""
        events = self.events(topic, passages, since)
        if not events:
            return refusal(question, passages, filtered)
        if getattr(self.answerer, "takes_notes", False):
            shown, numbers = compose.llm_passages(events)
            draft = self.answerer.draft(question, shown, notes=compose.notes(events, numbers))
            answer = self.citer.finalize(question, draft, shown, filtered)
            answer = replace(answer, passages=tuple(passages))
            return replace(answer, timeline=compose.parse_lines(answer))
        answer = self.citer.finalize(question, compose.draft(events), passages, filtered)
        return replace(answer, timeline=compose.read_back(answer, events))
