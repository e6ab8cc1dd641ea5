"""Plain-text and Markdown articles: an optional headline, then the body.

The first line is taken as the headline when it looks like one: at most
``HEADLINE_MAX_CHARS`` characters and ``HEADLINE_MAX_WORDS`` words, not ending
with a period, colon or comma, and followed by more text. In Markdown a first
line ``# Heading`` (any level) is always the headline, without its ``#``s.
The headline is not part of ``Article.text``. Other Markdown markup is left in
the text as written (it is still quotable as is).
"""

from __future__ import annotations

import re

from index.dateline import parse_dateline
from index.loaders.common import make_article, normalise_text
from index.models import Article

HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 30
_MD_HEADING = re.compile(r"#{1,6}\s+(?P<title>.*?)[\s#]*$")
_CLOSERS = "\"'”’)]*_"


def looks_like_headline(line: str) -> bool:
    """Short, not a sentence ending in a period, and not a dateline lede."""
    words = line.split()
    if not words or len(line) > HEADLINE_MAX_CHARS or len(words) > HEADLINE_MAX_WORDS:
        return False
    if line.rstrip(_CLOSERS)[-1:] in (".", ":", ",", ";"):
        return False
    return parse_dateline(line) is None


def parse_text(path: str, raw: str, markdown: bool) -> Article:
    """Build the Article of one .txt/.md file from its decoded content."""
    text = normalise_text(raw)
    first, _, rest = text.partition("\n")
    title = None
    heading = _MD_HEADING.match(first) if markdown else None
    if rest.strip():
        if heading is not None:
            title = heading["title"]
        elif looks_like_headline(first):
            title = first
    body = rest if title is not None else text
    return make_article(path, body, title=title)
