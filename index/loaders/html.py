"""HTML pages: trafilatura finds the main text and the page's metadata.

Navigation, ads, scripts and footers are dropped by ``trafilatura.extract``;
title, date, author, canonical URL and site name come from
``trafilatura.extract_metadata``. A page is refused when trafilatura finds no
line of prose in it (it falls back to link text such as "Home World Sports" on
pages that are only navigation). The headline is removed from the start of the
body when trafilatura repeats it there, as for .txt files.
"""

from __future__ import annotations

from index.errors import ArticleError
from index.loaders.common import make_article, normalise_text
from index.models import Article

#: A page needs at least one line with this many words to count as an article.
MIN_PROSE_WORDS = 6


def _has_prose(text: str) -> bool:
    return any(len(line.split()) >= MIN_PROSE_WORDS for line in text.split("\n"))


def parse_html(path: str, html: str) -> Article:
    """Build the Article of one .html/.htm page from its decoded markup."""
    import trafilatura  # heavy (lxml, htmldate): only when an HTML file is ingested

    try:
        body = normalise_text(trafilatura.extract(html, include_comments=False) or "")
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:  # noqa: BLE001 - a parser crash on one page must not stop a batch
        raise ArticleError(
            path,
            f"could not be parsed as HTML ({type(exc).__name__}: {exc})",
            "check that the file is an HTML page",
        ) from None
    if not _has_prose(body):
        raise ArticleError(
            path,
            "no article text found in this HTML page (only navigation, scripts or very short text)",
            "if the page is built by JavaScript, save the article's text as .txt or .json",
        )
    title = meta.title if meta else None
    first, _, rest = body.partition("\n")
    if (
        title
        and rest.strip()
        and " ".join(first.split()).casefold() == " ".join(title.split()).casefold()
    ):
        body = rest
    if meta is None:
        return make_article(path, body)
    return make_article(
        path,
        body,
        title=title,
        date=meta.date,
        source=meta.sitename or meta.hostname,
        url=meta.url,
        author=meta.author,
    )
