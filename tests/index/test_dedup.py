"""Near-duplicate detection: syndicated, lightly edited copies are found, others not."""

from __future__ import annotations

import random

import pytest

from index.dedup import DuplicateFinder
from tests.conftest import SEEDS

UNRELATED = (
    "The city council of Lindenfield voted 7-2 on Thursday to build a new public library on "
    "the site of the old bus depot. Construction is expected to start next spring and cost "
    "about $12 million, the mayor said, adding that the old depot would be demolished first."
)


@pytest.fixture(scope="module")
def seed_text() -> str:
    [seed] = sorted(SEEDS.glob("*.txt"))
    return seed.read_text(encoding="utf-8")


def edited_copy(text: str) -> str:
    """The same story as another outlet runs it: new dateline credit, a few words changed."""
    return (
        text.replace("(AP)", "(Reuters)")
        .replace("Associated Press reporters", "Reuters reporters")
        .replace("on Tuesday", "this week")
        .replace("five or six days ago", "about a week ago")
        .replace("meet with Putin", "meet with President Vladimir Putin")
    )


def test_edited_copy_from_another_outlet_is_found(seed_text: str) -> None:
    finder = DuplicateFinder(0.8)
    finder.add("seed", DuplicateFinder.signature(seed_text))
    finder.add("library", DuplicateFinder.signature(UNRELATED))
    assert finder.find(DuplicateFinder.signature(edited_copy(seed_text))) == "seed"


def test_lsh_finds_every_copy_whose_similarity_passes(seed_text: str) -> None:
    """LSH recall: no copy above the threshold is missed (16 copies, 6-10 words changed)."""
    finder = DuplicateFinder(0.8)
    original = DuplicateFinder.signature(seed_text)
    finder.add("seed", original)
    words = seed_text.split(" ")
    passing = 0
    for trial in range(16):
        rng = random.Random(trial)
        edited = list(words)
        for position in rng.sample(range(len(words)), 6 + trial % 5):
            edited[position] = f"changed{trial}"
        signature = DuplicateFinder.signature(" ".join(edited))
        if DuplicateFinder.similarity(original, signature) >= 0.8:
            passing += 1
            assert finder.find(signature) == "seed", trial
    assert passing >= 8  # the trials do exercise the band near the threshold


def test_unrelated_article_is_not_a_duplicate(seed_text: str) -> None:
    finder = DuplicateFinder(0.8)
    finder.add("seed", DuplicateFinder.signature(seed_text))
    assert finder.find(DuplicateFinder.signature(UNRELATED)) is None
    # half the story is not a syndicated copy either
    half = seed_text[: len(seed_text) // 2]
    assert finder.find(DuplicateFinder.signature(half)) is None


def test_remove_forgets_and_add_replaces(seed_text: str) -> None:
    finder = DuplicateFinder(0.8)
    signature = DuplicateFinder.signature(seed_text)
    finder.add("seed", signature)
    finder.add("seed", signature)  # adding again is not an error
    assert len(finder) == 1
    finder.remove("seed")
    finder.remove("seed")  # removing twice is not an error
    assert finder.find(signature) is None
    assert len(finder) == 0


def test_signature_is_stable_bytes_that_survive_a_round_trip(seed_text: str) -> None:
    signature = DuplicateFinder.signature(seed_text)
    assert isinstance(signature, bytes) and len(signature) == 512
    # whitespace, case and punctuation do not change it
    assert DuplicateFinder.signature(seed_text.upper().replace(",", " ")) == signature
    finder = DuplicateFinder(0.8)
    finder.add("seed", bytes(bytearray(signature)))  # as read back from SQLite
    assert finder.find(signature) == "seed"


def test_bad_signature_and_threshold_are_refused() -> None:
    with pytest.raises(ValueError, match="re-ingest"):
        DuplicateFinder(0.8).add("x", b"\x00" * 10)
    with pytest.raises(ValueError, match="threshold"):
        DuplicateFinder(0.0)


def test_short_texts_compare_whole(seed_text: str) -> None:
    finder = DuplicateFinder(0.8)
    finder.add("short", DuplicateFinder.signature("Ferry runs again."))
    assert finder.find(DuplicateFinder.signature("Ferry runs  again!")) == "short"
    assert finder.find(DuplicateFinder.signature("Ferry stops.")) is None
