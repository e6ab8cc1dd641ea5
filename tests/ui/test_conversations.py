"""Saved conversations: the JSON files on disk, and new / rename / reopen in the page (AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qa import Answer, Citation, Passage
from tests.ui.conftest import SEED_QUESTION
from tests.ui.test_app import OFF_TOPIC, ask, assistant_text, html_of, open_app
from ui.conversations import ConversationStore, default_title, new_id
from ui.render import escape_markdown
from ui.state import Turn

ANSWER = Answer(
    text="SDF fighters guard it [1].",
    refused=False,
    citations=(
        Citation(1, "a1", "Base title", "guarded by SDF fighters", 10, 33, "AP", "2023-01-05",
                 "https://example.org/a"),
    ),
    passages=(
        Passage("a1:0", "a1", "Base title", "The base is guarded by SDF fighters.", 0, 36, 0.8,
                sentences=((0, 36),), found_by=("dense", "keyword")),
    ),
    question="Who guards the base?",
    short="SDF fighters",
    timings_ms={"total": 12.5},
    confidence=0.7,
)  # fmt: skip


def test_a_saved_conversation_reads_back_exactly(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    turns = [Turn("Who guards the base?", answer=ANSWER), Turn("And then?", error="index busy")]
    conversation_id = new_id()
    store.save(conversation_id, turns)

    loaded = store.load(conversation_id)
    assert loaded is not None and list(loaded.turns) == turns
    assert loaded.title == "Who guards the base?"
    (path,) = (tmp_path / "conversations" / "local").glob("*.json")
    assert path.name == f"{conversation_id}.json"
    assert json.loads(path.read_text())["turns"][0]["answer"] == ANSWER.to_dict()
    assert not list(path.parent.glob(".tmp-*"))  # the temp file was renamed, not left behind


def test_list_is_newest_first_and_renames_stick(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    first, second = new_id(), new_id()
    store.save(first, [Turn("First question?")])
    store.save(second, [Turn("Second question?")])
    assert [c.title for c in store.recent()] == ["Second question?", "First question?"]

    store.rename(first, "  My   Qamishli notes ")
    store.rename(second, "   ")  # blank names are ignored
    store.save(first, [Turn("First question?"), Turn("Another?")])  # keeps the new name
    assert [c.title for c in store.recent()] == ["My Qamishli notes", "Second question?"]
    assert len(store.load(first).turns) == 2
    assert [c.title for c in store.recent(limit=1)] == ["My Qamishli notes"]


def test_users_and_broken_files_are_kept_apart(tmp_path: Path) -> None:
    ConversationStore(tmp_path, "ana").save(new_id(), [Turn("Ana's question?")])
    assert ConversationStore(tmp_path).recent() == []
    odd = ConversationStore(tmp_path, "../../etc")  # never a path outside conversations/
    odd.save(new_id(), [Turn("Q?")])
    assert odd.folder.parent == tmp_path / "conversations" and len(odd.recent()) == 1

    store = ConversationStore(tmp_path)
    good = new_id()
    store.save(good, [Turn("Kept?")])
    (store.folder / "broken.json").write_text("{not json", encoding="utf-8")
    (store.folder / "other.json").write_text('{"id": "../x"}', encoding="utf-8")
    assert [c.id for c in store.recent()] == [good]
    damaged = new_id()
    (store.folder / f"{damaged}.json").write_text(
        json.dumps({"id": damaged, "turns": [{"question": "Q?", "answer": {"answer": 3}}]})
    )
    assert store.load(damaged) is None  # listed, but reopening it shows nothing rather than fail
    assert store.load("../../secrets") is None


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("  Who   guards the base? ", "Who guards the base?"),
        ("word " * 30, ("word " * 12).strip() + "…"),
    ],
)
def test_default_title_is_the_first_question_shortened(question: str, title: str) -> None:
    assert default_title(question) == title


def saved_buttons(at: AppTest) -> list:
    return [b for b in at.sidebar.button if (b.key or "").startswith("nd_open_")]


def test_new_rename_and_reopen_a_conversation_in_the_page(seeded_store: Path) -> None:
    at = ask(open_app(), SEED_QUESTION)
    assert "SDF" in assistant_text(at, 1)
    at.sidebar.text_input[0].set_value("Qamishli base").run()

    next(b for b in at.sidebar.button if b.label == "New conversation").click().run()
    assert not at.chat_message
    assert [b.label for b in saved_buttons(at)] == ["Qamishli base"]
    at = ask(at, OFF_TOPIC)
    assert [b.label for b in saved_buttons(at)] == ["Qamishli base"]  # the current one is not

    # A fresh browser session (a reload, tomorrow) lists both, newest first, and reopens one.
    at = open_app()
    assert not at.chat_message
    labels = [b.label for b in saved_buttons(at)]
    assert labels == [escape_markdown(OFF_TOPIC), "Qamishli base"]  # titles shown as literal text
    saved_buttons(at)[1].click().run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert "SDF" in assistant_text(at, 1)
    assert "<mark>Associated Press reporters visited a base near Qamishli Airport" in html_of(at)
    assert at.sidebar.text_input[0].value == "Qamishli base"

    # A follow-up in the reopened conversation is saved into it, not into a new one.
    at = ask(at, "Who was withdrawing from it?")
    files = list((seeded_store / "conversations" / "local").glob("*.json"))
    assert len(files) == 2
    reopened = next(json.loads(f.read_text()) for f in files if "Qamishli base" in f.read_text())
    questions = [t["question"] for t in reopened["turns"]]
    assert questions == [SEED_QUESTION, "Who was withdrawing from it?"]
