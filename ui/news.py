"""Mark an answer whose sources disagree, or whose facts were updated, as escaped HTML.

Under the answer text, a "Sources disagree" panel lists each side's value, outlet and
citation link (``[n]`` → its source card); an "Updated" / "Corrected" panel gives the
latest value and date beside the one it replaced. Values and outlet names come from
article files, so every string is escaped (``html.escape``); links are built only from
citation numbers. Panels wrap at any width (a 420 px phone). This module does not call
Streamlit.
"""

from __future__ import annotations

import html

from qa import Answer
from ui.render import cite_anchor


def _cite(answer: Answer, turn: int, n: int) -> str:
    """ "[2] Coast Radio, 2024-06-01" linked to the source card."""
    c = next((c for c in answer.citations if c.n == n), None)
    meta = ", ".join(x for x in (c.source, c.date) if x) if c else ""
    link = f'<a class="nd-cite" href="#{cite_anchor(turn, n)}">[{n}]</a>'
    return link + (f' <span class="nd-side-meta">{html.escape(meta)}</span>' if meta else "")


def _value(value: str) -> str:
    return f'<span class="nd-value">{html.escape(value)}</span>'


def disagreement_html(answer: Answer, turn: int) -> str:
    """The "Sources disagree" panel (one line per side), or "" without a disagreement."""
    panels = []
    for d in answer.disagreements:
        sides = "".join(
            f'<li class="nd-side">{_value(v)} {_cite(answer, turn, n)}</li>'
            for v, n in zip(d.values, d.citations, strict=True)
        )
        panels.append(
            '<div class="nd-conflict" role="note">'
            '<span class="nd-flag">⚠ Sources disagree</span>'
            f'<ul class="nd-sides">{sides}</ul></div>'
        )
    return "".join(panels)


def superseded_html(answer: Answer, turn: int) -> str:
    """One "Updated" / "Corrected" line per replaced value, or "" when none."""
    rows = []
    for s in answer.superseded:
        flag = "Corrected" if s.reason == "correction" else "Updated"
        new = _value(s.by_value) + (f" ({html.escape(s.by_date)})" if s.by_date else "")
        old = _value(s.value) + (f" ({html.escape(s.date)})" if s.date else "")
        rows.append(
            '<div class="nd-update" role="note">'
            f'<span class="nd-flag nd-flag-update">{flag}</span> '
            f"{new} {_cite(answer, turn, s.by_citation)} "
            f'<span class="nd-was">replaces</span> {old} {_cite(answer, turn, s.citation)}</div>'
        )
    return "".join(rows)


def news_html(answer: Answer, turn: int) -> str:
    """Both panels (either may be empty)."""
    return disagreement_html(answer, turn) + superseded_html(answer, turn)
