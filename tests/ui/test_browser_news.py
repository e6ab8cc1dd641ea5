"""A disagreement in a real headless Chromium at phone width (420 px).

`streamlit run` over the seed plus the hand-made articles of test_news_marks (two
outlets disagree on the Kelso ferry toll): the "Sources disagree" panel shows both
values, fits the 420 px screen without a sideways scroll, its outlet name with markup
stays text, and each side's [n] scrolls to its source card.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.browser import CHROMIUM, chromium_page, settle, streamlit_app
from tests.ui.test_news_marks import CONFLICT_QUESTION, add_news

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=120_000)  # the first answer loads the models on a shared box

PHONE = 420
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="run `make browser` to install Chromium"),
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, seed_template: Path) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-news")
    store = root / "store"
    shutil.copytree(seed_template, store)
    add_news(store)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSDESK_NEWS_READS", "5")
        with streamlit_app(store, root / "streamlit.log") as url:
            yield url


def test_a_disagreement_reads_at_phone_width_and_links_both_sides(server_url: str) -> None:
    with chromium_page(server_url, PHONE, height=860) as page:
        box = page.get_by_test_id("stChatInputTextArea")
        expect(box).to_be_enabled()
        box.fill(CONFLICT_QUESTION)
        box.press("Enter")
        panel = page.locator(".nd-conflict")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("Sources disagree")
        expect(panel).to_contain_text("Eight")
        expect(panel).to_contain_text("11")
        expect(panel).to_contain_text("Harbour <b>Gazette</b>")  # markup shown as text
        assert panel.locator("b").count() == 0
        right = panel.evaluate("el => el.getBoundingClientRect().right")
        assert right <= PHONE
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
        settle(page)  # a click during the run can be lost in its rerun
        links = panel.locator("a.nd-cite")
        assert links.count() == 2
        target = links.nth(1).get_attribute("href")
        links.nth(1).click()
        expect(page.locator(target)).to_be_in_viewport()
        assert page.evaluate("location.hash") == target
