"""Fit how much the reader weighs inside the rule-based answerer, on generated questions.

The extractive answerer's sentence score (word overlap, embedding cosine, answer type)
and the reader's (entity-type fit, paraphrase) miss different questions, so the reader
is one feature of that score (``Weights.reader``, ``Weights.reader_span``) rather than
a replacement. The weights are chosen here on the held-out generated groups (articles
the reader never trained on; ``qa.reading.pairs``), never on evaluation questions:
each group's windows become passages in a seeded random order, the answerer ranks
their sentences, and its answer is right when the chosen phrase is the group's answer
phrase (``calibrate.overlaps``). The same readings, with and without the answering
window, fit the logistic map from the answerer's score to P(right).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from index.sentences import split_sentences
from qa.answerers.extractive import ExtractiveAnswerer, Weights, _sentences
from qa.models import Passage
from qa.reading.calibrate import fit_logistic, overlaps
from qa.reading.pairs import Group, Window
from qa.reading.reader import Calibration


@dataclass(frozen=True)
class Trial:
    """One weight setting measured on the held-out groups."""

    reader: float
    reader_span: float
    right: float  # share of answerable groups whose chosen phrase is the answer
    scores: np.ndarray  # best sentence score per reading (with, then without the answer)
    correct: np.ndarray  # whether that reading's answer was right (never, without it)

    def calibration(self) -> Calibration:
        """sigmoid(a * score + b) ≈ P(right), over both readings of every group."""
        return fit_logistic(self.scores, self.correct)


def _passages(windows: Sequence[Window]) -> list[Passage]:
    return [
        Passage(
            chunk_id=str(i),
            article_id=str(i),
            title="",
            text=w.text,
            start=0,
            end=len(w.text),
            score=0.0,
            sentences=tuple(split_sentences(w.text)),
        )
        for i, w in enumerate(windows)
    ]


def _best(answerer: ExtractiveAnswerer, question: str, windows: Sequence[Window]):
    sentences = _sentences(_passages(windows))
    return answerer.rank(question, sentences)[0] if sentences else None


def trial(
    answerer: ExtractiveAnswerer, groups: Iterable[Group], reader: float, reader_span: float
) -> Trial:
    """Rank every answerable group's windows (shuffled, seed fixed) with these weights."""
    ranker = replace_weights(answerer, reader, reader_span)
    scores, correct = [], []
    for g in groups:
        if g.positive is None or g.positive.answer is None:
            continue
        windows = [g.positive, *g.negatives]
        random.Random(g.question).shuffle(windows)
        best = _best(ranker, g.question, windows)
        right = False
        if best is not None and best.best is not None and best.passage.text == g.positive.text:
            lo = best.start + best.best.start
            right = overlaps((lo, lo + len(best.best.text)), g.positive.answer)
        scores.append(best.score if best is not None else -1.0)
        correct.append(right)
        without = _best(ranker, g.question, [w for w in windows if w is not g.positive])
        scores.append(without.score if without is not None else -1.0)
        correct.append(False)
    s, c = np.array(scores), np.array(correct, dtype=bool)
    return Trial(reader, reader_span, float(c[::2].mean()) if len(c) else 0.0, s, c)


def replace_weights(
    answerer: ExtractiveAnswerer, reader: float, reader_span: float
) -> ExtractiveAnswerer:
    """The same answerer (encoder, reader, parse cache) with other reader weights."""
    out = ExtractiveAnswerer(answerer.encode, answerer.settings, answerer.weights, answerer.reader)
    out.weights = replace(answerer.weights, reader=reader, reader_span=reader_span)
    out._docs = answerer._docs
    return out


def grid(
    answerer: ExtractiveAnswerer,
    groups: Sequence[Group],
    readers: Sequence[float],
    spans: Sequence[float],
) -> list[Trial]:
    """Every (reader, reader_span) pair, best share right first."""
    trials = [trial(answerer, groups, r, s) for r in readers for s in spans]
    return sorted(trials, key=lambda t: -t.right)


__all__ = ["Trial", "Weights", "grid", "trial"]
