"""The chat page through Streamlit's AppTest: real Assistant, real model, real Chroma in tmp_path.

Each test gets its own store (``NEWSDESK_STORE_DIR``), seeded with seeds/
when it needs articles; the Assistant is cached per settings, so the model
itself loads once per session.
"""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP_FILE, SEED_QUESTION
from ui.export import conversation_json, conversation_markdown

OFF_TOPIC = "What is the capital of Peru?"


def open_app() -> AppTest:
    at = AppTest.from_file(str(APP_FILE), default_timeout=180).run()
    assert not at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def html_of(element) -> str:
    """The HTML blocks of the page (an AppTest) or of one element in it (a chat message)."""
    return "\n".join(block.value for block in element.html)


def assistant_text(at: AppTest, turn: int) -> str:
    """The Markdown shown in the assistant message of ``turn`` (1-based)."""
    message = [m for m in at.chat_message if m.name == "assistant"][turn - 1]
    return "\n".join(md.value for md in message.markdown)


def test_seed_question_is_answered_with_a_linked_highlighted_quote(seeded_store: Path) -> None:
    at = ask(open_app(), SEED_QUESTION)

    answer = assistant_text(at, 1)
    assert "SDF" in answer
    assert "[\\[1\\]](#cite-1-1)" in answer  # [1] links to its source card
    cards = html_of(at)
    assert 'id="cite-1-1"' in cards
    assert "Associated Press" in cards
    assert "<mark>Associated Press reporters visited a base near Qamishli Airport" in cards
    assert not at.error

    # The conversation downloads with its citations.
    assert len(at.get("download_button")) == 2
    turns = at.session_state["nd_turns"]
    markdown = conversation_markdown(turns)
    assert f"## 1. {SEED_QUESTION}" in markdown
    assert "> Associated Press reporters visited a base near Qamishli Airport" in markdown
    exported = json.loads(conversation_json(turns))["turns"][0]["answer"]
    assert exported["citations"][0]["n"] == 1 and "SDF" in exported["citations"][0]["quote"]


def test_an_answer_under_the_confidence_bar_is_shown_as_uncertain(
    seeded_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No answer falls under a bar of 0, every answer under a bar of 1.0
    monkeypatch.setenv("NEWSDESK_LOW_CONFIDENCE", "0")
    at = ask(open_app(), SEED_QUESTION)
    assert not any("Uncertain answer" in c.value for c in at.caption)
    monkeypatch.setenv("NEWSDESK_LOW_CONFIDENCE", "1.0")
    at = ask(open_app(), SEED_QUESTION)
    flagged = [c.value for c in at.caption if "Uncertain answer" in c.value]
    assert flagged and "%" in flagged[0]
    assert "SDF" in assistant_text(at, 1)


def test_unanswerable_question_is_refused_visibly_with_closest_passages(
    seeded_store: Path,
) -> None:
    at = ask(open_app(), OFF_TOPIC)

    cards = html_of(at)
    assert 'class="nd-refusal"' in cards
    assert "The indexed articles don&#x27;t answer this question" in cards
    assert "<mark>" not in cards  # nothing is presented as evidence
    assert at.expander[0].label == "Closest passages in the index"
    assert "nd-passage" in cards


def test_follow_up_is_answered_in_the_context_of_the_conversation(seeded_store: Path) -> None:
    at = ask(open_app(), SEED_QUESTION)
    at = ask(at, "Who was withdrawing from it?")

    assert [m.name for m in at.chat_message] == ["user", "assistant"] * 2
    assert "Qamishli" in " ".join(c.value for c in at.caption if c.value.startswith("Answered as"))
    assert "Russia" in assistant_text(at, 2)
    cards = html_of(at)
    assert 'id="cite-1-1"' in cards and 'id="cite-2-1"' in cards

    new = next(b for b in at.button if b.label == "New conversation")
    new.click().run()
    assert not at.chat_message


def test_answered_as_shows_only_for_a_rewritten_question(seeded_store: Path) -> None:
    at = ask(open_app(), SEED_QUESTION)
    at = ask(at, "When is Sala expected to visit Moscow?")  # standalone: searched as typed

    assert not [c for c in at.caption if c.value.startswith("Answered as")]
    assert "Wednesday" in assistant_text(at, 2)


def test_upload_adds_good_files_and_explains_bad_ones(seeded_store: Path) -> None:
    at = open_app()
    good = b"Harbour reopens in Vantor\n\nThe harbour of Vantor reopened on Friday after storms.\n"
    bad = b'{"title": "no body here"}'
    at.file_uploader[0].set_value(
        [("harbour.txt", good, "text/plain"), ("broken.json", bad, "application/json")]
    )
    next(b for b in at.button if b.label == "Add to index").click().run()
    assert not at.exception

    summary = " ".join(w.value for w in at.warning)
    assert "1 added" in summary and "1 failed" in summary
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("broken\\.json")
    assert "body" in errors[0]
    assert at.metric[0].value == "2"  # the Articles count already includes the upload


def test_outlet_and_date_filters_narrow_what_is_searched(two_outlet_store: Path) -> None:
    at = open_app()
    assert set(at.multiselect[0].options) == {"Associated Press", "Vantor Post"}

    at.multiselect[0].set_value(["Vantor Post"]).run()
    at = ask(at, SEED_QUESTION)
    assert "Associated Press reporters" not in assistant_text(at, 1) + html_of(at)

    at.multiselect[0].set_value(["Associated Press"]).run()
    at = ask(at, SEED_QUESTION)
    assert "<mark>Associated Press reporters" in html_of(at)

    at.multiselect[0].set_value([]).run()
    at.date_input[0].set_value((date(2025, 3, 5), date(2025, 3, 5))).run()
    at = ask(at, SEED_QUESTION)  # the undated AP article is outside any narrowed range
    assert "Associated Press reporters" not in assistant_text(at, 3)


def test_empty_index_says_how_to_add_articles(isolated_store: Path) -> None:
    at = open_app()
    assert "newsdesk ingest PATH" in at.info[0].value
    assert at.chat_input[0].disabled
    assert at.radio(key="nd_answerer").disabled  # no NEWSDESK_LLM: nothing to choose
    assert any("NEWSDESK_LLM" in c.value for c in at.caption)


def test_unreachable_llm_is_an_error_in_the_chat(
    seeded_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_LLM", "tiny-model")
    monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    monkeypatch.setenv("NEWSDESK_LLM_TIMEOUT_S", "2")
    at = open_app()
    answerer = at.radio(key="nd_answerer")
    assert not answerer.disabled and "Configured LLM (tiny-model)" in answerer.options
    answerer.set_value("llm").run()
    at = ask(at, SEED_QUESTION)

    assert len(at.error) == 1 and "127\\.0\\.0\\.1" in at.error[0].value
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    at.radio(key="nd_answerer").set_value("extractive").run()
    at = ask(at, SEED_QUESTION)  # the offline answerer still works in the same session
    assert 'id="cite-2-1"' in html_of(at)


def test_example_question_button_asks_it(seeded_store: Path) -> None:
    at = open_app()
    examples = [b for b in at.button if (b.key or "").startswith("nd_example_")]
    assert examples, "an indexed store should offer example questions"
    examples[0].click().run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends


def test_unreachable_servers_are_an_error_not_a_traceback(
    isolated_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_CHROMA_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", f"postgresql://nd:pw@127.0.0.1:{_closed_port()}/nd")
    monkeypatch.setenv("NEWSDESK_CHROMA_TIMEOUT_S", "2")
    monkeypatch.setenv("NEWSDESK_DATABASE_TIMEOUT_S", "2")
    at = open_app()
    assert len(at.error) == 1
    assert "127\\.0\\.0\\.1" in at.error[0].value
    assert not at.chat_input
