"""Scoring story grouping on labelled pairs (qa.eval.stories): pure, no store; and
once, what ``newsdesk eval --only stories`` measures, on a small real store."""

from __future__ import annotations

import json

import pytest

from index.errors import DatasetError
from index.stories import Story
from qa.eval.stories import Pair, corpus_figures, load_pairs, measure, pair_scores, write_report
from tests.conftest import REPO


def test_precision_and_recall_count_pairs_by_shared_story():
    pairs = [
        Pair("u1", "u2", True),  # together, same: tp
        Pair("u1", "u3", False),  # together, different: fp
        Pair("u4", "u5", True),  # apart, same: fn
        Pair("u4", "u6", False),  # apart, different: tn
        Pair("u1", "gone", True),  # an article the archive lacks
    ]
    story_of = {"u1": "s1", "u2": "s1", "u3": "s1", "u4": "s2", "u5": "s3", "u6": "s4"}
    scores = pair_scores(pairs, story_of)
    assert (scores["true_positive"], scores["false_positive"]) == (1, 1)
    assert (scores["false_negative"], scores["true_negative"], scores["missing"]) == (1, 1, 1)
    assert scores["precision"] == scores["recall"] == 0.5
    assert pair_scores([], {})["precision"] is None


def test_a_malformed_pair_names_its_file_and_line(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"a": "u1", "b": "u2", "same": True}) + '\n{"a": "u1"}\n')
    with pytest.raises(DatasetError, match=r"pairs.jsonl:2: .*\"same\": true\|false"):
        load_pairs(path)


def test_the_shipped_pairs_are_at_least_fifty_of_both_kinds():
    pairs = load_pairs(REPO / "evals/stories/pairs.jsonl")
    assert len(pairs) >= 50 and len({(p.a, p.b) for p in pairs}) == len(pairs)
    assert {p.same for p in pairs} == {True, False}


def test_corpus_figures_count_sizes_and_show_headlines():
    stories = [
        Story("s1", "A", ("x", "y"), "2023-01-01", "2023-01-02", ("a1", "a2")),
        Story("s2", "B", ("x",), "2023-01-01", "2023-01-01", ("b1",)),
    ]
    titles = {"a1": "A", "a2": "A again", "b1": "B"}
    figures = corpus_figures(stories, titles)
    assert (figures["stories"], figures["articles"], figures["multi_outlet"]) == (2, 3, 1)
    assert figures["sizes"] == {"1": 1, "2": 1}
    assert figures["sample"][0]["headlines"] == ["A", "A again"]


def test_measure_reads_the_stories_of_a_real_store(news_index_of, tmp_path):
    from tests.index.test_stories import COUNCIL, FLOOD, FLOOD_WEDNESDAY, FLOOD_WEEK

    index = news_index_of([*FLOOD_WEEK.values(), COUNCIL])
    monday, saturday = FLOOD["url"], FLOOD_WEEK["saturday"]["url"]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "".join(
            json.dumps({"a": monday, "b": b, "same": same}) + "\n"
            for b, same in ((saturday, True), (COUNCIL["url"], False), ("https://gone", True))
        )
    )
    result = measure(index, pairs)
    scores = result["pairs"]
    assert (scores["true_positive"], scores["true_negative"], scores["missing"]) == (1, 1, 1)
    [flood] = result["sample"]  # the one story of several articles
    assert flood["label"] == FLOOD_WEDNESDAY["title"] and len(flood["headlines"]) == 4
    assert f"**{FLOOD_WEDNESDAY['title']}**" in write_report(result, tmp_path / "out").read_text()
