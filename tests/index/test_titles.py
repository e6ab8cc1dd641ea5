"""Titles lose a feed's site suffix and truncation mark; the raw title stays in extra."""

from __future__ import annotations

import pytest

from index.loaders.jsonfile import record_to_article
from index.loaders.titles import clean_title


@pytest.mark.parametrize(
    ("raw", "source", "clean"),
    [
        (
            "UK greenlights first new coal mine in decades | CNN",
            "cnn.com",
            "UK greenlights first new coal mine in decades",
        ),
        (
            "Ranking the 2024 Republican field | CNN Politics",
            "cnn.com",
            "Ranking the 2024 Republican field",
        ),
        (
            "The many promises of Donald Trump | The Week UK",
            "theweek.co.uk",
            "The many promises of Donald Trump",
        ),
        (
            "Mortgage rates fall as fears loom | CNN ...",
            "cnn.com",
            "Mortgage rates fall as fears loom",
        ),
        (
            "Oil prices jump after OPEC cut - Reuters",
            "reuters.com",
            "Oil prices jump after OPEC cut",
        ),
        ("Oil prices jump after OPEC cut – Reuters", "Reuters", "Oil prices jump after OPEC cut"),
        (
            "Tom Brady hints at retirement as Gisele says she has ...",
            "cnn.com",
            "Tom Brady hints at retirement as Gisele says she has",
        ),
        (
            "Novak Djokovic visa saga: game, set, match to Australian …",
            None,
            "Novak Djokovic visa saga: game, set, match to Australian",
        ),
        # left alone: a dash that is part of the headline, a plain headline, nothing but a suffix
        (
            "Spider-Man returns - and this time it is personal",
            "cnn.com",
            "Spider-Man returns - and this time it is personal",
        ),
        (
            "McCollum helps Trail Blazers rout Hornets 127-96",
            "usatoday.com",
            "McCollum helps Trail Blazers rout Hornets 127-96",
        ),
        ("...", "cnn.com", "..."),
    ],
)
def test_clean_title(raw: str, source: str | None, clean: str) -> None:
    assert clean_title(raw, source) == clean


def test_loaded_article_shows_the_clean_title_and_keeps_the_raw_one() -> None:
    raw = "Diving robot explores shipwrecks on the ocean's bottom | CNN ..."
    article = record_to_article(
        "x.jsonl#L1", {"title": raw, "body": "A robot dove.", "source": "cnn.com"}
    )
    assert article.title == "Diving robot explores shipwrecks on the ocean's bottom"
    assert article.extra["raw_title"] == raw
    plain = record_to_article("x.jsonl#L2", {"title": "Robot dives", "body": "A robot dove."})
    assert plain.title == "Robot dives" and "raw_title" not in plain.extra
