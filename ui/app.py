"""newsdesk's chat window: `streamlit run ui/app.py` (or `newsdesk chat`).

Only wiring lives here: settings → who is looking (``ui.signin``) → cached
Assistant → sidebar → conversation. Every read of the index passes the viewer's
access (None without sign-in: everything, as the local user).
Every NewsdeskError ends up as an ``st.error`` saying what to do; any other
exception is logged for the terminal and shown as a short message, so the
reader never sees a traceback.

Cold start: the ui modules import nothing heavy, so the title and a disabled
question box reach the browser at once; torch, chromadb and the models load
inside ``ui.state``'s cached Assistant, behind its spinner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from index import Settings
from index.errors import NewsdeskError
from qa.words import plural
from ui import archive, chat, conversation_panel, sidebar, signin, state
from ui.conversations import ConversationStore
from ui.examples import example_questions
from ui.paths import hide_paths
from ui.question import loading_box, question_box
from ui.render import escape_markdown
from ui.theme import apply_theme
from ui.upload import TYPES, upload_form

if TYPE_CHECKING:  # heavy: imported by ui.state behind the loading spinner
    from qa import Assistant

log = logging.getLogger("newsdesk.ui")

_PENDING = "nd_pending_question"  # set by an example-question button
_READY = "nd_page_ready"  # this browser session has seen the page loaded once


def main() -> None:
    st.set_page_config(page_title="newsdesk", page_icon=":material/newspaper:", layout="centered")
    apply_theme()
    st.title("newsdesk", anchor=False)
    st.caption("Ask the news you have indexed. Every answer cites the exact sentence it rests on.")
    # The first run of a session may wait for the models: show where to type meanwhile.
    loading = loading_box(shown=not st.session_state.get(_READY))
    settings = None
    try:
        settings = state.load_settings()
        who = signin.viewer(settings)
        if who is not None:  # None: the sign-in screen is all there is to show
            _run(settings, who, on_loaded=loading.empty)
            st.session_state[_READY] = True
    except NewsdeskError as exc:
        st.error(escape_markdown(hide_paths(str(exc), settings)), icon=":material/error:")
    except Exception as exc:  # a bug: full traceback to the terminal, a short note to the reader
        log.exception("the chat page failed")
        st.error(
            f"Something went wrong ({type(exc).__name__}). The details are in the terminal "
            "running `newsdesk chat`; reload the page to try again.",
            icon=":material/error:",
        )
    finally:
        loading.empty()


def _run(settings: Settings, who: signin.Viewer, on_loaded: Callable[[], object]) -> None:
    with st.sidebar:
        signin.account(who)
        stats_box, filter_box = st.container(), st.container()
        answerer = sidebar.answerer_choice(settings)
        k = sidebar.passages_k(settings)
    assistant = state.get_assistant(settings, answerer)
    stats = assistant.index.stats(who.access)
    on_loaded()
    with stats_box:
        sidebar.show_stats(stats, show_paths=settings.show_paths)
    with filter_box:
        flt = sidebar.filters(stats) if stats["articles"] else None
        day = sidebar.as_of() if stats["articles"] else None
    with st.sidebar:
        upload_form(assistant, who.desks, who.role)
    if archive.chosen():
        archive.show(assistant.index, stats, who.access, who.role)
        return
    conversations = ConversationStore(settings.store_dir, who.user)

    past = state.turns()
    for number, turn in enumerate(past, start=1):
        chat.render_turn(turn, number, assistant.index, who.access)
    typed = question_box(
        settings.max_question_chars,
        "Ask about the indexed news…" if stats["articles"] else "Add articles to start asking",
        enabled=bool(stats["articles"]),
        filters=flt,
    )
    question = (typed or st.session_state.pop(_PENDING, None) or "").strip()
    if question:
        number = len(past) + 1
        turn = chat.ask(
            assistant, question, number, state.history(), flt, k, who.access, as_of=day
        )
        conversation_panel.record(conversations, turn)
    elif not past:
        _empty_state(assistant, stats, who)
    with st.sidebar:
        conversation_panel.show(conversations)


def _empty_state(assistant: Assistant, stats: dict, who: signin.Viewer) -> None:
    """Teach the next step: how to add articles, or what one might ask."""
    if not stats["articles"] and who.role == "read":  # no upload form to point to
        st.info(
            "**Nothing to ask yet:** the archive holds no article you may read. Your role "
            "is *read*: ask a colleague with the *ingest* role to add articles.",
            icon=":material/library_add:",
        )
        return
    if not stats["articles"]:
        st.info(
            "**The index is empty.** Add articles with *Add articles* in the sidebar "
            f"({', '.join(TYPES)}), or from a terminal run `newsdesk ingest PATH` "
            "(a file or a folder) and reload this page.",
            icon=":material/library_add:",
        )
        return
    st.markdown(
        f"Ask anything about the **{plural(stats['articles'], 'indexed article')}**. Answers quote "
        "the sentence they rely on; click a **[n]** to read it in context. For example:"
    )
    for i, question in enumerate(example_questions(assistant.index, access=who.access)):
        st.button(
            escape_markdown(question),
            key=f"nd_example_{i}",
            on_click=st.session_state.__setitem__,
            args=(_PENDING, question),
            icon=":material/chat_bubble:",
        )


main()
