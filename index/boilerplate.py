"""Find the lines of an article that are the page around the story, not the story.

Scraped news text carries lines that are not reporting: datelines such as
"CNN —", newsletter blurbs ("The Short List is a snappy USA TODAY news
roundup…"), related-link lines ("Meta layoffs:Facebook parent company to lay
off more than 11,000 employees", a headline glued to a link's text), contact
bylines ("Reach the reporter at …@….com") and section labels. Quoting or
searching them makes wrong answers, so ingest keeps them out of chunks.

A line is boilerplate when one of these holds (``kind`` names which):

- ``repeated``: the same line (casefolded, spacing ignored) is in at least
  ``min_articles`` articles of the same outlet — page furniture repeats, reporting
  rarely does word for word;
- ``heading``: a very short title-case line (≤ 4 capitalised words of letters
  only: no digits, quotes or punctuation, so "4. Wisconsin" and "WINNER: Troy
  Kotsur" stay) that is in at least two articles of the outlet ("TODAY'S
  WEATHER", "Utah");
- ``link``: a related-link line: words, a colon with no space, then a capital
  ("Podcasts:True crime…"), and no final period — how a link's text joins the
  headline before it when a page is flattened;
- ``contact``: a short line (≤ 40 words) with an e-mail address, or a dash then
  a name alone ("– David Jackson").

Counting lines "in other articles of the outlet" needs memory across articles:
the caller passes ``repeats`` (line fingerprint → how many articles of the
outlet hold it, this one included), which ingest keeps in the catalog. This
module does not rewrite text: it returns spans, and chunking leaves them out,
so every offset still refers to ``Article.text``. A line seen in only one
article is never ``repeated`` or ``heading``, so an article's own content is
kept unless it has the shape of a link or contact line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from index.models import Span

KINDS = ("repeated", "heading", "link", "contact")
HEADING_MAX_WORDS = 4
HEADING_MIN_ARTICLES = 2
CONTACT_MAX_WORDS = 40

_LINE = re.compile(r"[^\n]+")
_LINK = re.compile(r"[^\s:][^:]{1,80}[a-z)’'”\"]:[\"“‘']?[A-Z]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_DASH_NAME = re.compile(r"[-–—]{1,2}\s*(?:[A-Z][\w.'’-]*\s*){1,4}")
_HEADING_WORD = re.compile(r"[^\W\d_]+(?:['’&-][^\W\d_]*)*")  # letters only: no digits, quotes


@dataclass(frozen=True)
class Excluded:
    """One line kept out of chunks: ``article.text[start:end]``, and why."""

    start: int
    end: int
    kind: str  # one of KINDS


def line_spans(text: str) -> list[Span]:
    """(start, end) of every non-blank line, surrounding spaces stripped."""
    spans = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def fingerprint(line: str) -> int:
    """A signed 64-bit hash of the line, casefolded with spacing collapsed (fits SQLite)."""
    key = " ".join(line.casefold().split()).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little", signed=True)


def fingerprints(text: str) -> set[int]:
    """The distinct line fingerprints of an article (what the catalog counts)."""
    return {fingerprint(text[s:e]) for s, e in line_spans(text)}


def _is_heading(line: str) -> bool:
    words = line.split()
    return len(words) <= HEADING_MAX_WORDS and all(
        _HEADING_WORD.fullmatch(w) and w[0].isupper() for w in words
    )


def _shape(line: str) -> str | None:
    """``link`` or ``contact`` when the line alone has that shape, else None."""
    if _LINK.match(line) and not line.rstrip("\"'”’)").endswith("."):
        return "link"
    if len(line.split()) <= CONTACT_MAX_WORDS and (
        _EMAIL.search(line) or _DASH_NAME.fullmatch(line)
    ):
        return "contact"
    return None


def find_boilerplate(text: str, repeats: Mapping[int, int], min_articles: int) -> list[Excluded]:
    """The boilerplate lines of ``text`` in text order (see the module docstring).

    Args:
        repeats: line fingerprint → articles of this outlet holding the line
            (this one included); missing fingerprints count as 1.
        min_articles: articles a line must be in to be ``repeated``.
    """
    found = []
    for start, end in line_spans(text):
        line = text[start:end]
        seen_in = repeats.get(fingerprint(line), 1)
        kind = _shape(line)
        if kind is None and seen_in >= min_articles:
            kind = "repeated"
        elif kind is None and seen_in >= HEADING_MIN_ARTICLES and _is_heading(line):
            kind = "heading"
        if kind is not None:
            found.append(Excluded(start, end, kind))
    return found
