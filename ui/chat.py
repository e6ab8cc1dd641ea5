"""The conversation pane: past turns, the streaming answer, source cards and refusals.

Every ``[n]`` in an answer links to ``#cite-<turn>-<n>``, the id of its source
card right below the answer, so a click scrolls the card into view (and CSS
``:target`` outlines it). Strings come from ``ui.render`` already escaped; this
module only places them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from index import Access, SearchFilter
from index.errors import NewsdeskError
from qa import Answer, Passage
from ui.badges import filter_badges_html
from ui.clipboard import copy_button
from ui.news import news_html
from ui.paths import hide_paths
from ui.render import (
    answer_markdown,
    citation_card_html,
    escape_markdown,
    passage_card_html,
    refusal_html,
    timeline_html,
)
from ui.state import Turn

if TYPE_CHECKING:  # heavy (torch, chromadb): loaded once, behind the page's spinner
    from index import NewsIndex
    from qa import Assistant

log = logging.getLogger(__name__)

#: Closest passages shown under a refusal, each from another article.
_REFUSAL_PASSAGES = 3


def render_turn(turn: Turn, number: int, index: NewsIndex, access: Access | None = None) -> None:
    """Show one past question and its answer (or the error it met)."""
    with st.chat_message("user"):
        st.markdown(escape_markdown(turn.question))
    with st.chat_message("assistant"):
        if turn.answer is not None:
            render_answer(turn.answer, number, index, filters=turn.filters, access=access)
            copy_button(turn.answer)
        elif turn.error:
            st.error(escape_markdown(turn.error), icon=":material/error:")


def render_answer(
    answer: Answer,
    number: int,
    index: NewsIndex,
    filters: SearchFilter | None = None,
    access: Access | None = None,
) -> None:
    """The verified answer with its source cards, or the refusal with the closest passages.

    A card's context comes from the article as ``access`` may see it (None = any).

    Filters that narrowed the search are badged on the answer: read later, a
    refusal or a one-outlet answer must still say it did not search everything.
    """
    badges = filter_badges_html(filters)
    if badges:
        st.html(badges)
    if answer.rewritten and answer.question:
        # A follow-up was rewritten with the conversation; say what was actually answered.
        st.caption(f"Answered as: {escape_markdown(answer.question)}")
    if answer.refused:
        st.html(refusal_html(answer.text))
        if answer.passages:
            with st.expander("Closest passages in the index", expanded=False):
                for passage in one_per_article(answer.passages)[:_REFUSAL_PASSAGES]:
                    st.html(passage_card_html(passage))
        return
    low = answer.confidence is not None and answer.confidence < index.settings.low_confidence
    if low:
        st.caption(
            f":material/help: Uncertain answer (confidence {answer.confidence:.0%}): "
            "check the quoted sentence before relying on it."
        )
    if answer.timeline:  # a vertical, dated list; its lines are the answer
        st.html(timeline_html(answer.timeline, number, (c.n for c in answer.citations)))
        if answer.evidence_as_of:
            st.caption(f"As of {escape_markdown(answer.evidence_as_of)}: the newest article cited.")
    else:
        st.markdown(answer_markdown(answer.text, number, (c.n for c in answer.citations)))
    marks = news_html(answer, number)
    if marks:
        st.html(marks)
    if answer.citations:
        cards = []
        for citation in answer.citations:
            article = index.get_article(citation.article_id, access)
            cards.append(citation_card_html(citation, article.text if article else None, number))
        st.html('<div class="nd-sources-label">Sources</div>' + "".join(cards))


def one_per_article(passages: Iterable[Passage]) -> list[Passage]:
    """The best passage of each article, in rank order.

    Chunks of one article often rank side by side (its lead and its boilerplate);
    shown as they come, they fill the few cards under a refusal with one story.
    """
    best: dict[str, Passage] = {}
    for passage in passages:
        best.setdefault(passage.article_id, passage)
    return list(best.values())


def ask(
    assistant: Assistant,
    question: str,
    number: int,
    history: list[tuple[str, str]],
    filters: SearchFilter | None,
    k: int,
    access: Access | None = None,
    as_of: date | None = None,
) -> Turn:
    """Show the question, stream the answer, then replace it with the verified answer.

    ``filters`` are the reader's own (badged on the answer); ``access`` (the viewer's
    desks and clock; None = everything) is added to them for the search itself;
    ``as_of`` is the day asked about (None: today).
    """
    searched = filters if access is None else replace(filters or SearchFilter(), access=access)
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
    with st.chat_message("assistant"):
        slot = st.empty()
        try:
            with slot.container():
                answer = _stream(assistant, question, history, searched, k, as_of)
        except NewsdeskError as exc:
            message = hide_paths(str(exc), assistant.settings)
            slot.error(escape_markdown(message), icon=":material/error:")
            return Turn(question, error=message)
        except Exception as exc:  # a bug: keep the traceback in the server log, not the page
            log.exception("answering %r failed", question)
            message = (
                f"Something went wrong while answering ({type(exc).__name__}). "
                "The details are in the terminal running `newsdesk chat`."
            )
            slot.error(message, icon=":material/error:")
            return Turn(question, error=message)
        with slot.container():
            render_answer(answer, number, assistant.index, filters=filters, access=access)
            copy_button(answer)
    return Turn(question, answer=answer, filters=filters)


def _stream(
    assistant: Assistant,
    question: str,
    history: list[tuple[str, str]],
    filters: SearchFilter | None,
    k: int,
    as_of: date | None = None,
) -> Answer:
    """Write the answer's text pieces as they come; return the final Answer."""
    final: list[Answer] = []

    def pieces():
        for item in assistant.stream(question, history, filters, k, as_of):
            if isinstance(item, Answer):
                final.append(item)
            else:
                yield escape_markdown(item)

    st.write_stream(pieces())
    if not final:
        raise RuntimeError("Assistant.stream ended without an Answer")
    return final[0]
