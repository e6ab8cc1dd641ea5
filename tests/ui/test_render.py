"""What the page's markup builders guarantee, for any text an article might contain.

Rendering is checked with real parsers: markdown-it (CommonMark) for the
escaped Markdown and the stdlib HTML parser for the cards.
"""

from __future__ import annotations

import html
import string
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from qa import Citation, Passage
from qa.models import TimelineEvent
from ui.render import (
    answer_markdown,
    citation_card_html,
    context_window,
    escape_markdown,
    passage_card_html,
    refusal_html,
    safe_url,
    timeline_html,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "**bold** _it_ `code` # head > quote",
    ":red[colour] $x^2$ ~~gone~~ | a | b |",
    "&lt;script&gt; &amp; &#106;avascript:",
]
one_line = st.text(
    alphabet=st.sampled_from(string.printable.replace("\n", "").replace("\r", "")), max_size=80
).map(lambda s: " ".join(s.split()))


def _commonmark(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_markdown_renders_as_the_literal_text(payload: str) -> None:
    rendered = _commonmark(escape_markdown(payload))
    assert rendered == f"<p>{html.escape(payload, quote=False).replace(chr(34), '&quot;')}</p>\n"


@given(one_line)
def test_any_line_of_text_survives_markdown_unchanged(text: str) -> None:
    rendered = _commonmark(escape_markdown(text))
    expected = html.escape(text, quote=False).replace('"', "&quot;")
    assert rendered == (f"<p>{expected}</p>\n" if text else "")


def test_only_known_citation_markers_become_links() -> None:
    markdown = answer_markdown("SDF fighters [1] guard it [3]. See [x](javascript:1)", 2, [1])
    rendered = _commonmark(markdown)
    assert rendered.count("<a ") == 1
    assert '<a href="#cite-2-1">[1]</a>' in rendered
    assert "guard it [3]." in rendered  # [3] cites nothing: plain text
    assert "[x](javascript:1)" in rendered  # article-made links stay text


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://apnews.com/article/x", True),
        ("http://example.org/a?b=1", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_links_are_kept(url: str | None, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


@given(
    title=st.text(max_size=40) | st.sampled_from(PAYLOADS),
    quote=st.text(min_size=1, max_size=40) | st.sampled_from(PAYLOADS),
    around=st.text(max_size=60) | st.sampled_from(PAYLOADS),
    source=st.none() | st.text(max_size=20) | st.sampled_from(PAYLOADS),
    url=st.none()
    | st.text(max_size=30)
    | st.sampled_from(["javascript:alert(1)", "https://a.b/c"]),
)
def test_cards_contain_only_our_own_tags(title, quote, around, source, url) -> None:
    text = around + quote + around
    citation = Citation(1, "a1", title, quote, len(around), len(around) + len(quote), source,
                        "2025-01-02", url)  # fmt: skip
    passage = Passage("a1:0", "a1", title, text, 0, len(text), 0.5, source=source, url=url)
    for markup in (
        citation_card_html(citation, text, turn=1),
        passage_card_html(passage),
        refusal_html(around),
    ):
        for tag, attrs in _tags(markup):
            assert tag in {"div", "span", "p", "mark", "a"}
            assert set(attrs) <= {"class", "id", "href", "target", "rel"}
            assert tag != "a" or (attrs["href"] or "").startswith(("http://", "https://"))


def test_card_highlights_the_quote_inside_its_paragraph() -> None:
    text = "First line.\nSecond line has the quote here.\nThird line.\n\nAnother paragraph."
    start = text.index("the quote here.")
    citation = Citation(1, "a1", "T", "the quote here.", start, start + 15)
    card = citation_card_html(citation, text, turn=4)
    assert 'id="cite-4-1"' in card
    assert "Second line has <mark>the quote here.</mark>" in card
    assert "First line." in card and "Third line." in card


@given(st.text(min_size=1, max_size=3000), st.data())
def test_context_always_contains_the_quote(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    lo, hi = context_window(text, start, end)
    assert 0 <= lo <= start and end <= hi <= len(text)


def test_each_line_of_a_list_answer_renders_on_its_own_line() -> None:
    text = "- Meta: “Meta cut jobs.” [1]\n- Amazon: “Amazon too.” [2]"
    rendered = _commonmark(answer_markdown(text, 1, [1, 2]))
    assert rendered.count("<br />") == 1 and rendered.count("<a ") == 2
    assert "<li>" not in rendered  # shown as written, not turned into markup


@given(text=st.text(max_size=60) | st.sampled_from(PAYLOADS))
def test_a_timeline_contains_only_our_own_tags_and_links_only_known_citations(text) -> None:
    events = [
        TimelineEvent("2025-03-02", text, (1,)),
        TimelineEvent("2025-03-04", text, (2, 9), until="2025-03-06"),
    ]
    markup = timeline_html(events, turn=3, cited=[1, 2])
    for tag, attrs in _tags(markup):
        assert tag in {"ol", "li", "span", "a"}
        assert set(attrs) <= {"class", "href"}
        assert tag != "a" or attrs["href"] in ("#cite-3-1", "#cite-3-2")
    assert "#cite-3-9" not in markup  # no card for [9]: no link either


def test_a_timeline_lists_dates_in_order_with_their_quotes() -> None:
    events = [
        TimelineEvent("2025-03-02", "A dam collapsed on Sunday.", (1,)),
        TimelineEvent("2025-03-10", "Crews worked last week.", (2,), until="2025-03-16"),
    ]
    markup = timeline_html(events, turn=1, cited=[1, 2])
    assert markup.index("2 March 2025") < markup.index("10 March 2025 – 16 March 2025")
    assert "“A dam collapsed on Sunday.” " in markup
    assert '<a class="nd-tl-cite" href="#cite-1-2">[2]</a>' in markup
