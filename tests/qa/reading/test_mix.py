"""The reader as one feature of the rule-based answerer (real embedder, shipped reader).

Hand-written groups (not evaluation data): the weights fit on them must be measured the
way ``qa.reading.mix`` measures held-out generated groups, and the fitted weights
(``NEWSDESK_READER_MIX``) must let the reader change which sentence answers without
changing whether one does.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from index import NewsIndex
from qa.answerers.extractive import MIXED, ExtractiveAnswerer, Weights
from qa.reading import load_reader
from qa.reading.mix import grid, trial
from qa.reading.pairs import Group, Window
from tests.qa.conftest import one_sentence_passage


def _window(text: str, answer: str | None = None) -> Window:
    if answer is None:
        return Window(text)
    start = text.index(answer)
    return Window(text, (start, start + len(answer)))


GROUPS = [
    Group(
        "Which company built the new bridge over the river?",
        "Ozkan Yapi",
        _window(
            "The structure was put up by the Turkish firm Ozkan Yapi in two years.", "Ozkan Yapi"
        ),
        (
            _window("The new bridge over the river was built to replace a ferry, officials said."),
            _window("Traffic on the river bridge is expected to double by 2030."),
        ),
        "cross",
        heldout=True,
    ),
    Group(
        "How many people were rescued from the flooded mine?",
        "fourteen",
        _window("Crews pulled fourteen miners out alive late on Sunday.", "fourteen"),
        (
            _window("The mine flooded after heavy rain, and people gathered at the gate."),
            _window("Rescue teams have worked at flooded mines across the region before."),
        ),
        "cross",
        heldout=True,
    ),
    Group("A headline group has no span", "", None, (_window("Nothing here."),), "headline"),
]


@pytest.fixture(scope="module")
def answerer(seed_index: NewsIndex) -> ExtractiveAnswerer:
    settings = seed_index.settings
    return ExtractiveAnswerer(seed_index.embedder.encode, settings, reader=load_reader(settings))


def test_a_trial_reads_each_answerable_group_with_and_without_its_answer(answerer):
    measured = trial(answerer, GROUPS, reader=1.0, reader_span=0.5)
    assert len(measured.scores) == len(measured.correct) == 4  # the headline group is skipped
    assert not measured.correct[1::2].any()  # without the answering window nothing is right
    assert measured.right == measured.correct[::2].mean()
    # The score of a reading with its answer beats the same question's reading without it
    assert (measured.scores[::2] > measured.scores[1::2]).all()
    calibration = measured.calibration()
    assert calibration.a > 0
    probabilities = [calibration(s) for s in np.sort(measured.scores)]
    assert probabilities == sorted(probabilities)


def test_the_grid_is_ordered_best_first_and_leaves_the_answerer_as_it_was(answerer):
    before = answerer.weights
    trials = grid(answerer, GROUPS[:1], readers=[0.0, 1.0], spans=[0.0])
    assert [t.right for t in trials] == sorted((t.right for t in trials), reverse=True)
    assert {(t.reader, t.reader_span) for t in trials} == {(0.0, 0.0), (1.0, 0.0)}
    assert answerer.weights == before


def test_the_reader_weighs_in_on_the_choice_but_the_rules_decide_whether_to_answer(answerer):
    # Written before the run: the hope was that the mix quotes the paraphrase (passage 2).
    # Measured: it still quotes the distractor that repeats the question's words, as the
    # rules do (qa/reading/MODEL.md, known weaknesses); what must hold is below.
    passages = [
        one_sentence_passage(
            "a", "The new bridge over the river was built to replace a ferry, officials said."
        ),
        one_sentence_passage(
            "b", "The structure was put up by the Turkish firm Ozkan Yapi in two years."
        ),
    ]
    question = "Which company built the new bridge over the river?"
    rules = ExtractiveAnswerer(
        answerer.encode, answerer.settings, replace(Weights(), reader=0.0, reader_span=0.0)
    )
    settings = answerer.settings.model_copy(update={"reader_mix": True})
    mixed = ExtractiveAnswerer(answerer.encode, settings, reader=answerer.reader)
    assert mixed.weights == MIXED
    draft = mixed.draft(question, passages)
    assert draft.refused == rules.draft(question, passages).refused
    [(n, [(start, end)])] = draft.quotes.items()
    assert f"“{passages[n - 1].text[start:end]}” [{n}]" in draft.text
    assert 0.0 <= draft.confidence <= 1.0
    # Off-topic: the reader's weight never turns a refusal into an answer
    off = [one_sentence_passage("c", "The orchestra played three symphonies on Friday night.")]
    assert rules.draft("Which company built the new bridge?", off).refused
    assert mixed.draft("Which company built the new bridge?", off).refused
