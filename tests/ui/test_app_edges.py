"""The chat page's edges through AppTest: filter badges, over-long questions, upload
messages, server paths and the passages under a refusal.

Real Assistant, real model, real Chroma in tmp_path, as in test_app.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import SEED_QUESTION
from tests.ui.test_app import OFF_TOPIC, ask, html_of, open_app

BADGE = 'class="nd-badge"'


def assistant_messages(at: AppTest) -> list:
    return [m for m in at.chat_message if m.name == "assistant"]


def test_active_filters_are_badged_above_the_box_and_on_each_answer(
    two_outlet_store: Path,
) -> None:
    at = open_app()
    assert BADGE not in html_of(at)  # nothing narrowed: no badge anywhere

    at.multiselect[0].set_value(["Associated Press"]).run()
    line = html_of(at)
    assert "Searching only:" in line and ">Outlet: Associated Press<" in line

    at = ask(at, SEED_QUESTION)
    first = html_of(assistant_messages(at)[0])
    assert "Filtered:" in first and ">Outlet: Associated Press<" in first

    # Unfiltered again: the line above the box goes, the first answer keeps its badge.
    at.multiselect[0].set_value([]).run()
    at = ask(at, SEED_QUESTION)
    first, second = (html_of(m) for m in assistant_messages(at))
    assert ">Outlet: Associated Press<" in first
    assert BADGE not in second
    assert "Searching only:" not in html_of(at)


def test_a_narrowed_date_range_is_badged(two_outlet_store: Path) -> None:
    at = open_app()
    at.date_input[0].set_value((date(2025, 3, 5), date(2025, 3, 5))).run()
    assert ">Date: 2025-03-05<" in html_of(at)


def test_an_over_long_question_says_the_limit_and_stays_in_the_box(seeded_store: Path) -> None:
    long_question = "Who guards the Qamishli base? " * 40  # 1,199 characters
    at = ask(open_app(), long_question)

    assert not at.chat_message  # nothing was asked
    warning = " ".join(w.value for w in at.warning)
    assert "1,199 characters" in warning and "the limit is 1,000" in warning
    assert at.chat_input[0].value == long_question  # back in the box, to shorten

    at = ask(at, SEED_QUESTION)  # a question within the limit is asked as usual
    assert not at.warning
    assert [m.name for m in at.chat_message] == ["user", "assistant"]


def test_upload_messages_can_be_dismissed(seeded_store: Path) -> None:
    at = open_app()
    good = b"Harbour reopens in Vantor\n\nThe harbour of Vantor reopened on Friday after storms.\n"
    at.file_uploader[0].set_value([("harbour.txt", good, "text/plain")])
    next(b for b in at.button if b.label == "Add to index").click().run()
    assert "1 added" in " ".join(s.value for s in at.success)

    at.button(key="nd_dismiss_upload").click().run()
    assert not at.exception
    assert not at.success and not at.warning and not at.error
    assert not any(b.key == "nd_dismiss_upload" for b in at.button)
    assert at.metric[0].value == "2"  # the upload itself stays


def test_an_upload_error_speaks_to_a_browser_user(seeded_store: Path) -> None:
    at = open_app()
    at.file_uploader[0].set_value([("broken.json", b'{"body": "an unfinished', "text/json")])
    next(b for b in at.button if b.label == "Add to index").click().run()

    errors = [e.value for e in at.error]
    assert len(errors) == 1
    message = errors[0].replace("\\", "")  # escape_markdown's backslashes
    assert message.startswith("broken.json: is not valid JSON: Unterminated string starting at")
    assert "at at" not in message
    assert "line 1, column 10" in message
    assert "json.tool" not in message and "text editor" in message
    assert "newsdesk-upload-" not in message  # no temp path


def test_the_store_path_is_shown_only_with_the_debug_setting(
    seeded_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    captions = " ".join(c.value for c in open_app().sidebar.caption)
    assert "Model:" in captions
    assert "Store" not in captions and seeded_store.name not in captions.replace("\\", "")

    monkeypatch.setenv("NEWSDESK_SHOW_PATHS", "true")
    captions = " ".join(c.value for c in open_app().sidebar.caption).replace("\\", "")
    assert f"Store: {seeded_store}" in captions


def test_a_refusal_shows_one_closest_passage_per_article(two_outlet_store: Path) -> None:
    at = ask(open_app(), OFF_TOPIC)
    cards = html_of(at.expander[0])
    assert 'class="nd-refusal"' in html_of(at)
    titles = [part.split("</span>", 1)[0] for part in cards.split('class="nd-title">')[1:]]
    assert titles and len(titles) == len(set(titles))


def test_a_one_article_store_shows_one_passage_under_a_refusal(seeded_store: Path) -> None:
    # The seed article has five chunks; they used to fill all three cards.
    at = ask(open_app(), OFF_TOPIC)
    assert html_of(at.expander[0]).count("nd-passage") == 1
