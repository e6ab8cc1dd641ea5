"""Which desk each article of an upload would land on, checked before anything is stored.

An upload (``POST /v1/articles``, or the signed-in chat window) may only put
articles on desks its sender holds. The files are read with the same loaders and
the same desk rule as ingest (``index.loading``, ``index.access.with_access_fields``),
so what is checked is exactly what would be stored, whether the desk comes from the
upload's own field or from an article's ``desk`` inside a JSON/JSONL file. A record
that ingest would refuse anyway (unreadable, a bad embargo) is left for ingest to
report. This module stores nothing and knows nothing about tokens or users.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from index.access import DESK, with_access_fields
from index.errors import ArticleError, DeskNotHeld
from index.loading import iter_articles
from index.models import Article


def landing_desks(
    paths: Sequence[str | Path], default_desk: str | None, max_file_bytes: int
) -> Iterator[tuple[Article, str | None]]:
    """(article, the desk ingest would store it on) for every readable article."""
    for item in iter_articles(paths, max_file_bytes):
        if not isinstance(item, Article):
            continue  # ingest reports it and stores nothing for it
        try:
            extra = with_access_fields(item.extra, item.path or item.article_id, default_desk)
        except ArticleError:
            continue  # a bad desk/embargo: ingest refuses the article itself
        yield item, extra.get(DESK)


def check_desks(
    paths: Sequence[str | Path],
    holds: frozenset[str] | None,
    default_desk: str | None,
    max_file_bytes: int,
) -> None:
    """Refuse the whole upload if any article would land outside the sender's desks.

    Args:
        holds: the sender's desks; None = every desk (the local user: no check). A
            sender holding one or more desks may not add desk-less articles either:
            those would be visible to everyone, wider than the sender's own reach.
        default_desk: the desk of articles that name none (the upload's field).

    Raises:
        DeskNotHeld: names the first such article (file and line) and its desk.
    """
    if holds is None:
        return
    for article, desk in landing_desks(paths, default_desk, max_file_bytes):
        if (desk is None and holds) or (desk is not None and desk not in holds):
            raise DeskNotHeld(article.path or article.article_id, article.title, desk, holds)
