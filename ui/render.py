"""Turn answers and articles into safe markup: escaped Markdown and escaped HTML.

Article text, titles and answers come from files anyone can write, so nothing
from them is ever rendered as markup: Markdown goes through
:func:`escape_markdown` (every ASCII punctuation character backslash-escaped,
so ``[x](javascript:…)`` is plain text) and HTML through :func:`html.escape`.
Links are only ever built here, from citation numbers and from ``http(s)``
URLs. This module does not call Streamlit; ``ui.chat`` places the strings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from qa import Citation, Passage
from qa.dates import long_day, parse_article_date
from qa.models import TimelineEvent

# Every ASCII punctuation character may be backslash-escaped in CommonMark;
# escaping all of them also defuses Streamlit's extras (:color[], $math$, ~~).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^@%,;?/])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")  # an escaped "[n]"
_BLANK_LINE = re.compile(r"\n\s*\n")
# group 1: the period and closers; the next sentence starts with a capital, digit or quote.
_SENTENCE_END = re.compile(r"([.!?][\"'”’)\]]*)\s+(?=[A-Z0-9“\"‘'(\[])")

#: Around a quote we show its paragraph, widened by whole lines to about this
#: many characters (some outlets put every sentence on its own line) and cut
#: at about ``_MAX_CONTEXT`` (some put a whole article in one paragraph).
_MIN_CONTEXT = 420
_MAX_CONTEXT = 900


def escape_markdown(text: str) -> str:
    """Return ``text`` as Markdown that displays literally (no links, HTML or emphasis)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    # subtle: a Markdown line break or an indented code block needs leading spaces;
    # collapsing runs of spaces keeps article layout from turning into markup.
    return re.sub(r"[ \t]{2,}", " ", escaped)


def cite_anchor(turn: int, n: int) -> str:
    """The element id of source card ``n`` under answer ``turn`` (the target of ``[n]``)."""
    return f"cite-{turn}-{n}"


def answer_markdown(text: str, turn: int, cited: Iterable[int]) -> str:
    """Escape an answer and turn each known ``[n]`` into a link to its source card; each
    line of a list answer stays a line (a hard break, not Markdown's joining newline)."""
    known = set(cited)

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group(0)
        return f"[\\[{n}\\]](#{cite_anchor(turn, n)})"

    return _MARKER.sub(link, escape_markdown(text)).replace("\n", "  \n")


def _when(event: TimelineEvent) -> str:
    day, until = parse_article_date(event.date), parse_article_date(event.until)
    if day is None:
        return event.date
    return long_day(day) + (f" – {long_day(until)}" if until and until != day else "")


def timeline_html(events: Iterable[TimelineEvent], turn: int, cited: Iterable[int]) -> str:
    """A timeline as a vertical list: each event's date, its escaped quote, and its
    citation numbers as links to the source cards below (``#cite-<turn>-<n>``)."""
    known = set(cited)
    items = []
    for event in events:
        marks = "".join(
            f'<a class="nd-tl-cite" href="#{cite_anchor(turn, n)}">[{n}]</a>'
            for n in event.citations
            if n in known
        )
        items.append(
            f'<li class="nd-tl-event"><span class="nd-tl-date">{html.escape(_when(event))}'
            f'</span><span class="nd-tl-text">“{html.escape(event.text)}” {marks}</span></li>'
        )
    return f'<ol class="nd-timeline">{"".join(items)}</ol>'


def safe_url(url: str | None) -> str | None:
    """Return ``url`` if it is a plain http(s) address, else None (no javascript:, data:…)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def context_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The (start, end) of the text shown around a quote ``text[start:end]``.

    Starts from the quote's paragraph (blank-line separated), widens it by whole
    lines while it is short, and trims it to sentence-ish boundaries when long.
    """
    lo = max((m.end() for m in _BLANK_LINE.finditer(text, 0, start)), default=0)
    hi_match = _BLANK_LINE.search(text, end)
    hi = hi_match.start() if hi_match else len(text)
    while hi - lo < _MIN_CONTEXT and (lo > 0 or hi < len(text)):
        before = text.rfind("\n", 0, max(lo - 1, 0))
        after = text.find("\n", hi + 1)
        lo = 0 if lo == 0 or before < 0 else before + 1
        hi = len(text) if hi == len(text) or after < 0 else after
    if hi - lo > _MAX_CONTEXT:
        half = max((_MAX_CONTEXT - (end - start)) // 2, 0)
        lo = _cut_after_sentence(text, max(lo, start - half), start)
        hi = _cut_before_sentence_end(text, end, min(hi, end + half))
    return lo, hi


def _cut_after_sentence(text: str, lo: int, start: int) -> int:
    """Move ``lo`` forward past a partial sentence (or word), staying before ``start``."""
    if lo == 0 or text[lo - 1] == "\n":
        return lo
    first = _SENTENCE_END.search(text, lo, start)
    if first:
        return first.end()
    space = text.find(" ", lo, start)
    return space + 1 if space >= 0 else lo


def _cut_before_sentence_end(text: str, end: int, hi: int) -> int:
    """Move ``hi`` back to the end of a sentence (or word) after ``end``."""
    ends = [m.end(1) for m in _SENTENCE_END.finditer(text, end, hi)]
    if ends:
        return ends[-1]
    space = text.rfind(" ", end, hi)
    return space if space >= 0 else hi


def _meta_html(source: str | None, date: str | None, url: str | None) -> str:
    parts = [html.escape(p) for p in (source, date) if p]
    link = safe_url(url)
    if link:
        parts.append(
            f'<a href="{html.escape(link, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer nofollow">open article ↗</a>'
        )
    return " · ".join(parts)


def citation_card_html(citation: Citation, article_text: str | None, turn: int) -> str:
    """A source card: number, title, outlet · date · link, quote highlighted in context."""
    if article_text is not None and article_text[citation.start : citation.end] == citation.quote:
        lo, hi = context_window(article_text, citation.start, citation.end)
        before = article_text[lo : citation.start]
        after = article_text[citation.end : hi]
        lead = "… " if lo > 0 else ""
        tail = " …" if hi < len(article_text) else ""
    else:  # article gone since the answer was given: show the quote alone
        before = after = lead = tail = ""
    body = (
        f"{lead}{html.escape(before)}<mark>{html.escape(citation.quote)}</mark>"
        f"{html.escape(after)}{tail}"
    )
    return (
        f'<div class="nd-card" id="{cite_anchor(turn, citation.n)}">'
        f'<div class="nd-head"><span class="nd-n">{citation.n}</span>'
        f'<span class="nd-title">{html.escape(citation.title or "Untitled")}</span></div>'
        f'<div class="nd-meta">{_meta_html(citation.source, citation.date, citation.url)}</div>'
        f'<p class="nd-context">{body}</p></div>'
    )


def passage_card_html(passage: Passage) -> str:
    """A card for a retrieved passage shown under a refusal (nothing highlighted)."""
    return (
        '<div class="nd-card nd-passage">'
        f'<div class="nd-head"><span class="nd-title">{html.escape(passage.title or "Untitled")}'
        "</span></div>"
        f'<div class="nd-meta">{_meta_html(passage.source, passage.date, passage.url)}</div>'
        f'<p class="nd-context">{html.escape(passage.text)}</p></div>'
    )


def refusal_html(text: str) -> str:
    """The honest "the articles don't say" box, styled apart from answers."""
    return (
        f'<div class="nd-refusal"><span class="nd-refusal-icon">∅</span>{html.escape(text)}</div>'
    )
