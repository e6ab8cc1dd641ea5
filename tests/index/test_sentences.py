"""Sentence spans: exact offsets into the text, whatever characters it holds."""

from __future__ import annotations

import blingfire
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from index.sentences import sentence_starts, split_sentences
from tests.conftest import SEEDS


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_seed_article_has_17_sentences_with_exact_offsets() -> None:
    [seed] = sorted(SEEDS.glob("*.txt"))
    text = seed.read_text(encoding="utf-8")
    found = sentences(text)
    assert len(found) == 17
    # a quote spanning two sentences, with curly quotes, splits inside the quote
    assert (
        "“We don’t know whether its destination is Russia or Khmeimim Air Base, Russia’s main "
        "base on the Syrian coast,” he said." in found
    )
    assert "“They are still stationed in Qamishli and are gradually withdrawing.”" in found
    assert found[-1].endswith("to Iraqi detention centers.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi 😀 there. Next one 😀😀 is here. Third.",
            ["Hi 😀 there.", "Next one 😀😀 is here.", "Third."],
        ),
        (
            "Señor Núñez paid €5 for crème brûlée. He liked it. Done.",
            ["Señor Núñez paid €5 for crème brûlée.", "He liked it.", "Done."],
        ),
        (
            "“We left,” he said. “They stayed.” Then silence fell.",
            ["“We left,” he said.", "“They stayed.”", "Then silence fell."],
        ),
        (
            "中文句子。Second sentence here. Third one.",
            ["中文句子。", "Second sentence here.", "Third one."],
        ),
    ],
)
def test_offsets_are_characters_not_bytes(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_newlines_always_end_a_sentence() -> None:
    text = "Headline without a period\nFirst line ends here\n\n  A paragraph. Two sentences.  \n"
    assert sentences(text) == [
        "Headline without a period",
        "First line ends here",
        "A paragraph.",
        "Two sentences.",
    ]


def test_titles_and_list_numbers_stay_with_their_sentence() -> None:
    text = (
        "The storm hit on Monday. Gov. Kathy Hochul declared an emergency. Dr. Lee agreed.\n"
        "1. Ukraine\n“Mr. Ruiz is here,” she said."
    )
    assert sentences(text) == [
        "The storm hit on Monday.",
        "Gov. Kathy Hochul declared an emergency.",
        "Dr. Lee agreed.",
        "1. Ukraine",
        "“Mr. Ruiz is here,” she said.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def check_spans(text: str, spans: list[tuple[int, int]], whole_text: bool = True) -> None:
    """Every span slices to stripped non-empty text; ordered; every word of the text in one."""
    previous_end = 0
    covered: set[int] = set()
    for start, end in spans:
        piece = text[start:end]
        assert piece and piece == piece.strip()
        assert "\n" not in piece
        assert start >= previous_end
        previous_end = end
        covered.update(range(start, end))
    if whole_text:
        assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered


TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(" \n\n\t.?!“”’\"'—-,;:")),
        st.characters(codec="utf-8"),
    ),
    max_size=400,
)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_any_text_gives_clean_ordered_spans(text: str) -> None:
    check_spans(text, split_sentences(text))


@settings(max_examples=150, deadline=None)
@given(TEXT)
@example("Hi 😀 there. Next 😀😀 one.\n中文句子。 Señor Núñez paid €5. “Done,” he said.")
def test_fast_offsets_equal_blingfires_own_wrapper(text: str) -> None:
    assume(text.strip())  # the wrapper itself fails an assertion on empty text
    _, offsets = blingfire.text_to_sentences_and_offsets(text)
    assert sentence_starts(text) == [start for start, _ in offsets]
