"""Copy answer and the Archive's delete in a real headless Chromium, at 1280 and 420 px.

One `streamlit run` server (module scope) over the seeded store plus one
article per width for the delete test to remove. The copy test grants the
page clipboard permissions and reads back what the button put there.
Uses Debian's /usr/bin/chromium (``make browser``), never ``playwright install``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import NewsIndex, Settings
from tests.conftest import REPO
from tests.ui.browser import CHROMIUM, chromium_page, settle, streamlit_app
from tests.ui.conftest import SEED_QUESTION

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=120_000)  # the first page load reads the model on a busy box

ARTIFACTS = REPO / "test-artifacts"
WIDTHS = [1280, 420]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="run `make browser` to install Chromium"),
]


def doomed_title(width: int) -> str:
    return f"Harbour notice for the {width} px reader"


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, seed_template: Path) -> Iterator[str]:
    """`streamlit run ui/app.py` over the seeds plus one article per width to delete."""
    store = tmp_path_factory.mktemp("browser-tools") / "store"
    shutil.copytree(seed_template, store)
    extra = store.parent / "extra.json"
    records = [
        {"title": doomed_title(w), "body": f"The harbour office posted notice {w} on Monday.",
         "source": "Vantor Post", "date": "2025-03-01"}
        for w in WIDTHS
    ]  # fmt: skip
    extra.write_text(json.dumps(records), encoding="utf-8")
    with NewsIndex.open(Settings(store_dir=store, chroma_url=None)) as index:
        assert index.ingest([extra]).articles_added == len(WIDTHS)
    with streamlit_app(store, store.parent / "streamlit.log") as url:
        yield url


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request, server_url: str):
    clipboard = ("clipboard-read", "clipboard-write")
    with chromium_page(server_url, request.param, permissions=clipboard) as page:
        expect(page.get_by_role("heading", name="newsdesk")).to_be_visible()
        yield page


def width(page) -> int:
    return page.viewport_size["width"]


def within_width(page, locator) -> None:
    """Fully on screen horizontally: nothing to scroll sideways for at a narrow width."""
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width(page)


def test_copy_button_puts_the_answer_and_its_sources_on_the_clipboard(page) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_enabled()
    box.fill(SEED_QUESTION)
    box.press("Enter")
    expect(page.locator('a[href="#cite-1-1"]')).to_be_visible()

    button = page.frame_locator('iframe[srcdoc*="Copy answer"]').get_by_test_id("ndCopyAnswer")
    expect(button).to_be_visible()
    settle(page)
    within_width(page, button)
    button.click()
    expect(button).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    first, *rest = copied.splitlines()
    assert "SDF" in first and "[1]" in first
    assert "Sources:" in rest and any(line.startswith("[1] ") for line in rest)
    assert "Associated Press" in copied
    assert "Associated Press reporters visited a base near Qamishli Airport" in copied
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"copy-{width(page)}.png"))


def test_archive_deletes_an_article_only_after_confirmation(page) -> None:
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_enabled()
    settle(page)
    page.get_by_test_id("stButtonGroup").get_by_text("Archive").click()
    title = doomed_title(width(page))
    expect(page.get_by_role("button", name=title)).to_be_visible()
    expect(page.get_by_placeholder("Words in the headline")).to_be_visible()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"archive-{width(page)}.png"))
    page.get_by_role("button", name=title).click()
    expect(page.get_by_text(f"The harbour office posted notice {width(page)}")).to_be_visible()

    settle(page)
    page.get_by_role("button", name="Delete this article…").click()
    confirm = page.get_by_role("button", name="Delete for good")
    expect(confirm).to_be_visible()
    settle(page)
    within_width(page, confirm)
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("from the index?")
    page.screenshot(path=str(ARTIFACTS / f"archive-confirm-{width(page)}.png"))
    confirm.click()

    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(f"Deleted “{title}”")
    expect(page.get_by_role("button", name=title)).to_have_count(0)
    expect(page.get_by_text("Showing ", exact=False)).to_be_visible()  # back on the list
