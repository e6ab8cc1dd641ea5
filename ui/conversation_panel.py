"""The sidebar's "Conversations" section: start a new one, rename, reopen, download.

The conversation on screen is ``ui.state.turns()`` plus the id it is saved
under (``nd_conversation``); it is written to disk after every answer, so a
reload, a second tab or tomorrow's visit can reopen it from the list.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ui import state
from ui.conversations import Conversation, ConversationStore, new_id
from ui.export import conversation_json, conversation_markdown
from ui.render import escape_markdown
from ui.state import Turn

_CURRENT = "nd_conversation"  # id of the conversation on screen; unset until its first turn
_LISTED = 30  # most recent conversations offered in the sidebar


def record(store: ConversationStore, turn: Turn) -> None:
    """Add ``turn`` to the conversation on screen and save it."""
    state.add_turn(turn)
    conversation_id = st.session_state.setdefault(_CURRENT, new_id())
    store.save(conversation_id, state.turns())


def show(store: ConversationStore) -> None:
    """The section itself (call inside ``st.sidebar``, after the turn of this run is recorded)."""
    st.subheader("Conversations")
    turns = state.turns()
    current = st.session_state.get(_CURRENT)
    st.button(
        "New conversation",
        on_click=_start_new,
        icon=":material/add_comment:",
        disabled=not turns,
        help="The conversation on screen stays saved in the list below.",
    )
    saved = store.recent(_LISTED + 1)  # the one on screen may be among them
    this = next((c for c in saved if c.id == current), None)
    if this is None and current:  # reopened from further down the list
        this = store.load(current)
    if this is not None:
        st.text_input(
            "Name of this conversation",
            value=this.title,
            key=f"nd_title_{this.id}",
            on_change=_rename,
            args=(store, this.id),
            max_chars=120,
        )
    if turns:
        md, js = st.columns(2)
        md.download_button(
            "Markdown",
            conversation_markdown(turns),
            file_name="newsdesk-conversation.md",
            mime="text/markdown",
            icon=":material/download:",
        )
        js.download_button(
            "JSON",
            conversation_json(turns),
            file_name="newsdesk-conversation.json",
            mime="application/json",
            icon=":material/download:",
        )
    others = [c for c in saved if c.id != current][:_LISTED]
    if not others:
        st.caption("Saved conversations will be listed here, newest first.")
    for conversation in others:
        st.button(
            escape_markdown(conversation.title),
            key=f"nd_open_{conversation.id}",
            on_click=_reopen,
            args=(store, conversation.id),
            icon=":material/chat:",
            help=f"Last question {_when(conversation)}",
            type="tertiary",
        )


def _start_new() -> None:
    state.clear_turns()
    st.session_state.pop(_CURRENT, None)


def _reopen(store: ConversationStore, conversation_id: str) -> None:
    conversation = store.load(conversation_id)
    if conversation is not None:  # deleted by hand meanwhile: the list simply refreshes
        state.set_turns(list(conversation.turns))
        st.session_state[_CURRENT] = conversation.id


def _rename(store: ConversationStore, conversation_id: str) -> None:
    store.rename(conversation_id, st.session_state[f"nd_title_{conversation_id}"])


def _when(conversation: Conversation) -> str:
    try:
        moment = datetime.fromisoformat(conversation.updated_at).astimezone()
    except ValueError:
        return "at an unknown time"
    return moment.strftime("%Y-%m-%d %H:%M")
