"""What the chat keeps between reruns: the cached Assistant and the per-browser conversation.

Streamlit reruns the whole script on every click, so anything slow (opening
the store, loading the embedding model) lives in ``st.cache_resource`` keyed by
the settings, shared by every browser session of this server. The
conversation lives in ``st.session_state`` and so belongs to one browser tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from index.errors import ConfigError
from index.settings import Settings
from qa import Answer
from qa.answerers.factory import build_answerer

if TYPE_CHECKING:
    from index import SearchFilter
    from qa import Assistant

_TURNS = "nd_turns"


@dataclass(frozen=True)
class Turn:
    """One question and what came back: an answer, or the error shown instead."""

    question: str
    answer: Answer | None = None
    error: str | None = None
    filters: SearchFilter | None = None  # what narrowed the search, badged on the answer


def load_settings() -> Settings:
    """Read the settings (environment and ``.env``); a bad value becomes a ConfigError."""
    try:
        return Settings()
    except Exception as exc:  # pydantic ValidationError names the field and value
        raise ConfigError(
            f"invalid setting: {exc} — fix the NEWSDESK_* variable or .env entry and reload"
        ) from exc


@st.cache_resource(show_spinner="Opening the index and loading the embedding model…")
def _base_assistant(key: str, _settings: Settings) -> Assistant:
    # ``key`` (the settings as JSON) is what Streamlit hashes; a failure is not cached,
    # so a store that comes back is picked up on the next rerun.
    from qa import Assistant  # heavy (torch, chromadb, spaCy): after the page frame is drawn

    return Assistant.from_settings(_settings)


@st.cache_resource(show_spinner="Preparing the answerer…")
def _assistant_with(key: str, answerer: str, _settings: Settings) -> Assistant:
    base = _base_assistant(key, _settings)
    if answerer == _settings.answerer:
        return base
    # Same index and retriever, another answerer: switching never reopens the store.
    from qa import Assistant

    chosen = _settings.model_copy(update={"answerer": answerer})
    return Assistant(
        base.index, base.retriever, build_answerer(answerer, chosen, base.index), chosen
    )


def get_assistant(settings: Settings, answerer: str) -> Assistant:
    """The shared Assistant for these settings, answering with ``answerer``."""
    key = settings.model_dump_json()
    # subtle: a cached call inside another shows only the outer spinner, so the slow
    # first load would read "Preparing the answerer…"; load the base on its own first.
    _base_assistant(key, settings)
    return _assistant_with(key, answerer, settings)


def turns() -> list[Turn]:
    """This browser session's conversation, oldest first."""
    return st.session_state.setdefault(_TURNS, [])


def add_turn(turn: Turn) -> None:
    turns().append(turn)


def clear_turns() -> None:
    st.session_state[_TURNS] = []


def set_turns(turns: list[Turn]) -> None:
    """Show another (reopened) conversation in this browser session."""
    st.session_state[_TURNS] = list(turns)


def history() -> list[tuple[str, str]]:
    """(question, answer text) pairs of the answered turns, for follow-up questions."""
    return [(t.question, t.answer.text) for t in turns() if t.answer is not None]
