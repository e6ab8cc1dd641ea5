"""Both searches must agree on what a filter means, including for undated articles."""

from __future__ import annotations

import sqlite3

import pytest

from index.filters import chroma_where, date_int, sql_condition
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


@pytest.mark.parametrize(
    "flt",
    [
        SearchFilter(),
        SearchFilter(since="2023-01-05"),
        SearchFilter(until="2023-01-05"),
        SearchFilter(since="2023-01-01", until="2023-01-31"),
    ],
)
@pytest.mark.parametrize("iso", [None, "2022-12-31", "2023-01-05", "2023-02-01"])
def test_dense_and_keyword_filters_agree_on_dates(flt: SearchFilter, iso: str | None) -> None:
    assert _chroma_matches(chroma_where(flt), date_int(iso)) == _sql_matches(flt, iso)
