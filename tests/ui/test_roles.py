"""Roles in the signed-in chat page, through AppTest: what ``[roles]`` in the
``NEWSDESK_USER_DESKS`` file lets each user do.

``read`` asks and reads but gets no upload form and no delete button (and the
upload and delete paths refuse it if reached anyway); ``ingest`` uploads and
deletes, as an ingest API token may; ``admin`` does everything; a user with no
entry gets ``ingest``, what every signed-in user could do before roles existed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import Article
from index.errors import RoleTooLow
from tests.ui.conftest import INSIDER, OUTSIDER, SECRET, SECRET_QUESTION, USER_DESKS
from tests.ui.test_signin import article_id, ask, page, stat_articles
from ui import archive, upload


@pytest.fixture
def roles_file(desk_store: Path, monkeypatch: pytest.MonkeyPatch):
    """Writes ``desks.toml`` with ``[roles]`` (user → role) and points the page at it."""
    path = desk_store.parent / "desks.toml"
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(path))

    def write(roles: dict[str, str]) -> Path:
        lines = "".join(f'"{user}" = "{role}"\n' for user, role in roles.items())
        path.write_text(USER_DESKS + "\n[roles]\n" + lines, encoding="utf-8")
        return path

    return write


def open_in_archive(at: AppTest, title: str) -> AppTest:
    at.segmented_control(key="nd_view").set_value("Archive").run()
    at.session_state["nd_archive_open"] = article_id(title)
    at.run()
    assert not at.exception and title in [h.value for h in at.subheader]
    return at


def labels(at: AppTest) -> list[str]:
    return [str(b.label) for b in at.button]


def test_a_read_user_may_ask_but_not_upload_or_delete(roles_file) -> None:
    roles_file({INSIDER: "read"})
    at = page(INSIDER)
    assert any("Role: read (ask and read only)" in c.value for c in at.sidebar.caption)
    assert not at.file_uploader and "Add to index" not in labels(at)
    assert "Add articles" not in [s.value for s in at.sidebar.subheader]
    at = ask(at, SECRET_QUESTION)
    answer = at.session_state["nd_turns"][-1].answer
    assert not answer.refused and "Tavon" in answer.text
    at = open_in_archive(page(INSIDER), SECRET["title"])
    assert "Delete this article…" not in labels(at)
    at.session_state["nd_archive_confirm"] = article_id(SECRET["title"])  # a forged click
    at.run()
    assert not at.exception and "Delete for good" not in labels(at)
    assert article_id(SECRET["title"])  # still there


def test_the_upload_and_delete_paths_refuse_a_read_user_if_reached() -> None:
    summary, failures = upload._ingest(None, [("a.txt", b"A story.")], role="read")  # type: ignore[arg-type]
    assert summary == "" and len(failures) == 1
    assert "your role is 'read', and adding articles needs 'ingest'" in failures[0]
    assert "nothing was changed" in failures[0] and "[roles]" in failures[0]
    gone = Article(article_id="x", title="T", text="T.", source=None, url=None, date=None)
    with pytest.raises(RoleTooLow, match="deleting an article needs 'ingest'"):
        archive._delete(None, gone, "read")  # type: ignore[arg-type]


def test_an_ingest_user_may_upload_and_sees_the_delete_button(roles_file) -> None:
    roles_file({OUTSIDER: "ingest"})
    at = page(OUTSIDER)
    assert any("Role: ingest (may add and delete articles)" in c.value for c in at.caption)
    before = stat_articles(at)
    story = b"Harbour Pilots Strike\n\nPilots at the harbour walked out on Monday."
    at.file_uploader[0].set_value([("strike.txt", story, "text/plain")])
    next(b for b in at.button if b.label == "Add to index").click().run()
    assert not at.exception and not at.error
    assert any(s.value.startswith("1 added") for s in at.success)
    assert stat_articles(at) == before + 1
    at = open_in_archive(page(OUTSIDER), "Harbour Pilots Strike")
    assert "Delete this article…" in labels(at)


def test_an_admin_may_delete(roles_file) -> None:
    roles_file({INSIDER: "admin"})
    at = page(INSIDER)
    before = stat_articles(at)
    at = open_in_archive(at, SECRET["title"])
    next(b for b in at.button if b.label == "Delete this article…").click().run()
    next(b for b in at.button if b.label == "Delete for good").click().run()
    assert not at.exception
    assert any(f"Deleted “{SECRET['title']}”" in s.value for s in at.success)
    assert stat_articles(at) == before - 1


def test_a_user_without_a_role_entry_gets_ingest(roles_file) -> None:
    roles_file({INSIDER: "read"})  # OUTSIDER has no entry
    at = page(OUTSIDER)
    assert any("Role: ingest" in c.value for c in at.caption)
    assert at.file_uploader and "Add to index" in labels(at)


def test_a_file_without_roles_keeps_todays_rights(
    desk_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(desk_store.parent / "desks.toml"))
    at = page(INSIDER)  # desks.toml as written before roles: no [roles]
    assert at.file_uploader and any("Role: ingest" in c.value for c in at.caption)
    assert "Delete this article…" in labels(open_in_archive(at, SECRET["title"]))


def test_a_local_user_keeps_every_right(desk_store: Path) -> None:
    at = page(None)
    assert at.file_uploader and not any("Role:" in c.value for c in at.caption)
    assert "Delete this article…" in labels(open_in_archive(at, SECRET["title"]))


def test_a_bad_role_is_shown_as_a_config_error(roles_file) -> None:
    path = roles_file({INSIDER: "editor"})
    at = page(INSIDER)
    assert not at.chat_input and not at.file_uploader and not at.metric
    error = " ".join(e.value for e in at.error).replace("\\", "")  # escape_markdown's
    assert 'user "ana@example.org" the role \'editor\'' in error
    assert '"read", "ingest", "admin"' in error and "NEWSDESK_USER_DESKS" in error
    assert path.name in error and "Traceback" not in error


def test_a_read_user_on_an_empty_archive_is_not_sent_to_a_missing_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "roles.toml"
    path.write_text(f'[roles]\n"{OUTSIDER}" = "read"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_USER_DESKS", str(path))
    at = page(OUTSIDER)
    info = " ".join(i.value for i in at.info)
    assert "Your role is *read*" in info and "Add articles" not in info
    at.segmented_control(key="nd_view").set_value("Archive").run()
    assert [i.value for i in at.info] == ["The archive holds no article you may read yet."]
