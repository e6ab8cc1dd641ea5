"""NewsIndex.list_articles: browsing the archive by title words, outlet and date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import NewsIndex, SearchFilter

RECORDS = [
    {"title": "Harbour reopens in Vantor", "body": "The harbour reopened on Friday after storms.",
     "source": "Vantor Post", "date": "2025-03-01"},
    {"title": "Vantor pier gets new guards", "body": "Guards now watch the old pier at night.",
     "source": "Vantor Post", "date": "2025-03-05"},
    {"title": "Rates rise 100% at the harbour_office", "body": "Mooring fees doubled this week.",
     "source": "Associated Press", "date": "2025-02-11"},
    {"title": "Lantern boats on the river", "body": "Twelve lantern boats sailed down the river.",
     "source": "Associated Press"},
]  # fmt: skip


@pytest.fixture
def archive(open_index, tmp_path: Path) -> NewsIndex:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in RECORDS), encoding="utf-8")
    index = open_index()
    assert index.ingest([feed]).articles_added == len(RECORDS)
    return index


def titles(found: tuple[int, list]) -> list[str]:
    return [a.title for a in found[1]]


def test_lists_newest_first_with_undated_last_and_pages(archive: NewsIndex) -> None:
    total, page = archive.list_articles()
    assert total == 4
    assert [a.date for a in page] == ["2025-03-05", "2025-03-01", "2025-02-11", None]
    assert page[0].text == "Guards now watch the old pier at night."
    assert titles(archive.list_articles(limit=2, offset=2)) == [
        "Rates rise 100% at the harbour_office",
        "Lantern boats on the river",
    ]
    assert archive.list_articles(limit=2, offset=2)[0] == 4  # the count ignores the page


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("vantor", ["Vantor pier gets new guards", "Harbour reopens in Vantor"]),
        ("VANTOR harbour", ["Harbour reopens in Vantor"]),  # every word, any order or case
        ("100%", ["Rates rise 100% at the harbour_office"]),
        ("%", ["Rates rise 100% at the harbour_office"]),  # a wildcard is a literal character
        ("r_ver", []),
        ("zeppelin", []),
    ],
)
def test_title_search_needs_every_word(archive: NewsIndex, words: str, expected: list) -> None:
    found = archive.list_articles(words)
    assert titles(found) == expected and found[0] == len(expected)


def test_outlet_and_date_filters_mean_what_they_mean_in_searches(archive: NewsIndex) -> None:
    assert titles(archive.list_articles(flt=SearchFilter(sources=("AP",)))) == [
        "Rates rise 100% at the harbour_office",
        "Lantern boats on the river",
    ]
    march = SearchFilter(since="2025-03-01", until="2025-03-31")
    assert archive.list_articles(flt=march)[0] == 2
    assert titles(archive.list_articles("harbour", SearchFilter(until="2025-02-28"))) == [
        "Rates rise 100% at the harbour_office"
    ]
    (article_id,) = [a.article_id for a in archive.list_articles("lantern")[1]]
    assert archive.delete(article_id) == 1
    assert archive.list_articles()[0] == 3 and not titles(archive.list_articles("lantern"))
