"""The sidebar: what is in the index, how to answer (answerer, k, filters).

Filters only narrow the search when the reader narrows them: an untouched
date range means "no date filter", so undated articles stay searchable.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from index import SearchFilter, Settings
from ui.render import escape_markdown

_LABELS = {
    "extractive": "Offline extractive",
    "reader": "Trained reader (offline)",
    "local": "Local model (GGUF)",
    "llm": "Configured LLM",
}


def answerer_choice(settings: Settings) -> str:
    """Radio for the answerer; without ``NEWSDESK_LLM`` the LLM is greyed out and explained."""
    st.subheader("Answering")
    usable = ["extractive"]
    if settings.answerer == "reader":
        usable.append("reader")
    if settings.local_model_path or settings.answerer == "local":
        usable.append("local")
    if settings.llm:
        usable.append("llm")
    default = settings.answerer if settings.answerer in usable else "extractive"
    # Streamlit cannot grey out one option: with nothing to choose, show all, disabled.
    shown = usable if len(usable) > 1 else [*usable, "llm"]
    choice = st.radio(
        "Answerer",
        shown,
        index=shown.index(default),
        format_func=lambda name: (
            _LABELS[name] + (f" ({settings.llm})" if name == "llm" and settings.llm else "")
        ),
        disabled=len(usable) == 1,
        key="nd_answerer",
    )
    if not settings.llm:
        st.caption(
            "To answer with an LLM, set `NEWSDESK_LLM` (e.g. `openai:gpt-4o-mini`, plus its API "
            "key) in the environment or `.env`, then restart `newsdesk chat`."
        )
    return choice if choice in usable else default


def passages_k(settings: Settings) -> int:
    return st.slider(
        "Passages to read (k)",
        min_value=1,
        max_value=min(settings.max_k, 20),
        value=min(settings.k, 20),
        key="nd_k",
        help="How many retrieved passages the answerer may quote from.",
    )


def show_stats(stats: dict, show_paths: bool = False) -> None:
    """Index size and model; the store's location only with ``NEWSDESK_SHOW_PATHS``.

    A server path tells whoever opens the page about the machine, not the news.
    """
    st.subheader("Index")
    left, right = st.columns(2)
    left.metric("Articles", f"{stats.get('articles', 0):,}")
    right.metric("Chunks", f"{stats.get('chunks', 0):,}")
    model = str(stats.get("embedding_model") or "?").rsplit("/", 1)[-1]
    dimension = f" · {stats['dimension']}-d" if stats.get("dimension") else ""
    store = f"  \nStore: {escape_markdown(str(stats.get('store', '?')))}" if show_paths else ""
    st.caption(f"Model: {escape_markdown(model)}{dimension}{store}")


def filters(stats: dict) -> SearchFilter | None:
    """Outlet and date filters from what the index holds; None when nothing is narrowed."""
    st.subheader("Filters")
    outlets = st.multiselect(
        "Outlets", stats.get("sources") or [], key="nd_outlets", placeholder="All outlets"
    )
    since = until = None
    lo, hi = _as_date(stats.get("date_min")), _as_date(stats.get("date_max"))
    if lo and hi:
        picked = st.date_input(
            "Published between",
            value=(lo, hi),
            min_value=lo,
            max_value=hi,
            key="nd_dates",
            help="Narrowing the range leaves out articles without a date.",
        )
        if isinstance(picked, tuple) and len(picked) == 2 and tuple(picked) != (lo, hi):
            since, until = picked[0].isoformat(), picked[1].isoformat()
    flt = SearchFilter(sources=tuple(outlets), since=since, until=until)
    return None if flt.is_empty else flt


def as_of() -> date | None:
    """The day questions are asked about; None (empty): today."""
    return st.date_input(
        "Ask as of",
        value=None,
        key="nd_as_of",
        help="Empty: today. Set a day to read the archive as it stood then: nothing later "
        "is searched, and 'latest', 'now', 'so far' mean that day.",
    )


def _as_date(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
