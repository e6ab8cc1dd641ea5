"""Headlines without what a feed or a page appends to them.

Scraped and syndicated titles carry the site's name ("… | CNN Politics",
"… - Reuters", "… | The Week UK") and the feed's truncation mark ("… how much
food and ..."). ``clean_title`` removes both so that passages and citations
show the headline itself; the loader keeps the title as given in
``Article.extra["raw_title"]`` when it changes. Only the end of a title is
touched, and a title that would become empty is left as it was.

- After a last `` | ``: always a site or section name when it is at most
  ``SUFFIX_MAX_WORDS`` words (a pipe inside a headline is rare, at its end it
  is the page's name).
- After a last `` - ``, `` – `` or `` — ``: removed only when its first word
  is part of the article's outlet name ("Reuters" for reuters.com, "CNN" for
  cnn.com), since dashes do occur in headlines.
- A trailing ``...`` or ``…`` (and a separator left before it).
"""

from __future__ import annotations

import re

SUFFIX_MAX_WORDS = 6
_ELLIPSIS = re.compile(r"\s*(?:\.{3,}|…)\s*$")
_PIPE = re.compile(r"\s+\|\s+(?P<site>[^|]+)$")
_DASH = re.compile(r"\s+[-–—]\s+(?P<site>[^-–—]+)$")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_TRAILING = " ,;:|-–—"


def _letters(value: str) -> str:
    return _NOT_LETTER.sub("", value.casefold())


def _is_site(site: str, source: str | None) -> bool:
    words = site.split()
    if not words or len(words) > SUFFIX_MAX_WORDS:
        return False
    first = _letters(words[0])
    return bool(source) and len(first) >= 2 and first in _letters(source)


def clean_title(title: str, source: str | None = None) -> str:
    """``title`` without a trailing site name or truncation mark (see module docstring)."""
    cleaned = title
    for _ in range(2):  # "headline | CNN ..." has both, in either order
        cleaned = _ELLIPSIS.sub("", cleaned).rstrip(_TRAILING)
        pipe = _PIPE.search(cleaned)
        if pipe and len(pipe["site"].split()) <= SUFFIX_MAX_WORDS:
            cleaned = cleaned[: pipe.start()]
        dash = _DASH.search(cleaned)
        if dash and _is_site(dash["site"], source):
            cleaned = cleaned[: dash.start()]
    cleaned = cleaned.rstrip(_TRAILING)
    return cleaned if any(ch.isalnum() for ch in cleaned) else title
