"""Pure retrieval logic: reciprocal rank fusion, duplicate collapse, per-article diversity."""

from __future__ import annotations

import pytest

from qa.models import Passage
from qa.retrieval.diversify import collapse_duplicates, diversify
from qa.retrieval.fusion import RRF_C, rrf


def ranked(*ids: str) -> list[tuple[str, float]]:
    return [(cid, 100.0 - i) for i, cid in enumerate(ids)]


def passage(chunk_id: str, text: str | None = None, source: str = "AP") -> Passage:
    article = chunk_id.split(":")[0]
    return Passage(
        chunk_id=chunk_id,
        article_id=article,
        title=article,
        text=text or f"text of {chunk_id}",
        start=0,
        end=10,
        score=1.0,
        source=source,
        found_by=("dense",),
    )


def test_rrf_rewards_agreement_over_one_list_top_rank():
    fused = rrf({"dense": ranked("a", "b", "c"), "keyword": ranked("c", "b", "x")})
    # found by both lists beats first place in one list: 1/63 + 1/61 > 2/62 > 1/61
    assert [f.chunk_id for f in fused] == ["c", "b", "a", "x"]
    by_id = {f.chunk_id: f for f in fused}
    assert by_id["b"].score == pytest.approx(2 / (RRF_C + 2))
    assert by_id["a"].found_by == ("dense",)
    assert by_id["c"].found_by == ("dense", "keyword")


def test_rrf_ignores_score_scales_and_duplicate_ids():
    a = rrf({"dense": [("a", 0.9), ("b", 0.1)], "keyword": [("b", 1e6), ("b", 5.0), ("a", 1.0)]})
    b = rrf({"dense": [("a", 0.5), ("b", 0.4)], "keyword": [("b", 2.0), ("a", 1.0)]})
    assert [(f.chunk_id, f.score) for f in a] == [(f.chunk_id, f.score) for f in b]


def test_rrf_tie_break_is_deterministic_and_weights_apply():
    fused = rrf({"dense": ranked("a"), "keyword": ranked("b")})
    assert [f.chunk_id for f in fused] == ["a", "b"]  # equal score: earlier searcher first
    weighted = rrf({"dense": ranked("a"), "keyword": ranked("b")}, weights={"keyword": 2.0})
    assert [f.chunk_id for f in weighted] == ["b", "a"]


@pytest.mark.parametrize("rankings", [{}, {"dense": []}, {"dense": [], "keyword": []}])
def test_rrf_of_nothing_is_empty(rankings):
    assert rrf(rankings) == []


def test_diversify_caps_chunks_per_article_then_backfills():
    ps = [passage("A:0"), passage("A:1"), passage("A:2"), passage("B:0"), passage("A:3")]
    assert [p.chunk_id for p in diversify(ps, 3, per_article=2)] == ["A:0", "A:1", "B:0"]
    assert [p.chunk_id for p in diversify(ps, 5, per_article=1)] == [
        "A:0",
        "B:0",
        "A:1",
        "A:2",
        "A:3",
    ]
    assert [p.chunk_id for p in diversify(ps, 5, per_article=1, backfill=False)] == ["A:0", "B:0"]


def test_syndicated_copies_collapse_into_one_passage_listing_both_outlets():
    story = "Russian troops have begun withdrawing from positions in northeastern Syria, AP said."
    edited = story.replace("AP said", "the agency said")
    ps = [passage("A:0", story, "AP"), passage("B:0", edited, "ABC News"), passage("C:0", "Other.")]
    out = collapse_duplicates(ps)
    assert [p.chunk_id for p in out] == ["A:0", "C:0"]
    assert out[0].sources == ("AP", "ABC News")


def test_chunks_of_one_article_never_collapse_into_each_other():
    same = "The ceasefire was extended for another 15 days."
    assert len(collapse_duplicates([passage("A:0", same), passage("A:1", same)])) == 2


def test_a_near_copy_that_changes_a_figure_is_kept_beside_its_twin():
    story = "Twelve people died in the Harlow Creek flooding on Sunday, county officials said."
    twin = story.replace("Twelve", "Fifteen")
    out = collapse_duplicates([passage("A:0", story, "AP"), passage("B:0", twin, "Reuters")])
    assert [p.chunk_id for p in out] == ["A:0", "B:0"]  # two reports of the toll, both kept
    assert out[0].sources == ()
