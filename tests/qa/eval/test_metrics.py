"""Metric functions on hand-made cases, including the edge cases a real run hits."""

from __future__ import annotations

import pytest

from qa.eval.metrics import Outcome, aggregate, by_type, contains, score, token_f1, tokens


def outcome(
    answer: str = "",
    short: str = "",
    refused: bool = False,
    quotes: tuple[str, ...] = (),
    retrieved: tuple[str, ...] = (),
    latency_ms: float = 10.0,
) -> Outcome:
    return Outcome(answer, short, refused, quotes, retrieved, latency_ms)


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("The base is guarded by SDF fighters.", "sdf fighters", True),
        ("Prices rose 150 percent", "15", False),
        ("Prices rose 15.5 percent", "15", False),
        ("Prices rose 15 percent.", "15", True),
        ("It cost $10.4 billion in total", "$10.4 billion", True),
        ("It cost $10.4 billion in total", "10 billion", False),
        ("Brazilians mourned", "Brazil", False),
        ("Fans in Brazil mourned Pelé", "pele", True),
        ("Hamlin’s team, the Buffalo Bills, said", "The Buffalo Bills", True),
        ("Damar Hamlin's recovery", "Damar Hamlin", True),
        ("The XBB.1.5 subvariant spread", "XBB.1.5", True),
        ("The XBB.1 subvariant spread", "XBB.1.5", False),
        ("A COVID-19 test", "covid 19", True),
        ("anything", "", False),
        ("", "answer", False),
    ],
)
def test_containment_respects_word_and_number_boundaries(text, needle, expected):
    assert contains(text, needle) is expected


def test_tokens_drop_articles_and_fold_case():
    assert tokens("The U.S. and an Ally") == ["u.s", "and", "ally"]


def test_token_f1_partial_and_disjoint():
    assert token_f1("Buffalo Bills", "the Buffalo Bills") == 1.0
    assert token_f1("Buffalo", "Buffalo Bills") == pytest.approx(2 / 3)
    assert token_f1("", "Buffalo Bills") == 0.0


def test_correct_cited_answer_scores_everywhere():
    s = score(
        ["Buffalo Bills"],
        ["plays for the Buffalo Bills"],
        True,
        outcome(
            answer="He plays for the Buffalo Bills [1].",
            short="Buffalo Bills",
            quotes=("Hamlin plays for the Buffalo Bills.", "Unrelated quote."),
            retrieved=("noise", "Hamlin plays for the Buffalo Bills."),
        ),
    )
    assert (s.correct_short, s.correct_full, s.f1) == (True, True, 1.0)
    assert (s.supported_citations, s.citations, s.has_support) == (1, 2, True)
    assert s.first_hit_rank == 2
    assert not s.failed


def test_short_answer_judged_separately_from_full_text():
    s = score(["150"], [], True, outcome(answer="It was 150 [1].", short="It was 15"))
    assert s.correct_short is False and s.correct_full is True and s.failed


def test_no_citations_and_empty_answer():
    s = score(["Paris"], ["Paris"], True, outcome())
    assert (s.correct_short, s.correct_full, s.f1, s.citations) == (False, False, 0.0, 0)
    assert s.has_support is False and s.first_hit_rank is None
    m = aggregate([s])
    assert m["citation_precision"] is None  # no citations at all: nothing to be precise about
    assert m["citation_recall"] == 0.0
    assert m["hit_at_10"] == 0.0 and m["mrr_at_10"] == 0.0


def test_refusal_on_answerable_question_is_wrong_even_if_text_contains_answer():
    s = score(["Paris"], [], True, outcome(answer="The articles don't say Paris", refused=True))
    assert s.correct_full is False and s.failed


def test_all_refused_mixed_set():
    scores = [
        score(["Paris"], ["Paris"], True, outcome(refused=True)),
        score([], [], False, outcome(refused=True)),
        score([], [], False, outcome(refused=True)),
    ]
    m = aggregate(scores)
    assert m["answer_accuracy"] == 0.0
    assert m["refusal_precision"] == pytest.approx(2 / 3)
    assert m["refusal_recall"] == 1.0
    assert m["false_refusal_rate"] == 1.0
    assert m["counts"]["refused"] == 3 and m["counts"]["unanswerable"] == 2


def test_no_unanswerable_questions_gives_none_not_crash():
    m = aggregate([score(["Paris"], ["Paris"], True, outcome(short="Paris", refused=False))])
    assert m["refusal_precision"] is None and m["refusal_recall"] is None
    assert m["answer_accuracy"] == 1.0


def test_answering_an_unanswerable_question_counts_as_failure():
    s = score([], [], False, outcome(answer="Made up [1].", quotes=("some quote",)))
    assert s.failed and s.correct_short is None
    m = aggregate([s])
    assert m["answer_accuracy"] is None  # no answerable questions
    assert m["citation_precision"] == 0.0  # a citation that supports nothing
    assert m["refusal_recall"] == 0.0


def test_retrieval_ranks_and_mrr():
    ev = ["needle"]
    scores = [
        score(["x"], ev, True, outcome(retrieved=("a needle",))),  # rank 1
        score(["x"], ev, True, outcome(retrieved=("a",) * 4 + ("needle",))),  # rank 5
        score(["x"], ev, True, outcome(retrieved=("a",) * 9 + ("needle",))),  # rank 10
        score(["x"], ev, True, outcome(retrieved=("a",) * 10 + ("needle",))),  # beyond 10
    ]
    m = aggregate(scores)
    assert (m["hit_at_1"], m["hit_at_5"], m["hit_at_10"]) == (0.25, 0.5, 0.75)
    assert m["mrr_at_10"] == pytest.approx((1 + 1 / 5 + 1 / 10) / 4)
    assert m["counts"]["retrieval_scored"] == 4


def test_latency_percentiles_and_empty_run():
    scores = [score(["x"], [], True, outcome(latency_ms=ms)) for ms in (10, 20, 30, 40, 1000)]
    m = aggregate(scores)
    assert m["latency_p50_ms"] == 30.0
    assert 40 < m["latency_p95_ms"] <= 1000
    empty = aggregate([])
    assert empty["n"] == 0 and empty["answer_accuracy"] is None and empty["latency_p50_ms"] is None


def test_breakdown_by_type_keeps_counts():
    scores = [
        score(["Oslo"], [], True, outcome(short="Oslo")),
        score(["Bergen"], [], True, outcome(short="Tromsø")),
        score([], [], False, outcome(refused=True)),
    ]
    groups = by_type(["who", "who", "unanswerable"], scores)
    assert groups["who"]["answer_accuracy"] == 0.5 and groups["who"]["n"] == 2
    assert groups["unanswerable"]["refusal_recall"] == 1.0


def test_risk_coverage_ranks_questions_by_confidence():
    def rated(right: bool, confidence: float, answerable: bool = True):
        o = Outcome("x", "gold" if right else "no", False, (), (), 1.0, confidence)
        return score(["gold"] if answerable else [], [], answerable, o)

    scores = [
        rated(True, 0.9),
        rated(True, 0.8),
        rated(False, 0.7),
        rated(False, 0.6, answerable=False),  # answering an unanswerable one is wrong
    ]
    assert aggregate(scores)["risk_coverage"] == {"25": 1.0, "50": 1.0, "75": 2 / 3, "100": 0.5}
    # A refusal ranks below every answer, however sure the reading behind it was
    declined = score(["gold"], [], True, Outcome("", "", True, (), (), 1.0, 0.99))
    assert aggregate([declined, *scores[:3]])["risk_coverage"]["75"] == 2 / 3
    m = aggregate(scores[:2] + [score(["gold"], [], True, outcome(short="gold"))])
    assert m["risk_coverage"] is None  # a system without confidences gets no table
