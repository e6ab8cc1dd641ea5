"""The chat window marks answers whose sources disagree or whose facts were updated.

AppTest with the real Assistant over a store of seeds/ plus small hand-made articles
(two outlets disagree on one day; one outlet revises a figure three days later); the
pure HTML of the panels is checked for escaping. The browser check at 420 px is in
tests/ui/test_browser_news.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import NewsIndex, Settings
from qa import Answer, Citation
from qa.models import Disagreement, Superseded
from tests.qa.news.test_news_check import RECORDS
from tests.ui.test_app import ask, html_of, open_app
from ui.news import news_html

#: Outlet names carry markup on purpose: the panel must show it as text.
NEWS = [
    {
        "title": "Fire on the Kelso ferry",
        "source": "Harbour <b>Gazette</b>",
        "date": "2024-06-01",
        "url": "https://example.test/kelso-1",
        "body": "Eight crew members were hurt in the Kelso ferry fire on Saturday, the operator "
        "said. The ferry was towed back to port.",
    },
    {
        "title": "Kelso ferry blaze",
        "source": "Coast Radio",
        "date": "2024-06-01",
        "url": "https://example.test/kelso-2",
        "body": "The Kelso ferry fire hurt 11 crew members on Saturday, according to the harbour "
        "master. Passengers were taken off by lifeboat.",
    },
] + [r for r in RECORDS if "orla" in r["url"]]  # the news-check tests' update case
CONFLICT_QUESTION = "How many crew members were hurt in the Kelso ferry fire?"
UPDATE_QUESTION = "How many people were injured when the Orla river bridge gave way?"


def add_news(store: Path) -> Path:
    """Ingest ``NEWS`` into ``store`` (which already holds the seeds)."""
    extra = store.parent / "news.json"
    extra.write_text(json.dumps(NEWS), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=store, chroma_url=None)) as index:
        assert index.ingest([extra]).articles_added == len(NEWS)
    return store


@pytest.fixture
def news_store(seeded_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSDESK_NEWS_READS", "5")
    return add_news(seeded_store)


def test_a_disagreement_is_marked_with_both_sides_cited(news_store: Path) -> None:
    at = ask(open_app(), CONFLICT_QUESTION)
    message = next(m for m in at.chat_message if m.name == "assistant")
    page = html_of(message)
    assert "⚠ Sources disagree" in page
    panel = page[page.index('class="nd-conflict"') :].split("</div>")[0]
    assert ">Eight<" in panel and ">11<" in panel
    links = panel.count('href="#cite-1-')
    assert links == 2  # each side links to its source card
    assert "Harbour &lt;b&gt;Gazette&lt;/b&gt;" in panel and "<b>Gazette" not in panel
    assert not at.error


def test_an_update_is_marked_with_the_value_it_replaced(news_store: Path) -> None:
    at = ask(open_app(), UPDATE_QUESTION)
    page = html_of(at)
    assert "Sources disagree" not in page
    update = page[page.index('class="nd-update"') :].split("</div>")[0]
    assert "Updated" in update and "(2024-02-06)" in update and "(2024-02-03)" in update
    assert update.index("seven") < update.index("replaces") < update.index("Four")


def test_panels_escape_values_and_link_only_citation_numbers() -> None:
    evil = "<img src=x onerror=alert(1)>"
    answer = Answer(
        text="t",
        refused=False,
        short=evil,
        citations=(Citation(1, "a", evil, "q", 0, 1, source=evil, url="javascript:alert(1)"),),
        disagreements=(Disagreement((evil, "15"), (1, 1)),),
        superseded=(Superseded(evil, 1, "2024-01-01", "15", 1, None, "correction"),),
    )
    html = news_html(answer, 3)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html
    assert 'href="#cite-3-1"' in html and "Corrected" in html


def test_an_answer_without_findings_has_no_panel() -> None:
    assert news_html(Answer(text="t", refused=False, short="t"), 1) == ""
