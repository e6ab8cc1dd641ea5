"""Sign-in and desks in the chat page, through AppTest (the browser run is in
test_browser_signin.py).

AppTest lets a test set ``st.user`` (``at.user``) and ``st.secrets`` (``at.secrets``),
so the page runs its real sign-in code with the identity a provider would send. A
reader without the desk never sees the restricted article: not in the answer,
passages, citations, archive, example questions or stats, even when the question
copies it word for word; an embargo lifts at ``NEWSDESK_CLOCK``. Without ``[auth]``
the page is the local user's, who sees every desk, as before sign-in existed.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import NewsIndex, Settings
from tests.ui.conftest import (
    AFTER_EMBARGO,
    APP_FILE,
    BEFORE_EMBARGO,
    EMBARGO_QUESTION,
    EMBARGOED,
    INSIDER,
    OUTSIDER,
    SECRET,
    SECRET_QUESTION,
)
from ui.render import escape_markdown

AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-secret-of-enough-length-0123456789",
        "client_id": "newsdesk",
        "client_secret": "newsdesk-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
#: What only the restricted article holds besides the sentence the question copies.
SECRET_MARKS = ("Quorvane", SECRET["title"], "lindqvist")
EMBARGO_MARKS = ("Skarholm", EMBARGOED["title"])


def page(email: str | None, *, signed_in: bool = True) -> AppTest:
    """The page as ``email`` sees it; None = no sign-in configured (the local user)."""
    at = AppTest.from_file(str(APP_FILE), default_timeout=180)
    if email is not None:
        at.secrets = dict(AUTH)
        at.user = {"is_logged_in": signed_in, "email": email, "sub": f"sub-{email}"}
    at.run()
    assert not at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def shown(at: AppTest, echo: str = "") -> str:
    """Every text the page shows (main and sidebar), with the reader's own question
    (``echo``, in each escaping the page uses) cut out."""
    parts = []
    for kind in ("markdown", "caption", "html", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(b.label) for b in at.button]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [str(x.label) + str(getattr(x, "options", "")) for x in at.multiselect]
    text = "\n".join(parts)
    for form in (echo, escape_markdown(echo), html.escape(echo)):
        text = text.replace(form, "") if form else text
    return text


def article_id(title: str) -> str:
    with NewsIndex.open(Settings()) as index:
        return next(a.article_id for a in index.list_articles(title)[1] if a.title == title)


def stat_articles(at: AppTest) -> int:
    """The sidebar's article count."""
    return int(next(m.value for m in at.metric if m.label == "Articles").replace(",", ""))


def test_without_sign_in_the_local_user_sees_every_desk(desk_store: Path) -> None:
    at = ask(page(None), SECRET_QUESTION)
    assert "Sign in" not in [b.label for b in at.button]
    assert not any("Signed in as" in c.value for c in at.sidebar.caption)
    answer = at.session_state["nd_turns"][-1].answer
    assert not answer.refused and "Tavon" in answer.text
    assert any(p.title == SECRET["title"] for p in answer.passages)
    assert SECRET["title"] in shown(at)  # its source card


def test_the_sign_in_screen_shows_nothing_of_the_archive(desk_store: Path) -> None:
    at = page(OUTSIDER, signed_in=False)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.chat_input
    text = shown(at)
    assert "sign in" in text.lower() and "article" not in text.lower()


def test_a_user_with_the_desk_is_answered_from_it(
    desk_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(desk_store.parent / "desks.toml"))
    at = ask(page(INSIDER), SECRET_QUESTION)
    assert any(f"Signed in as **{escape_markdown(INSIDER)}**" in c.value for c in at.caption)
    answer = at.session_state["nd_turns"][-1].answer
    assert not answer.refused and "Tavon" in answer.text
    assert answer.citations and answer.citations[0].title == SECRET["title"]
    assert SECRET["title"] in shown(at, SECRET_QUESTION)


def test_a_user_without_the_desk_never_sees_it(
    desk_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(desk_store.parent / "desks.toml"))
    secret_id = article_id(SECRET["title"])
    insider_count = stat_articles(page(INSIDER))
    at = page(OUTSIDER)
    assert stat_articles(at) == insider_count - 1
    at = ask(at, SECRET_QUESTION)
    answer = at.session_state["nd_turns"][-1].answer
    assert all(p.article_id != secret_id for p in answer.passages)
    assert all(c.article_id != secret_id for c in answer.citations)
    text = shown(at, SECRET_QUESTION)
    assert not [m for m in (*SECRET_MARKS, secret_id, "Tavon") if m.lower() in text.lower()]
    # the archive: not listed, not found by its title, not opened by its id
    at.segmented_control(key="nd_view").set_value("Archive").run()
    assert not any(m.lower() in shown(at).lower() for m in SECRET_MARKS)
    at.text_input(key="nd_archive_words").set_value("Lindqvist harbour").run()
    assert any("No article matches" in i.value for i in at.info)
    at.session_state["nd_archive_open"] = secret_id
    at.run()
    assert "Quorvane" not in shown(at) and not at.exception


def test_example_questions_come_from_what_the_user_may_see(
    desk_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(desk_store.parent / "desks.toml"))
    monkeypatch.setenv("NEWSDESK_CLOCK", AFTER_EMBARGO)
    examples = {who: shown(page(who)) for who in (INSIDER, OUTSIDER)}
    assert "Lindqvist" in examples[INSIDER]  # the newest story of those the insider sees
    assert "Lindqvist" not in examples[OUTSIDER]


@pytest.mark.parametrize(("clock", "visible"), [(BEFORE_EMBARGO, False), (AFTER_EMBARGO, True)])
def test_an_embargo_lifts_at_its_time(
    desk_store: Path, monkeypatch: pytest.MonkeyPatch, clock: str, visible: bool
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(desk_store.parent / "desks.toml"))
    monkeypatch.setenv("NEWSDESK_CLOCK", clock)
    at = ask(page(INSIDER), EMBARGO_QUESTION)
    answer = at.session_state["nd_turns"][-1].answer
    seen = any(p.title == EMBARGOED["title"] for p in answer.passages)
    assert seen is visible
    assert any(m in shown(at, EMBARGO_QUESTION) for m in EMBARGO_MARKS) is visible


def test_an_upload_may_not_plant_an_article_on_another_desk(
    desk_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(desk_store.parent / "desks.toml"))
    at = page(OUTSIDER)
    before = stat_articles(at)
    planted = b'{"title": "Planted", "body": "A planted story.", "desk": "investigations"}'
    at.file_uploader[0].set_value([("planted.jsonl", planted, "application/json")])
    next(b for b in at.button if b.label == "Add to index").click().run()
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # escape_markdown's
    assert "planted.jsonl#L1: article 'Planted' is for desk 'investigations'" in errors
    assert "nothing was added" in errors
    assert stat_articles(page(INSIDER)) == before + 1  # the insider's count is unchanged


def test_each_signed_in_user_keeps_their_own_conversations(
    desk_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(desk_store.parent / "desks.toml"))
    ask(page(INSIDER), SECRET_QUESTION)

    def listed(at: AppTest) -> list[str]:
        return [b.label for b in at.sidebar.button if (b.key or "").startswith("nd_open_")]

    mine = listed(page(INSIDER))
    assert len(mine) == 1 and mine[0].startswith("Investigators found that the Lindqvist")
    assert listed(page(OUTSIDER)) == []
    assert listed(page(None)) == []  # nor the local user's, without sign-in


def test_an_unreadable_secrets_file_is_an_error_not_an_open_archive(
    desk_store: Path, tmp_path: Path
) -> None:
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("[auth\n", encoding="utf-8")
    at = page(None)
    assert not at.chat_input and not at.metric
    assert "cannot read this secrets file" in " ".join(e.value for e in at.error)
