"""Running the chat window for the browser tests: a real `streamlit run` and Debian's Chromium.

One place for starting the app on a free port over a given store and for opening
it in headless Chromium (``/usr/bin/chromium``, never ``playwright install``), so
every browser test starts and stops them the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port, stop, wait_until_answering
from tests.ui.conftest import APP_FILE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def streamlit_app(
    store: Path,
    log: Path,
    *options: str,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """`streamlit run ui/app.py` over ``store`` (embedded, offline); yields its URL once
    it answers, and stops it afterwards. ``options`` are extra ``streamlit run`` flags;
    ``port`` (default: a free one) and ``env`` (extra variables) for a test that must
    know them first. It runs in ``store``'s parent folder (``.streamlit/``, ``.env``)."""
    port = port or free_port()
    env = dict(os.environ, NEWSDESK_STORE_DIR=str(store), HF_HUB_OFFLINE="1", **(env or {}))
    env.pop("NEWSDESK_CHROMA_URL", None)
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false", *options,
    ]  # fmt: skip
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=store.parent, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(server, f"{url}/_stcore/health", log, timeout_s=120)
        yield url
    finally:
        stop(server, grace_s=15)  # Streamlit can take ~10 s to wind down


@contextmanager
def chromium_page(
    url: str, width: int, height: int = 900, permissions: tuple[str, ...] = ()
) -> Iterator:
    """A page of headless Chromium at ``width`` × ``height`` px, opened on ``url``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        context = browser.new_context(viewport={"width": width, "height": height})
        if permissions:
            context.grant_permissions(list(permissions), origin=url)
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(url)
        try:
            yield page
        finally:
            browser.close()


def settle(page) -> None:
    """Wait for the script run to end: a click during a run can be lost in its rerun."""
    from playwright.sync_api import expect

    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(idle).to_have_count(1)
