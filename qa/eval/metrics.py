"""Scoring functions for evaluation runs: pure, no I/O, no index.

Matching is *normalised token containment*: lower-case, accents and curly
quotes folded, articles (a/an/the) and possessive 's dropped, then the gold
token sequence must appear contiguously in the candidate's tokens. Numbers
such as ``10.4`` or ``25,000`` stay one token, so "15" never matches "150" or
"15.5", and a name never matches inside a longer word. Every aggregate comes
with the count it was computed over; a rate with nothing to count is ``None``
(not 0 and not a crash).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# A token: a run of letters/digits, possibly joined by . , ' inside it (10.4, 25,000, u.s, o'neill).
_TOKEN = re.compile(r"\w+(?:[.,']\w+)*")
_ARTICLES = frozenset({"a", "an", "the"})
_FOLD = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
RETRIEVAL_KS = (1, 3, 5, 10)
#: Shares of questions answered (most confident first) for the risk–coverage table.
COVERAGES = (0.25, 0.5, 0.75, 1.0)


def tokens(text: str) -> list[str]:
    """Normalised tokens of ``text`` (see module docstring)."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    out = []
    for tok in _TOKEN.findall(text):
        tok = tok.removesuffix("'s").strip("'")
        if tok and tok not in _ARTICLES:
            out.append(tok)
    return out


def contains(text: str, needle: str) -> bool:
    """True when ``needle``'s tokens occur contiguously in ``text``'s tokens."""
    want = tokens(needle)
    if not want:
        return False
    have = tokens(text)
    n = len(want)
    return any(have[i : i + n] == want for i in range(len(have) - n + 1))


def contains_any(text: str, needles: Iterable[str]) -> bool:
    return any(contains(text, needle) for needle in needles)


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD-style token F1 between one prediction and one gold answer."""
    pred, ref = tokens(prediction), tokens(gold)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Outcome:
    """What a system produced for one question, in plain strings (system-agnostic)."""

    answer: str  # full answer text
    short: str  # the bare answer phrase ("" when the system has none)
    refused: bool
    quotes: tuple[str, ...]  # cited text, one per citation
    retrieved: tuple[str, ...]  # passage texts, best first (up to 10)
    latency_ms: float
    confidence: float | None = None  # the system's own P(right), when it gives one


@dataclass(frozen=True)
class Score:
    """Per-question judgements; None where the judgement does not apply."""

    correct_short: bool | None  # None on unanswerable questions
    correct_full: bool | None
    f1: float | None
    supported_citations: int
    citations: int
    has_support: bool | None  # >=1 supporting citation (answerable questions only)
    answer_in_citations: bool | None
    first_hit_rank: int | None  # 1-based rank of the first passage with evidence; None = no hit
    retrieval_scored: bool  # answerable with evidence: counted for hit@k / MRR
    refused: bool
    answerable: bool
    latency_ms: float
    confidence: float | None = None
    item_recall: float | None = None  # list questions only (qa.eval.lists)
    item_precision: float | None = None

    @property
    def failed(self) -> bool:
        """A user would call this answer wrong (drives failures-first ordering)."""
        if not self.answerable:
            return not self.refused
        return not self.correct_short


def score(
    answers: Sequence[str],
    evidence: Sequence[str],
    answerable: bool,
    outcome: Outcome,
    items: Sequence[Sequence[str]] | None = None,
) -> Score:
    """Judge one outcome against its gold answers and evidence strings (and, for a list
    question, its gold ``items``)."""
    from qa.eval.lists import item_scores  # subtle: lists builds on contains(): a cycle at import

    recall, precision = (
        item_scores(items, outcome.answer, outcome.refused) if items else (None, None)
    )
    support = [*evidence, *answers]
    supported = sum(contains_any(q, support) for q in outcome.quotes) if support else 0
    ranked = [i for i, text in enumerate(outcome.retrieved[:10], 1) if contains_any(text, evidence)]
    if answerable:
        answered = not outcome.refused
        correct_short = answered and contains_any(outcome.short, answers)
        correct_full = answered and contains_any(outcome.answer, answers)
        f1 = max((token_f1(outcome.short, g) for g in answers), default=0.0) if answered else 0.0
        has_support = supported > 0
        in_citations = any(contains_any(q, answers) for q in outcome.quotes)
    else:
        correct_short = correct_full = f1 = has_support = in_citations = None
    return Score(
        correct_short=correct_short,
        correct_full=correct_full,
        f1=f1,
        supported_citations=supported,
        citations=len(outcome.quotes),
        has_support=has_support,
        answer_in_citations=in_citations,
        first_hit_rank=ranked[0] if ranked else None,
        retrieval_scored=answerable and bool(evidence),
        refused=outcome.refused,
        answerable=answerable,
        latency_ms=outcome.latency_ms,
        confidence=outcome.confidence,
        item_recall=recall,
        item_precision=precision,
    )


def _rate(hits: Iterable[bool | float]) -> float | None:
    values = list(hits)
    return float(statistics.fmean(values)) if values else None


def _percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def aggregate(scores: Sequence[Score]) -> dict[str, Any]:
    """Summary metrics over ``scores``, each rate beside the count it was computed over."""
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    retrieval = [s for s in answerable if s.retrieval_scored]
    refused = [s for s in scores if s.refused]
    latencies = [s.latency_ms for s in scores]
    n_citations = sum(s.citations for s in scores)
    result: dict[str, Any] = {
        "n": len(scores),
        "answer_accuracy": _rate(bool(s.correct_short) for s in answerable),
        "answer_accuracy_full": _rate(bool(s.correct_full) for s in answerable),
        "token_f1": _rate(s.f1 or 0.0 for s in answerable),
        "answer_in_citations": _rate(bool(s.answer_in_citations) for s in answerable),
        "citation_precision": (
            sum(s.supported_citations for s in scores) / n_citations if n_citations else None
        ),
        "citation_recall": _rate(bool(s.has_support) for s in answerable),
        # Refusal metrics are about spotting unanswerable questions: undefined without any.
        "refusal_precision": (
            sum(not s.answerable for s in refused) / len(refused)
            if unanswerable and refused
            else None
        ),
        "refusal_recall": _rate(s.refused for s in unanswerable),
        "false_refusal_rate": _rate(s.refused for s in answerable),
    }
    result["item_recall"] = _rate(s.item_recall for s in scores if s.item_recall is not None)
    result["item_precision"] = _rate(
        s.item_precision for s in scores if s.item_precision is not None
    )
    for k in RETRIEVAL_KS:
        result[f"hit_at_{k}"] = _rate(
            s.first_hit_rank is not None and s.first_hit_rank <= k for s in retrieval
        )
    result["mrr_at_10"] = _rate(
        1 / s.first_hit_rank if s.first_hit_rank else 0.0 for s in retrieval
    )
    result["risk_coverage"] = risk_coverage(scores)
    result["latency_p50_ms"] = _percentile(latencies, 50)
    result["latency_p95_ms"] = _percentile(latencies, 95)
    result["counts"] = {
        "questions": len(scores),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "retrieval_scored": len(retrieval),
        "citations": n_citations,
        "refused": len(refused),
    }
    return result


def risk_coverage(scores: Sequence[Score]) -> dict[str, float] | None:
    """Precision when only the most confident share of questions is answered.

    Answers are ranked by the system's confidence, refusals last (they are what it
    already declined); a question counts as right when answerable and its short answer
    is right. Keys are coverage percentages ("25", "50", "75", "100"); None when no
    confidence was given.
    """
    rated = [s for s in scores if s.confidence is not None]
    if not rated or len(rated) < len(scores):
        return None
    ranked = sorted(rated, key=lambda s: (s.refused, -s.confidence))
    out = {}
    for share in COVERAGES:
        top = ranked[: max(1, round(share * len(ranked)))]
        out[str(round(share * 100))] = sum(bool(s.correct_short) for s in top) / len(top)
    return out


def by_type(kinds: Sequence[str], scores: Sequence[Score]) -> dict[str, dict[str, Any]]:
    """``aggregate`` per question type (``kinds[i]`` is the type of ``scores[i]``)."""
    groups: dict[str, list[Score]] = defaultdict(list)
    for kind, s in zip(kinds, scores, strict=True):
        groups[kind].append(s)
    return {kind: aggregate(group) for kind, group in sorted(groups.items())}
