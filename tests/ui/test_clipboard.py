"""The "Copy answer" button: what it copies, and that article text cannot break out of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from qa import Answer, Citation
from tests.ui.conftest import SEED_QUESTION
from tests.ui.test_app import OFF_TOPIC, ask, open_app
from ui.clipboard import answer_text, script_literal

TWO_SOURCES = Answer(
    text="SDF fighters guard the base [1], which Russia is leaving [2].",
    refused=False,
    citations=(
        Citation(1, "a1", "Base near Qamishli", "The base is guarded by\nSDF fighters.", 0, 36,
                 "Associated Press", "2023-01-05", "https://example.org/base"),
        Citation(2, "a2", "", "Russia is withdrawing.", 5, 27),
    ),
)  # fmt: skip


def test_copied_text_has_the_answer_and_each_numbered_source() -> None:
    assert answer_text(TWO_SOURCES) == (
        "SDF fighters guard the base [1], which Russia is leaving [2].\n"
        "\n"
        "Sources:\n"
        "[1] Base near Qamishli — Associated Press · 2023-01-05\n"
        "    https://example.org/base\n"
        "    “The base is guarded by SDF fighters.”\n"
        "[2] Untitled\n"
        "    “Russia is withdrawing.”\n"
    )
    refusal = Answer(text="The indexed articles don't say.", refused=True)
    assert answer_text(refusal) == "The indexed articles don't say.\n"


def test_script_literal_cannot_close_the_script() -> None:
    hostile = '</script><script>alert(1)</script> & \u2028 “quotes” "x"'
    literal = script_literal(hostile)
    assert "<" not in literal and ">" not in literal and "&" not in literal
    assert json.loads(literal) == hostile  # the clipboard still gets the exact text


def copy_pages(at) -> list[str]:
    return [el.proto.srcdoc for el in at.get("iframe")]


def page_text(page: str) -> str:
    return json.loads(re.search(r"const text = (.*);\n", page).group(1))


def test_each_answer_in_the_page_has_a_copy_button_with_its_text(seeded_store: Path) -> None:
    at = ask(open_app(), SEED_QUESTION)
    (page,) = copy_pages(at)
    assert "Copy answer" in page
    copied = page_text(page)
    assert "SDF" in copied.splitlines()[0]
    assert "\n[1] " in copied and "Associated Press" in copied
    assert "Associated Press reporters visited a base near Qamishli Airport" in copied

    at = ask(at, OFF_TOPIC)
    pages = copy_pages(at)
    assert len(pages) == 2 and page_text(pages[0]) == copied  # past turns keep theirs
    assert page_text(pages[1]).startswith("The indexed articles don't answer")
