"""The question box pinned to the bottom of the page, and what sits just above it.

Why not ``st.chat_input(max_chars=...)``: the browser then ignores a paste
that would pass the limit, so the box stays empty and nothing says why. Here
the box takes any length; a question over ``max_question_chars`` is not asked
but put back in the box to shorten, under a message that says the limit.

Above the box go that message and the active-filter badges: on a narrow
screen the sidebar holding the filters is collapsed, and this line is the
only place that says the search is narrowed.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from index import SearchFilter
from ui.badges import filter_badges_html

_KEY = "nd_question"
_TOO_LONG = "nd_question_too_long"  # length of the question just refused


def loading_box(shown: bool) -> DeltaGenerator:
    """A disabled box to show while the index loads; empty the returned slot to remove it."""
    slot = st.bottom.empty()
    if shown:
        slot.chat_input("Loading the index…", key="nd_question_loading", disabled=True)
    return slot


def question_box(
    limit: int, placeholder: str, enabled: bool, filters: SearchFilter | None
) -> str | None:
    """The submitted question (None on a rerun without one, or when it was too long)."""
    too_long = st.session_state.pop(_TOO_LONG, None)
    if too_long:
        st.bottom.warning(
            f"Your question is {too_long:,} characters long; the limit is {limit:,}. "
            "It is back in the box: shorten it and send it again.",
            icon=":material/short_text:",
        )
    badges = filter_badges_html(filters, lead="Searching only")
    if badges:
        st.bottom.html(badges)
    return st.bottom.chat_input(
        placeholder, key=_KEY, disabled=not enabled, on_submit=_refuse_too_long, args=(limit,)
    )


def _refuse_too_long(limit: int) -> None:
    """on_submit: keep an over-long question in the box instead of asking it."""
    text = st.session_state.get(_KEY) or ""
    length = len(" ".join(text.split()))  # as the Assistant counts it
    if length > limit:
        st.session_state[_TOO_LONG] = length
        # subtle: setting a chat input's own state puts the text back in the box,
        # and the widget returns None for this run, so nothing is asked.
        st.session_state[_KEY] = text
