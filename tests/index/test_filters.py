"""Both searches must agree on what a filter means, including for undated articles."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from index.filters import chroma_where, date_int, pg_condition, sql_condition
from index.models import SearchFilter


def _chroma_matches(where: dict | None, date: int) -> bool:
    """Evaluate the date clauses of a Chroma ``where`` the way Chroma does."""
    if where is None:
        return True
    clauses = where.get("$and", [where])
    ops = {"$gte": lambda a, b: a >= b, "$lte": lambda a, b: a <= b}
    return all(ops[op](date, bound) for c in clauses for op, bound in c.get("date", {}).items())


def _sql_matches(flt: SearchFilter, iso: str | None) -> bool:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE articles (article_id, state, date, source, sources)")
    db.execute("INSERT INTO articles VALUES ('a', 'complete', ?, '', '[]')", (iso,))
    condition, params = sql_condition(flt)
    return bool(db.execute(f"SELECT 1 FROM articles a WHERE {condition}", params).fetchall())


FILTERS = [
    SearchFilter(),
    SearchFilter(since="2023-01-05"),
    SearchFilter(until="2023-01-05"),
    SearchFilter(since="2023-01-01", until="2023-01-31"),
    SearchFilter(sources=("AP",)),
    SearchFilter(sources=("Example Wire",)),
    SearchFilter(exclude_ids=("a",)),
    SearchFilter(article_ids=("a",), since="2023-01-01"),
]
ARTICLE_DATES = [None, "2022-12-31", "2023-01-05", "2023-02-01"]


@pytest.mark.parametrize("flt", FILTERS[:4])  # the date filters
@pytest.mark.parametrize("iso", ARTICLE_DATES)
def test_dense_and_keyword_filters_agree_on_dates(flt: SearchFilter, iso: str | None) -> None:
    assert _chroma_matches(chroma_where(flt), date_int(iso)) == _sql_matches(flt, iso)


def test_the_postgresql_condition_means_what_the_sqlite_one_means(server_database: str) -> None:
    """Server mode must filter exactly as the embedded store: every filter against
    articles with and without dates and outlets (own or syndicated), both SQL dialects."""
    import json

    import psycopg

    rows = [
        (f"d{i}", iso, source, sources)
        for i, iso in enumerate(ARTICLE_DATES)
        for source, sources in [("ap", ["ap"]), ("cnn.com", ["cnn.com", "example wire"])]
    ] + [("a", "2023-01-05", "ap", ["ap"])]
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE articles (article_id, state, date, source, sources)")
    with psycopg.connect(server_database, autocommit=True) as pg:
        pg.execute(
            "CREATE TABLE articles (article_id text, state text, date text, source text, "
            "outlets text[])"
        )
        for aid, iso, source, sources in rows:
            lite.execute(
                "INSERT INTO articles VALUES (?, 'complete', ?, ?, ?)",
                (aid, iso, source, json.dumps(sources)),
            )
            pg.execute(
                "INSERT INTO articles VALUES (%s, 'complete', %s, %s, %s)",
                (aid, iso, source, sorted({source, *sources})),
            )
        for flt in FILTERS:
            # outlet names as NewsIndex hands them over: resolved to stored names, any case
            flt = replace(flt, sources=tuple(s.lower() for s in flt.sources))
            cond, params = sql_condition(flt)
            want = {
                r[0]
                for r in lite.execute(f"SELECT article_id FROM articles a WHERE {cond}", params)
            }
            cond, params = pg_condition(flt)
            got = {
                r[0] for r in pg.execute(f"SELECT article_id FROM articles a WHERE {cond}", params)
            }
            assert got == want, flt
            assert want or flt.article_ids, f"{flt} should match some article"
