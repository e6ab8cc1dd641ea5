"""Who may see which article: desks and embargoes, checked inside the searches.

An article may carry ``desk`` (a newsroom desk, e.g. ``"politics"``) and
``embargo_until`` (an ISO datetime) in its metadata (``Article.extra``). An
``Access`` says which desks a reader holds and what time it is; ``hidden_ids``
turns it into the article ids that reader must not see, which ``NewsIndex``
excludes from the dense search (Chroma ``where``), the keyword search (SQL), article
fetches and stats, before anything is fused, quoted or counted. Embargoes are
compared with ``Access.now`` at query time, so an article appears at its time
with no re-ingest. This module does not know about tokens: callers decide the desks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from index.errors import ArticleError

DESK = "desk"
EMBARGO = "embargo_until"


@dataclass(frozen=True)
class Access:
    """A reader's view: the desks they hold (None = every desk) at time ``now``."""

    desks: frozenset[str] | None = None
    now: dt.datetime | None = None  # None = the current time when the search runs

    def at(self) -> dt.datetime:
        """``now`` as an aware UTC datetime (a naive one is read as UTC)."""
        now = self.now or dt.datetime.now(dt.UTC)
        return now if now.tzinfo else now.replace(tzinfo=dt.UTC)


def normalise_desk(value: Any, where: str = "desk") -> str | None:
    """A desk name as stored and compared: stripped and lower-case; empty = no desk."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleError(
            where,
            f'"desk" is a {type(value).__name__}, not a string',
            'give the desk as a name such as "politics"',
        )
    return value.strip().lower() or None


def parse_embargo(value: Any, where: str = "embargo_until") -> dt.datetime | None:
    """An embargo time as an aware UTC datetime; a time without zone is read as UTC.

    Raises:
        ArticleError: the value is not an ISO datetime (an article is never published
            early because its embargo could not be read).
    """
    if value in (None, ""):
        return None
    try:
        when = dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ArticleError(
            where,
            f'"embargo_until" {value!r} is not an ISO datetime',
            "write it like 2026-03-01T09:00:00+00:00",
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def with_access_fields(
    extra: dict[str, Any], where: str, desk: str | None = None, embargo: str | None = None
) -> dict[str, Any]:
    """``extra`` with ``desk``/``embargo_until`` validated and normalised (UTC ISO).

    ``desk`` and ``embargo`` (from ``ingest --desk/--embargo-until``) apply where the
    article names none itself.
    """
    out = dict(extra)
    name = normalise_desk(out.get(DESK, desk), where)
    when = parse_embargo(out.get(EMBARGO, embargo), where)
    out.pop(DESK, None)
    out.pop(EMBARGO, None)
    if name:
        out[DESK] = name
    if when:
        out[EMBARGO] = when.isoformat()
    return out


def hidden_ids(
    restricted: Iterable[tuple[str, str | None, str | None]], access: Access
) -> set[str]:
    """Ids among ``restricted`` ``(article_id, desk, embargo_until)`` that ``access`` may
    not see: a desk it does not hold, or an embargo later than ``access.now``."""
    now = access.at()
    hidden = set()
    for article_id, desk, embargo in restricted:
        other_desk = bool(desk) and access.desks is not None and desk not in access.desks
        if other_desk or (embargo and parse_embargo(embargo) > now):
            hidden.add(article_id)
    return hidden
