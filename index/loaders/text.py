"""Plain-text and Markdown articles: optional front matter, an optional headline, the body.

Front matter: a first line ``---``, then ``key: value`` lines, then ``---``
(the Jekyll/Hugo convention). ``title``, ``date`` (or ``published_at``),
``source``, ``url`` and ``author`` fill the Article's fields; other keys go to
``extra`` as strings. Only flat ``key: value`` pairs are read, not full YAML.

Headline: the first line of the body is taken as the headline when it looks
like one: at most ``HEADLINE_MAX_CHARS`` characters and ``HEADLINE_MAX_WORDS``
words, with a letter or digit, not ending with a period, colon, semicolon or
comma, not a wire dateline, and followed by more text. In Markdown a first
line ``# Heading`` (any level, or underlined with ``===``/``---``) is always
the headline, without its markup. The headline is not part of
``Article.text``. Other Markdown markup is left in the text as written (it is
still quotable as is).
"""

from __future__ import annotations

import re

from index.dateline import parse_dateline
from index.loaders.common import make_article, normalise_text
from index.models import Article

HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 30
_MD_HEADING = re.compile(r"#{1,6}\s+(?P<title>.*?)[\s#]*$")
_SETEXT_RULE = re.compile(r"=+|-{3,}")
_FRONT_MATTER = re.compile(r"---\n(?P<block>(?:[^\n]*\n)*?)---(?:\n|$)")
_KEY_VALUE = re.compile(r"(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)")
_CLOSERS = "\"'”’)]*_"
FIELDS = ("title", "date", "published_at", "source", "url", "author")


def looks_like_headline(line: str) -> bool:
    """Short, not a sentence ending in a period, and not a dateline lede."""
    words = line.split()
    if not words or len(line) > HEADLINE_MAX_CHARS or len(words) > HEADLINE_MAX_WORDS:
        return False
    if not any(ch.isalnum() for ch in line):
        return False
    if line.rstrip(_CLOSERS)[-1:] in (".", ":", ",", ";"):
        return False
    return parse_dateline(line) is None


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``({key: value}, rest)`` for text starting with a ``---`` block, else ``({}, text)``."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    fields = {}
    for line in match["block"].splitlines():
        pair = _KEY_VALUE.fullmatch(line.strip())
        if pair is not None:
            fields[pair["key"].lower()] = pair["value"].strip().strip("\"'")
    if not fields:  # a horizontal rule, not front matter
        return {}, text
    return fields, text[match.end() :]


def parse_text(path: str, raw: str, markdown: bool) -> Article:
    """Build the Article of one .txt/.md file from its decoded content."""
    meta, text = split_front_matter(normalise_text(raw))
    text = text.lstrip("\n")
    first, _, rest = text.partition("\n")
    title = meta.get("title") or None
    heading = _MD_HEADING.match(first) if markdown else None
    underline, _, after = rest.partition("\n")
    if markdown and heading is None and _SETEXT_RULE.fullmatch(underline) and after.strip():
        heading = _MD_HEADING.match(f"# {first}")  # "Title\n=====" is a heading too
        rest = after
    if rest.strip():
        if heading is not None:
            title = title or heading["title"]
            text = rest
        elif looks_like_headline(first):
            title = title or first
            text = rest
    return make_article(
        path,
        text,
        title=title,
        date=meta.get("date") or meta.get("published_at"),
        source=meta.get("source"),
        url=meta.get("url"),
        author=meta.get("author"),
        extra={k: v for k, v in meta.items() if k not in FIELDS},
    )
