"""The reader's training-data builder on real article text (real spaCy, real FTS5)."""

from __future__ import annotations

import json
import re

import pytest

from index.loading import iter_articles
from index.models import Article
from qa.reading.pairs import Group, build_groups, iter_training_text
from tests.conftest import REPO, SEEDS, SHARED

WH = re.compile(r"\b(who|whose|what|when|where|which|how)\b", re.IGNORECASE)


def _articles(path) -> list[Article]:
    return [a for a in iter_articles([path], 200 * 2**20) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def seed_groups() -> list[Group]:
    return list(build_groups(_articles(SEEDS), max_groups=200, seed=0))


def test_questions_are_well_formed_and_answers_slice_back(seed_groups):
    asked = [g for g in seed_groups if g.kind != "headline"]
    assert len(asked) >= 5
    for g in asked:
        assert g.question.endswith("?") and g.question[0].isupper(), g.question
        assert WH.search(g.question), g.question
        assert g.answer and g.answer.lower() not in g.question.lower(), g
        start, end = g.positive.answer
        assert g.positive.text[start:end].lower() == g.answer.lower()
        assert len(g.negatives) == 3
        for w in g.negatives:
            assert not re.search(rf"(?<!\w){re.escape(g.answer)}(?!\w)", w.text, re.IGNORECASE), (
                g,
                w,
            )


def test_groups_round_trip_through_json(seed_groups):
    for g in seed_groups:
        assert Group.from_dict(json.loads(json.dumps(g.to_dict()))) == g


def test_same_seed_same_data():
    articles = _articles(SEEDS)
    assert list(build_groups(articles, 50, seed=3)) == list(build_groups(articles, 50, seed=3))


def _eval_questions() -> list[str]:
    found = [json.loads(line)["question"] for line in (REPO / "evals/seed/questions.jsonl").open()]
    rtqa = SHARED / "data/realtimeqa-2023q1/questions.jsonl"
    if rtqa.is_file():
        found += [json.loads(line)["question"] for line in rtqa.open()]
    rgb = SHARED / "data/rgb-counterfactual/en_fact.json"
    if rgb.is_file():
        found += [json.loads(line)["query"] for line in rgb.open() if line.strip()]
    return found


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.mark.skipif(not (SHARED / "data/realtimeqa-2023q1").is_dir(), reason="needs ../shared")
def test_no_evaluation_question_reaches_the_training_data():
    # The shipped reader's recipe: RealTimeQA articles dated before 2023-03-01 (a slice here)
    corpus = SHARED / "data/realtimeqa-2023q1/corpus.jsonl"
    articles = [a for a in _articles(corpus) if a.date and a.date < "2023-03-01"][:120]
    text = "\n".join(_norm(t) for t in iter_training_text(build_groups(articles, 400, seed=0)))
    questions = [_norm(q) for q in _eval_questions()]
    assert len(questions) > 300
    leaked = [q for q in questions if q in text]
    assert not leaked, leaked[:3]
