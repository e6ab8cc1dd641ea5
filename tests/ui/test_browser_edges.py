"""The chat window's edges in headless Chromium, at a desktop (1280 px) and a phone (420 px)
width: the active-filter badge and the message for an over-long question.

One `streamlit run` server (module scope) over a store holding the seed (AP)
and two Vantor Post articles; each test opens its own page. At 420 px the
sidebar starts collapsed, which is why the badge line sits above the chat box.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import NewsIndex, Settings
from tests.conftest import REPO
from tests.ui.browser import CHROMIUM, chromium_page, streamlit_app
from tests.ui.conftest import SEED_QUESTION, VANTOR

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=120_000)  # the first load imports torch and the model on 2 cores

ARTIFACTS = REPO / "test-artifacts"
WIDTHS = [1280, 420]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="run `make browser` to install Chromium"),
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, seed_template: Path) -> Iterator[str]:
    """`streamlit run ui/app.py` over the seed plus two Vantor Post articles."""
    root = tmp_path_factory.mktemp("browser-edges")
    store = root / "store"
    shutil.copytree(seed_template, store)
    extra = root / "vantor.json"
    extra.write_text(json.dumps(VANTOR), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=store, chroma_url=None)) as index:
        assert index.ingest([extra]).articles_added == 2
    with streamlit_app(store, root / "streamlit.log") as url:
        yield url


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request: pytest.FixtureRequest, server_url: str):
    with chromium_page(server_url, request.param, height=860) as page:
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_enabled()
        yield page


def _narrow(page) -> bool:
    return page.viewport_size["width"] < 768


def _pick_outlet(page, outlet: str) -> None:
    """Choose an outlet in the sidebar's filter, opening (and closing) the sidebar if folded."""
    sidebar = page.get_by_test_id("stSidebar")
    if _narrow(page):
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_be_in_viewport(ratio=1)  # fully in: a click while it slides misses
    sidebar.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name=outlet).click()
    page.keyboard.press("Escape")
    if _narrow(page):
        sidebar.get_by_test_id("stSidebarCollapseButton").click(force=True)
        expect(sidebar).not_to_be_in_viewport()


def _ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_enabled()
    box.fill(question)
    box.press("Enter")


def test_an_active_filter_is_badged_where_the_reader_looks(page) -> None:
    _pick_outlet(page, "Associated Press")
    line = page.get_by_test_id("stBottom").locator(".nd-filters")
    expect(line).to_contain_text("Searching only:")
    expect(line).to_contain_text("Outlet: Associated Press")
    expect(line).to_be_in_viewport()

    _ask(page, SEED_QUESTION)
    answer = page.get_by_test_id("stChatMessage").last
    expect(answer).to_contain_text("SDF")
    expect(answer.locator(".nd-filters")).to_contain_text("Outlet: Associated Press")
    expect(answer.locator(".nd-filters")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"filter-badge-{page.viewport_size['width']}.png"))


def test_an_over_long_paste_says_the_limit_and_keeps_the_text(page) -> None:
    text = "Who guards the Qamishli base? " * 40  # 1,199 characters once trimmed
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    expect(box).to_have_value(text)  # the box takes the whole paste
    box.press("Enter")

    warning = page.get_by_test_id("stBottom").get_by_test_id("stAlertContainer")
    expect(warning).to_contain_text("the limit is 1,000")
    expect(warning).to_be_in_viewport()
    expect(box).to_have_value(text)  # still there, to be shortened
    expect(page.get_by_test_id("stChatMessage")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"too-long-{page.viewport_size['width']}.png"))
