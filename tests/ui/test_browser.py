"""The chat window in a real headless Chromium, against a real `streamlit run` server.

One server (module scope) over a store seeded with seeds/; the first test asks
the seed question and follows citation [1]; the second uploads an article
full of XSS payloads through the page and checks that none of them runs.
Uses Debian's /usr/bin/chromium (``make browser``), never ``playwright install``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.ui.browser import CHROMIUM, chromium_page, settle, streamlit_app
from tests.ui.conftest import SEED_QUESTION

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
# The first page load imports torch, chromadb and the model on a shared 2-core box.
expect.set_options(timeout=120_000)

ARTIFACTS = REPO / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="run `make browser` to install Chromium"),
]

#: Every place a payload could hide: title, body (HTML, Markdown link), url, outlet.
XSS_ARTICLE = {
    "title": "Zorblax lantern festival <script>alert('title-script')</script>"
    "<img src=x onerror=\"alert('title-img')\">",
    "body": "The Zorblax lantern festival opened in Vantor <img src=x onerror=alert('body-img')> "
    "on Monday with twelve lantern boats. <script>alert('body-script')</script> Tickets were "
    "sold at [the box office](javascript:alert('body-md-link')) by the river. "
    "<a href=\"javascript:alert('body-a')\">Read more</a> about the lanterns.",
    "url": "javascript:alert('url')",
    "source": "<b onmouseover=alert('source')>Vantor Post</b>",
    "date": "2025-03-01",
}


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, seed_template: Path) -> Iterator[str]:
    """`streamlit run ui/app.py` on a free port over a copy of the seeded store."""
    store = tmp_path_factory.mktemp("browser") / "store"
    shutil.copytree(seed_template, store)
    log = tmp_path_factory.getbasetemp() / "streamlit.log"
    with streamlit_app(store, log, "--client.toolbarMode", "minimal") as url:
        yield url


@pytest.fixture
def page(server_url: str):
    with chromium_page(server_url, 1280) as page:
        expect(page.get_by_role("heading", name="newsdesk")).to_be_visible()
        yield page


def _ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_enabled()
    box.fill(question)
    box.press("Enter")


def test_seed_question_links_to_highlighted_quote(page) -> None:
    _ask(page, SEED_QUESTION)
    link = page.locator('a[href="#cite-1-1"]')
    expect(link).to_be_visible()
    expect(page.get_by_test_id("stChatMessage").last).to_contain_text("SDF")
    # The run must be over: content it renders after the jump would move the card away.
    settle(page)

    # A short window with the page at its top: the card starts below the fold.
    page.set_viewport_size({"width": 1280, "height": 560})
    page.get_by_role("heading", name="newsdesk").scroll_into_view_if_needed()
    card = page.locator("#cite-1-1")
    expect(card).not_to_be_in_viewport(ratio=1)
    link.click()
    expect(card).to_be_in_viewport(ratio=1)
    quote = card.locator("mark")
    expect(quote).to_be_visible()
    expect(quote).to_contain_text("guarded by SDF fighters")
    assert page.evaluate("location.hash") == "#cite-1-1"

    page.set_viewport_size({"width": 1280, "height": 860})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))


def test_xss_payloads_in_an_article_stay_text(page, tmp_path: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    upload = tmp_path / "zorblax.json"
    upload.write_text(json.dumps(XSS_ARTICLE), encoding="utf-8")

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    expect(page.get_by_test_id("stFileChipName")).to_have_text("zorblax.json")
    expect(page.get_by_test_id("stFileChipIconSpinner")).to_have_count(0)
    page.get_by_role("button", name="Add to index").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("1 added")

    _ask(page, "Where did the Zorblax lantern festival open?")
    card = page.locator("#cite-1-1")
    expect(card).to_contain_text("Vantor")
    # The payloads are shown as the text they are ...
    expect(card).to_contain_text("<script>alert('title-script')</script>")
    expect(card).to_contain_text("onerror")
    page.mouse.move(10, 10)
    for element in page.locator("#cite-1-1 *").all():
        element.hover()
    # ... and none of them became an element, a link or a running script.
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript'], a[href^='JAVASCRIPT']").count() == 0
    assert page.locator("[onerror], [onmouseover]").count() == 0
    assert not page.evaluate(
        "Array.from(document.scripts).some(s => s.textContent.includes('alert('))"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "xss.png"), full_page=True)
