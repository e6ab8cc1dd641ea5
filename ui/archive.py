"""The Archive view: list and search the indexed articles, read one, delete one after confirming.

Listing goes through ``NewsIndex.list_articles`` (title words, outlets and a
date range, newest first), so it costs no embedding; listing and opening pass the
viewer's access, so a signed-in reader never sees an article off their desks. Deleting is two clicks:
"Delete this article…" shows what will happen and only "Delete for good"
removes the article with all of its passages; a reader whose role is ``read``
gets no delete button, and a deletion reached anyway is refused (``RoleTooLow``). Titles and text are shown as
the literal text they are (escaped Markdown / escaped HTML), never as markup.
"""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from index import Access, Article, NewsIndex, SearchFilter
from index.errors import RoleTooLow
from index.user_desks import allows
from ui.render import escape_markdown, safe_url

CHAT, ARCHIVE = "Chat", "Archive"
_VIEW = "nd_view"
_OPEN = "nd_archive_open"  # id of the article being read
_CONFIRM = "nd_archive_confirm"  # id of the article whose deletion awaits confirmation
_NOTICE = "nd_archive_notice"  # what the last deletion did, shown once on the list
_SHOWN = "nd_archive_shown"  # how many rows of the list are shown
_PAGE = 20


def chosen() -> bool:
    """The Chat | Archive switch under the page title; True when the archive is chosen."""
    view = st.segmented_control(
        "View", [CHAT, ARCHIVE], default=CHAT, required=True, key=_VIEW,
        label_visibility="collapsed",
    )  # fmt: skip
    return view == ARCHIVE


def show(
    index: NewsIndex, stats: dict, access: Access | None = None, role: str = "admin"
) -> None:
    """The archive: one open article, or the searchable list (``access``: what the
    reader may see, None = everything; ``role``: "read" may not delete)."""
    opened = st.session_state.get(_OPEN)
    article = index.get_article(opened, access) if opened else None
    if article is not None:
        _article(index, article, role)
    else:
        st.session_state.pop(_OPEN, None)
        _listing(index, stats, access, role)


def _listing(index: NewsIndex, stats: dict, access: Access | None, role: str) -> None:
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.success(notice, icon=":material/delete:")
    words = st.text_input(
        "Search titles", key="nd_archive_words", placeholder="Words in the headline",
        on_change=_first_page,
    )  # fmt: skip
    left, right = st.columns(2)
    outlets = left.multiselect(
        "Outlets", stats.get("sources") or [], key="nd_archive_outlets",
        placeholder="All outlets", on_change=_first_page,
    )  # fmt: skip
    with right:
        since, until = _date_range(stats)
    flt = SearchFilter(sources=tuple(outlets), since=since, until=until, access=access)
    shown = st.session_state.get(_SHOWN, _PAGE)
    plain = flt.is_empty and access is None
    total, articles = index.list_articles(words, None if plain else flt, limit=shown)
    if not total:
        st.info(
            "No article matches. Try fewer words or clear the filters."
            if stats.get("articles")
            else "The archive is empty: add articles with *Add articles* in the sidebar."
            if allows(role, "ingest")
            else "The archive holds no article you may read yet.",
            icon=":material/search_off:",
        )
        return
    st.caption(f"Showing {len(articles):,} of {total:,} article{'s' if total != 1 else ''}")
    for article in articles:
        with st.container(border=True):
            st.button(
                escape_markdown(article.title or "Untitled"),
                key=f"nd_archive_item_{article.article_id}",
                on_click=st.session_state.__setitem__,
                args=(_OPEN, article.article_id),
                type="tertiary",
            )
            st.caption(escape_markdown(_meta(article)))
    if len(articles) < total:
        st.button(
            f"Show {min(_PAGE, total - len(articles))} more",
            on_click=st.session_state.__setitem__,
            args=(_SHOWN, shown + _PAGE),
            icon=":material/expand_more:",
        )


def _article(index: NewsIndex, article: Article, role: str) -> None:
    st.button("Back to the archive", on_click=_close, icon=":material/arrow_back:")
    st.subheader(escape_markdown(article.title or "Untitled"), anchor=False)
    st.caption(escape_markdown(_meta(article, author=True)))
    link = safe_url(article.url)
    if link:
        st.link_button("Open the original", link, icon=":material/open_in_new:")
    st.html(
        '<div class="nd-article" style="white-space: pre-wrap; line-height: 1.6">'
        f"{html.escape(article.text)}</div>"
    )
    if not allows(role, "ingest"):
        st.session_state.pop(_CONFIRM, None)
        return
    if st.session_state.get(_CONFIRM) != article.article_id:
        st.button(
            "Delete this article…",
            key="nd_archive_delete",
            on_click=st.session_state.__setitem__,
            args=(_CONFIRM, article.article_id),
            icon=":material/delete:",
        )
        return
    st.warning(
        f"Delete “{escape_markdown(article.title or 'Untitled')}” from the index? Its passages "
        "stop being searchable at once and it leaves this list; answers already given keep "
        "their quotes. To bring it back, add its file again.",
        icon=":material/warning:",
    )
    yes, no = st.columns(2)
    if yes.button("Delete for good", type="primary", icon=":material/delete_forever:"):
        _delete(index, article, role)
        _close()
        st.session_state[_NOTICE] = f"Deleted “{escape_markdown(article.title or 'Untitled')}”."
        st.rerun()
    no.button("Cancel", on_click=st.session_state.pop, args=(_CONFIRM, None))


def _delete(index: NewsIndex, article: Article, role: str) -> None:
    """Remove ``article``, as the API's ``DELETE /v1/articles/{id}``: role ingest or higher.

    Raises:
        RoleTooLow: a "read" reader (never shown the button: a backstop).
    """
    if not allows(role, "ingest"):
        raise RoleTooLow("deleting an article", role, "ingest")
    index.delete(article.article_id)  # a NewsdeskError (index busy…) reaches the page


def _close() -> None:
    st.session_state.pop(_OPEN, None)
    st.session_state.pop(_CONFIRM, None)


def _first_page() -> None:
    st.session_state.pop(_SHOWN, None)


def _meta(article: Article, author: bool = False) -> str:
    outlets = ", ".join(article.sources or ([article.source] if article.source else []))
    words = f"{len(article.text.split()):,} words"
    parts = [outlets, article.date or "undated", article.author if author else None, words]
    return " · ".join(p for p in parts if p)


def _date_range(stats: dict) -> tuple[str | None, str | None]:
    """(since, until) ISO dates when the reader narrowed the range, else (None, None)."""
    lo, hi = _as_date(stats.get("date_min")), _as_date(stats.get("date_max"))
    if not (lo and hi):
        return None, None
    picked = st.date_input(
        "Published between", value=(lo, hi), min_value=lo, max_value=hi,
        key="nd_archive_dates", on_change=_first_page,
        help="Narrowing the range leaves out articles without a date.",
    )  # fmt: skip
    if isinstance(picked, tuple) and len(picked) == 2 and tuple(picked) != (lo, hi):
        return picked[0].isoformat(), picked[1].isoformat()
    return None, None


def _as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
