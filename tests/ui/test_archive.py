"""The Archive view through AppTest: list, search, open and delete (with confirmation)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import NewsIndex, Settings
from tests.ui.conftest import SEED_QUESTION
from tests.ui.test_app import ask, assistant_text, html_of, open_app
from ui.render import escape_markdown

HOSTILE_TITLE = "Vantor pier *gets* [new guards](javascript:alert(1))"
EXTRA = [
    {"title": "Vantor harbour reopens", "source": "Vantor Post", "date": "2025-03-01",
     "body": "The harbour of Vantor reopened on Friday after the storms.\n\nShips queued."},
    {"title": HOSTILE_TITLE, "source": "Vantor Post", "date": "2025-03-05",
     "body": "Guards from the port authority <b>now</b> watch the old pier."},
]  # fmt: skip


@pytest.fixture
def archive_store(seeded_store: Path) -> Path:
    """The seed (AP, undated) plus two dated Vantor Post articles."""
    extra = seeded_store.parent / "extra.json"
    extra.write_text(json.dumps(EXTRA), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=seeded_store, chroma_url=None)) as index:
        assert index.ingest([extra]).articles_added == 2
    return seeded_store


def open_archive() -> AppTest:
    at = open_app()
    at.segmented_control(key="nd_view").set_value("Archive").run()
    assert not at.exception
    return at


def listed(at: AppTest) -> list[str]:
    return [b.label for b in at.main.button if (b.key or "").startswith("nd_archive_item_")]


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.main.button if b.label == label).click().run()
    assert not at.exception
    return at


def test_archive_lists_newest_first_and_searches_titles_outlets_dates(
    archive_store: Path,
) -> None:
    at = open_archive()
    assert not at.chat_input  # the archive replaces the chat, it does not sit under it
    seed_title = listed(at)[-1]
    assert listed(at)[:2] == [escape_markdown(HOSTILE_TITLE), "Vantor harbour reopens"]
    captions = " | ".join(c.value for c in at.main.caption)
    assert len(listed(at)) == 3 and "Showing 3 of 3 articles" in captions
    assert "Vantor Post · 2025\\-03\\-05 · 10 words" in captions

    at.text_input(key="nd_archive_words").set_value("HARBOUR vantor").run()
    assert listed(at) == ["Vantor harbour reopens"]
    at.text_input(key="nd_archive_words").set_value("zeppelin").run()
    assert not listed(at) and "No article matches" in at.info[0].value

    at.text_input(key="nd_archive_words").set_value("").run()
    at.multiselect(key="nd_archive_outlets").set_value(["Associated Press"]).run()
    assert listed(at) == [seed_title]
    at.multiselect(key="nd_archive_outlets").set_value([]).run()
    at.date_input(key="nd_archive_dates").set_value((date(2025, 3, 2), date(2025, 3, 5))).run()
    assert listed(at) == [escape_markdown(HOSTILE_TITLE)]  # undated articles drop out too


def test_open_an_article_then_delete_it_only_after_confirming(archive_store: Path) -> None:
    at = open_archive()
    click(at, escape_markdown(HOSTILE_TITLE))
    assert escape_markdown(HOSTILE_TITLE) in at.main.subheader[0].value  # literal, not a link
    text = html_of(at)
    assert "Guards from the port authority &lt;b&gt;now&lt;/b&gt; watch the old pier." in text

    click(at, "Delete this article…")
    assert "cannot" not in at.warning[0].value and "from the index?" in at.warning[0].value
    click(at, "Cancel")  # nothing happened
    assert not at.warning
    click(at, "Back to the archive")
    assert len(listed(at)) == 3

    click(at, "Vantor harbour reopens")
    click(at, "Delete this article…")
    click(at, "Delete for good")
    assert "Deleted “Vantor harbour reopens”" in at.success[0].value
    assert "Vantor harbour reopens" not in listed(at) and len(listed(at)) == 2
    assert at.sidebar.metric[0].value == "2"  # the index stats agree
    with NewsIndex.open(Settings(store_dir=archive_store, chroma_url=None)) as index:
        assert index.list_articles("harbour")[0] == 0

    # Back in the chat, the deleted article is no longer quoted; the rest still is.
    at.segmented_control(key="nd_view").set_value("Chat").run()
    at = ask(at, "When did the harbour of Vantor reopen?")
    assert "reopened on Friday" not in assistant_text(at, 1) + html_of(at)
    at = ask(at, SEED_QUESTION)
    assert "SDF" in assistant_text(at, 2)
