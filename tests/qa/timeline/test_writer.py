"""A timeline with a generative answerer: it gets only the passages holding events and a
note of their dates, and its "YYYY-MM-DD: … [n]" lines go through the citation check.

The answerer here is a scripted stand-in for the LLM (a collaborator, not the code under
test): it records what it was given and replies with fixed lines.
"""

from __future__ import annotations

from qa.answerers.base import Answerer
from qa.prompt import answer_messages, parse_draft
from qa.retrieval import build_retriever
from qa.text_cache import shared_encoder
from qa.timeline.writer import TimelineWriter
from tests.qa.conftest import assistant_over
from tests.qa.timeline.story import TOPIC


class Scripted(Answerer):
    name = "scripted"
    takes_notes = True

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.seen: dict = {}

    def draft(self, question, passages, notes=()):
        self.seen = {"passages": list(passages), "notes": list(notes)}
        return parse_draft(self.reply)


def test_a_generative_timeline_is_prompted_with_dated_events_and_checked(story_index):
    passages = build_retriever(story_index.settings, story_index).retrieve(TOPIC, 20, None)
    reply = (
        "2024-09-02: A tram derailed on Harbin Lane in Ossbury, injuring 14 passengers [1]\n"
        "2024-09-14: Trams returned to Harbin Lane after crews replaced the rail [9]\n"
        "The derailment was caused by aliens [1]"
    )
    scripted = Scripted(reply)
    citer = assistant_over(story_index).citer
    writer = TimelineWriter(scripted, citer, shared_encoder(story_index.embedder), 12)

    answer = writer.write(f"How did {TOPIC} unfold?", TOPIC, passages)

    shown = scripted.seen["passages"]
    assert len(shown) < len(passages)  # only the passages that hold events
    assert all("Harbin" in p.text or "Harbin" in p.title for p in shown)
    notes = " ".join(scripted.seen["notes"])
    assert "timeline" in notes and "2024-09-02 (passage [1])" in notes
    prompt = answer_messages("q", shown, scripted.seen["notes"])[1]["content"]
    assert "Dated events newsdesk found" in prompt
    # [9] points at no passage shown: that line loses its citation and its timeline place
    assert [e.date for e in answer.timeline] == ["2024-09-02"]
    (c,) = [c for c in answer.citations if c.n == answer.timeline[0].citations[0]]
    assert story_index.get_article(c.article_id).text[c.start : c.end] == c.quote
    assert not any("aliens" in e.text for e in answer.timeline)  # an undated line is no event
