"""A timeline in the chat window, in real headless Chromium against `streamlit run`: a
vertical list of dated events whose citation links scroll to their source cards."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import NewsIndex, Settings
from tests.conftest import REPO
from tests.qa.timeline.story import RECORDS, TOPIC
from tests.ui.browser import CHROMIUM, chromium_page, settle, streamlit_app

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=120_000)  # the first load imports the models on a busy box

ARTIFACTS = REPO / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="run `make browser` to install Chromium"),
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, seed_template: Path) -> Iterator[str]:
    store = tmp_path_factory.mktemp("browser-timeline") / "store"
    shutil.copytree(seed_template, store)
    extra = store.parent / "harbin.json"
    extra.write_text(json.dumps(RECORDS), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=store, chroma_url=None)) as index:
        assert not index.ingest([extra]).errors
    log = tmp_path_factory.getbasetemp() / "streamlit-timeline.log"
    with streamlit_app(store, log, "--client.toolbarMode", "minimal") as url:
        yield url


@pytest.mark.parametrize("width", [1280, 420])
def test_a_timeline_is_a_dated_list_whose_citations_open_their_cards(server_url, width):
    with chromium_page(server_url, width, height=700) as page:
        box = page.get_by_test_id("stChatInputTextArea")
        expect(box).to_be_enabled()
        box.fill(f"How did {TOPIC} unfold?")
        box.press("Enter")

        events = page.locator(".nd-timeline .nd-tl-event")
        expect(events.first).to_be_visible()
        assert events.count() >= 3
        expect(events.first.locator(".nd-tl-date")).to_have_text("2 September 2024")
        # one event per row, stacked top to bottom
        tops = [events.nth(i).bounding_box()["y"] for i in range(events.count())]
        assert tops == sorted(tops) and len(set(tops)) == len(tops)

        settle(page)  # the final answer replaces the streamed draft: click the final one
        last = events.last.locator("a.nd-tl-cite").first
        target = last.get_attribute("href")
        card = page.locator(target)
        page.get_by_role("heading", name="newsdesk").scroll_into_view_if_needed()
        last.click()
        expect(card).to_be_in_viewport()
        assert page.evaluate("location.hash") == target
        expect(card.locator("mark")).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"timeline-{width}.png"), full_page=True)
