"""``newsdesk ask`` prints a timeline, carries it in --json, and asks as of a day."""

from __future__ import annotations

import json

from tests.qa.test_cli_ask import ask_in_process
from tests.qa.timeline.story import TOPIC

QUESTION = f"How did {TOPIC} unfold?"


def test_ask_prints_a_timeline_one_dated_line_per_event(story_index, monkeypatch, capsys):
    store = story_index.settings.store_dir
    code, out, err = ask_in_process(["ask", QUESTION], store, monkeypatch, capsys)

    assert code == 0, err
    head, *lines = out.split("\nSources:\n")[0].splitlines()
    assert head.startswith("Timeline, oldest first (")
    events = [line for line in lines if line.startswith("- (")]
    assert events[0].startswith("- (2 September 2024) “") and events[0].endswith("[1]")
    assert any(line.startswith("- (14 September 2024) “Trams returned") for line in events)
    assert "\nSources:\n[1] " in out


def test_ask_json_carries_the_timeline_and_as_of_limits_it(story_index, monkeypatch, capsys):
    store = story_index.settings.store_dir
    code, out, err = ask_in_process(
        ["ask", QUESTION, "--json", "--as-of", "2024-09-06"], store, monkeypatch, capsys
    )

    assert code == 0, err
    data = json.loads(out)
    days = [e["date"] for e in data["timeline"]]
    assert days == ["2024-09-02", "2024-09-04"]
    quotes = {c["n"]: c["quote"] for c in data["citations"]}
    assert all(quotes[e["citations"][0]] == e["text"] for e in data["timeline"])


def test_a_bad_as_of_is_a_clear_error(story_index, monkeypatch, capsys):
    store = story_index.settings.store_dir
    code, _, err = ask_in_process(
        ["ask", QUESTION, "--as-of", "last tuesday"], store, monkeypatch, capsys
    )
    assert code == 2 and "is not a date" in err and "Traceback" not in err
