"""Badges that say which filters narrowed a search, as escaped HTML.

Shown twice: on every answer given under filters (so an answer read later
still says it left articles out) and in a line just above the chat box (the
sidebar that holds the filters is collapsed on a phone). Outlet names come
from article files, so they are escaped like any article text. This module
does not call Streamlit.
"""

from __future__ import annotations

import html

from index import SearchFilter


def filter_labels(flt: SearchFilter | None) -> list[str]:
    """One short label per active filter: each outlet, then the date range."""
    if flt is None or flt.is_empty:
        return []
    labels = [f"Outlet: {source}" for source in flt.sources]
    if flt.since and flt.until:
        same = flt.since == flt.until
        labels.append(f"Date: {flt.since}" if same else f"Dates: {flt.since} – {flt.until}")
    elif flt.since:
        labels.append(f"From {flt.since}")
    elif flt.until:
        labels.append(f"Until {flt.until}")
    if flt.article_ids:
        n = len(flt.article_ids)
        labels.append(f"{n} chosen article" + ("" if n == 1 else "s"))
    return labels


def filter_badges_html(flt: SearchFilter | None, lead: str = "Filtered") -> str:
    """A line of badges for the active filters, or "" when nothing is narrowed."""
    labels = filter_labels(flt)
    if not labels:
        return ""
    badges = "".join(f'<span class="nd-badge">{html.escape(label)}</span>' for label in labels)
    return (
        f'<div class="nd-filters" role="status"><span class="nd-filters-lead">'
        f"{html.escape(lead)}:</span>{badges}</div>"
    )
