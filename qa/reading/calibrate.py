"""Turn the reader's raw score into a probability that its answer is right.

Fit on generated questions from held-out articles (never on evaluation questions):
each held-out group is read twice, once with its answering window among the
negatives (the answer may be right or wrong) and once without it (any answer is
wrong). A one-feature logistic fit (``a > 0``, so confidence rises with the score)
maps score → P(right); the refusal threshold is the confidence that maximises
right answers plus refusals of wrong ones on the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.reading.pairs import Group
from qa.reading.reader import Calibration, Reader


@dataclass(frozen=True)
class Fit:
    """The calibration, its threshold and what they were measured on."""

    calibration: Calibration
    threshold: float
    samples: int
    accuracy: float  # answers right among the answerable held-out groups (top window)
    decided: float  # right answers + right refusals at the threshold, over all samples


def overlaps(span: tuple[int, int] | None, gold: tuple[int, int] | None) -> bool:
    """A predicted span is right when it and the gold phrase share most of their length."""
    if span is None or gold is None:
        return False
    inter = min(span[1], gold[1]) - max(span[0], gold[0])
    return inter > 0 and inter >= 0.5 * max(span[1] - span[0], gold[1] - gold[0])


def samples(reader: Reader, groups: Sequence[Group]) -> tuple[np.ndarray, np.ndarray]:
    """(scores, right) over the held-out groups, each with and without its answer."""
    scores, right = [], []
    for g in groups:
        if g.positive is None or g.positive.answer is None:
            continue
        windows = [g.positive, *g.negatives]
        readings = reader.read(g.question, [w.text for w in windows])
        best = max(range(len(readings)), key=lambda i: readings[i].score)
        scores.append(readings[best].score)
        right.append(best == 0 and overlaps(readings[0].span, g.positive.answer))
        rest = readings[1:]
        scores.append(max(r.score for r in rest))
        right.append(False)
    return np.array(scores, dtype=np.float64), np.array(right, dtype=bool)


def fit_logistic(scores: np.ndarray, right: np.ndarray, iters: int = 100) -> Calibration:
    """Maximum-likelihood sigmoid(a*s + b) by damped Newton steps, ``a`` kept positive.

    Scores are standardised first and every step is halved until the likelihood rises,
    so a raw score range of tens of logits cannot throw the fit off.
    """
    mu, sd = float(np.mean(scores)), float(np.std(scores)) or 1.0
    x, y = (scores - mu) / sd, right.astype(np.float64)

    def loss(w: np.ndarray) -> float:
        z = w[0] * x + w[1]
        return float(np.sum(np.logaddexp(0.0, z) - y * z))

    w = np.zeros(2)
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(w[0] * x + w[1], -30, 30)))
        grad = np.array([np.sum((p - y) * x), np.sum(p - y)])
        h = p * (1 - p) + 1e-9
        hess = np.array([[np.sum(h * x * x), np.sum(h * x)], [np.sum(h * x), np.sum(h)]])
        step = np.linalg.solve(hess + 1e-6 * np.eye(2), grad)
        before, scale = loss(w), 1.0
        while loss(w - scale * step) > before and scale > 1e-6:
            scale /= 2
        w = w - scale * step
        if np.abs(scale * step).max() < 1e-9:
            break
    a = max(float(w[0]) / sd, 1e-3)
    return Calibration(a=a, b=float(w[1]) - a * mu)


def fit(reader: Reader, groups: Sequence[Group]) -> Fit:
    """Calibration and refusal threshold from held-out ``groups``."""
    scores, right = samples(reader, groups)
    if len(scores) < 4 or right.all() or not right.any():
        return Fit(Calibration(), 0.5, len(scores), float(right.mean()) if len(right) else 0.0, 0.0)
    calibration = fit_logistic(scores, right)
    conf = np.array([calibration(s) for s in scores])
    grid = np.linspace(0.05, 0.95, 91)
    utility = [np.mean(np.where(conf >= t, right, ~right)) for t in grid]
    best = int(np.argmax(utility))
    return Fit(
        calibration,
        float(grid[best]),
        len(scores),
        float(right[::2].mean()),
        float(utility[best]),
    )
