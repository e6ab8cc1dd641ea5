"""Translate a ``SearchFilter`` into a Chroma ``where`` clause and SQL conditions.

Both searches must agree on what a filter means, so every translation lives
here: Chroma's, SQLite's and PostgreSQL's. Dates travel as ``YYYYMMDD``
integers in Chroma metadata (range filters need numbers) and as ISO strings in
SQL (which compare correctly as text). Outlet filters are resolved by the
catalog (an article matches if any of its ``sources`` does), which Chroma
metadata cannot express.
"""

from __future__ import annotations

from typing import Any

from index.models import Article, Chunk, SearchFilter


def date_int(iso: str | None) -> int:
    """``"2023-01-05"`` → ``20230105``; unknown or malformed dates → 0."""
    if not iso:
        return 0
    digits = iso[:10].replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


def chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
    """The Chroma metadata stored with a chunk's vector: what ``chroma_where`` filters on."""
    return {
        "article_id": article.article_id,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "source": article.source or "",
        "date": date_int(article.date),
    }


def chroma_where(flt: SearchFilter | None, article_ids: tuple[str, ...] = ()) -> dict | None:
    """Chroma ``where`` for the date range, an explicit set of article ids and the
    articles the reader may not see (``exclude_ids``)."""
    clauses: list[dict[str, Any]] = []
    if flt is not None and (flt.since or flt.until):
        # subtle: unknown dates are stored as 0; like SQL's NULL they match no date range.
        clauses.append({"date": {"$gte": date_int(flt.since) if flt.since else 1}})
    if flt is not None and flt.until:
        clauses.append({"date": {"$lte": date_int(flt.until)}})
    if article_ids:
        clauses.append({"article_id": {"$in": list(article_ids)}})
    if flt is not None and flt.exclude_ids:
        clauses.append({"article_id": {"$nin": list(flt.exclude_ids)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def sql_condition(flt: SearchFilter | None, alias: str = "a") -> tuple[str, list[Any]]:
    """An SQL condition over the ``articles`` table (aliased ``alias``) and its parameters.

    Always restricts to completely ingested articles.
    """
    parts = [f"{alias}.state = 'complete'"]
    params: list[Any] = []
    if flt is None:
        return " AND ".join(parts), params
    if flt.since:
        parts.append(f"{alias}.date >= ?")
        params.append(flt.since[:10])
    if flt.until:
        parts.append(f"{alias}.date <= ?")
        params.append(flt.until[:10])
    if flt.exclude_ids:
        parts.append(f"{alias}.article_id NOT IN ({','.join('?' * len(flt.exclude_ids))})")
        params.extend(flt.exclude_ids)
    if flt.article_ids:
        parts.append(f"{alias}.article_id IN ({','.join('?' * len(flt.article_ids))})")
        params.extend(flt.article_ids)
    if flt.sources:
        wanted = [s.lower() for s in flt.sources]
        marks = ",".join("?" * len(wanted))
        parts.append(
            f"(lower({alias}.source) IN ({marks}) OR EXISTS (SELECT 1 FROM json_each({alias}.sources)"
            f" WHERE lower(json_each.value) IN ({marks})))"
        )
        params.extend(wanted + wanted)
    return " AND ".join(parts), params


def pg_condition(flt: SearchFilter | None, alias: str = "a") -> tuple[str, list[Any]]:
    """``sql_condition`` for the PostgreSQL catalog (``%s`` placeholders).

    Outlets are matched against ``outlets``, a lower-cased array of the article's
    own and syndicated outlets kept on the row (GIN-indexed), instead of JSON.
    """
    parts = [f"{alias}.state = 'complete'"]
    params: list[Any] = []
    if flt is None:
        return " AND ".join(parts), params
    if flt.since:
        parts.append(f"{alias}.date >= %s")
        params.append(flt.since[:10])
    if flt.until:
        parts.append(f"{alias}.date <= %s")
        params.append(flt.until[:10])
    if flt.exclude_ids:
        parts.append(f"NOT ({alias}.article_id = ANY(%s))")
        params.append(list(flt.exclude_ids))
    if flt.article_ids:
        parts.append(f"{alias}.article_id = ANY(%s)")
        params.append(list(flt.article_ids))
    if flt.sources:
        parts.append(f"{alias}.outlets && %s::text[]")
        params.append([s.lower() for s in flt.sources])
    return " AND ".join(parts), params
