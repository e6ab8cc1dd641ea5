"""Sign-in for real: a local OpenID Connect provider, `streamlit run` with a
``.streamlit/secrets.toml``, and headless Chromium clicking through the provider's form.

The provider is ``oidc-provider-mock`` on a free loopback port (its form signs in
whoever's ``sub`` is typed, with that as the e-mail). The app serves the access
store (seeds, an article on the investigations desk, one under embargo) with
``NEWSDESK_USER_DESKS`` giving the insider that desk. Embargo time is driven by
``NEWSDESK_CLOCK`` in the app folder's ``.env``, read on every page run: no sleeping.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import free_port
from tests.ui.browser import CHROMIUM, chromium_page, streamlit_app
from tests.ui.conftest import (
    AFTER_EMBARGO,
    BEFORE_EMBARGO,
    EMBARGO_QUESTION,
    EMBARGOED,
    INSIDER,
    OUTSIDER,
    SECRET,
    SECRET_QUESTION,
    add_restricted,
)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=120_000)  # first load: torch, chromadb and the model

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="run `make browser` to install Chromium"),
]

SECRETS = """[auth]
redirect_uri = "{app}/oauth2callback"
cookie_secret = "browser-test-cookie-secret-0123456789abcdef"
client_id = "newsdesk"
client_secret = "newsdesk-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
"""


@dataclass(frozen=True)
class SignedInApp:
    url: str
    provider: str
    folder: Path  # the app's working folder: .streamlit/secrets.toml and .env

    def set_clock(self, clock: str) -> None:
        (self.folder / ".env").write_text(f"NEWSDESK_CLOCK={clock}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, seed_template: Path) -> Iterator[SignedInApp]:
    from oidc_provider_mock import run_server_in_thread

    store = tmp_path_factory.mktemp("signin") / "store"
    shutil.copytree(seed_template, store)
    add_restricted(store)
    folder = store.parent
    port = free_port()
    with run_server_in_thread(port=free_port()) as provider_server:
        provider = f"http://localhost:{provider_server.server_port}"
        url = f"http://127.0.0.1:{port}"
        (folder / ".streamlit").mkdir()
        (folder / ".streamlit" / "secrets.toml").write_text(
            SECRETS.format(app=url, provider=provider), encoding="utf-8"
        )
        running = SignedInApp(url, provider, folder)
        running.set_clock(BEFORE_EMBARGO)
        env = {"NEWSDESK_USER_DESKS": str(folder / "desks.toml")}
        with streamlit_app(store, folder / "streamlit.log", port=port, env=env):
            yield running


def sign_in(page, app: SignedInApp, email: str) -> None:
    """From the sign-in screen through the provider's form, back signed in."""
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("stChatInput")).to_have_count(0)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(app.provider) + "/oauth2/authorize"))
    page.fill("input[name=sub]", email)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible()


def ask(page, question: str):
    """The assistant's message once the verified answer or the refusal is shown."""
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_enabled()
    box.fill(question)
    box.press("Enter")
    message = page.get_by_test_id("stChatMessage").last
    expect(message.locator(".nd-card, .nd-refusal").first).to_be_visible()
    return message


def articles_count(page) -> int:
    metric = page.get_by_test_id("stMetric").filter(has_text="Articles")
    return int(metric.get_by_test_id("stMetricValue").inner_text().replace(",", ""))


def test_a_signed_in_user_sees_their_desk_and_others_never_do(app: SignedInApp) -> None:
    with chromium_page(app.url, 1280) as page:
        sign_in(page, app, INSIDER)
        expect(page.get_by_text("Desks: investigations")).to_be_visible()
        insider_count = articles_count(page)
        answer = ask(page, SECRET_QUESTION)
        expect(answer).to_contain_text("Tavon")
        expect(answer.locator(".nd-card .nd-title").first).to_have_text(SECRET["title"])

    with chromium_page(app.url, 1280) as page:
        sign_in(page, app, OUTSIDER)
        assert articles_count(page) == insider_count - 1
        answer = ask(page, SECRET_QUESTION)
        shown = page.locator("body").inner_text().replace(SECRET_QUESTION, "")
        for mark in ("Quorvane", "Tavon", SECRET["title"]):
            assert mark not in shown
        expect(answer.locator(".nd-title")).not_to_contain_text([SECRET["title"]])
        page.get_by_test_id("stButtonGroup").get_by_text("Archive").click()
        expect(page.get_by_text(re.compile(r"Showing \d+ of \d+ article"))).to_be_visible()
        assert SECRET["title"] not in page.locator("body").inner_text()
        page.get_by_label("Search titles").fill("Lindqvist harbour")
        page.get_by_label("Search titles").press("Enter")
        expect(page.get_by_text("No article matches")).to_be_visible()


def test_an_embargo_lifts_at_its_time(app: SignedInApp) -> None:
    with chromium_page(app.url, 1280) as page:
        sign_in(page, app, INSIDER)
        answer = ask(page, EMBARGO_QUESTION)
        assert "Skarholm" not in answer.inner_text()
        expect(answer.locator(".nd-title")).not_to_contain_text([EMBARGOED["title"]])
        app.set_clock(AFTER_EMBARGO)
        page.reload()  # still signed in: the identity cookie stays
        expect(page.get_by_text(f"Signed in as {INSIDER}")).to_be_visible()
        answer = ask(page, EMBARGO_QUESTION)
        expect(answer.locator(".nd-card .nd-title").first).to_have_text(EMBARGOED["title"])
        app.set_clock(BEFORE_EMBARGO)


def test_signing_out_returns_to_the_sign_in_screen(app: SignedInApp) -> None:
    with chromium_page(app.url, 1280) as page:
        sign_in(page, app, INSIDER)
        page.get_by_role("button", name="Sign out").click()
        # the provider's end-session page (Streamlit calls its end_session_endpoint)
        page.wait_for_url(re.compile(re.escape(app.provider) + "/oauth2/end_session"))
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(re.compile(re.escape(app.url)))
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        expect(page.get_by_test_id("stChatInput")).to_have_count(0)
        expect(page.get_by_text("Signed in as")).to_have_count(0)
