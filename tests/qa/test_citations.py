"""The citation trust layer on real passages from the seed index, with the real model.

Drafts are written by hand here (they are the *input* under test: what an
extractive or LLM answerer could produce); everything else is real.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import NewsIndex
from qa.answerers.base import Draft
from qa.citations import Citer, escape_markers, refusal_text, split_sentences
from qa.models import Answer, Passage

QUESTION = "Who guards the base near Qamishli airport?"
GUARD = "found it guarded by SDF fighters"
KHMEIMIM = "Khmeimim Air Base"


@pytest.fixture(scope="module")
def passages(seed_index: NewsIndex) -> list[Passage]:
    from qa.retrieval import build_retriever

    found = build_retriever(seed_index.settings, seed_index).retrieve(QUESTION, 5)
    assert any(GUARD in p.text for p in found) and any(KHMEIMIM in p.text for p in found)
    return found


@pytest.fixture(scope="module")
def citer(seed_index: NewsIndex) -> Citer:
    return Citer(seed_index.get_article, seed_index.embedder.encode, threshold=0.35)


def n_of(passages: list[Passage], phrase: str) -> int:
    """1-based position of the first passage containing ``phrase``."""
    return next(i for i, p in enumerate(passages, start=1) if phrase in p.text)


def sentence_span(seed_index: NewsIndex, passage: Passage, phrase: str) -> tuple[int, int]:
    text = seed_index.get_article(passage.article_id).text
    return next((s, e) for s, e in passage.sentences if phrase in text[s:e])


def assert_exact(answer: Answer, seed_index: NewsIndex) -> None:
    """Every citation slices its article, and the text uses exactly 1..len(citations)."""
    for c in answer.citations:
        assert c.quote == seed_index.get_article(c.article_id).text[c.start : c.end]
    used = sorted({int(m) for m in re.findall(r"\[(\d+)\]", answer.text)})
    assert used == [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_pinned_quote_is_cited_exactly_and_renumbered(citer, passages, seed_index):
    n = n_of(passages, GUARD)
    span = sentence_span(seed_index, passages[n - 1], GUARD)
    quote = seed_index.get_article(passages[n - 1].article_id).text[span[0] : span[1]]
    draft = Draft(f"SDF fighters [{n}]. “{quote}” [{n}]", short="SDF fighters", quotes={n: [span]})
    answer = citer.finalize(QUESTION, draft, passages)
    assert not answer.refused
    assert answer.text == f"SDF fighters [1]. “{quote}” [1]"  # same span twice: one number
    assert [(c.start, c.end) for c in answer.citations] == [span]
    assert answer.short == "SDF fighters"
    assert_exact(answer, seed_index)


def test_llm_draft_cites_the_supporting_sentence_of_the_passage(citer, passages, seed_index):
    n = n_of(passages, KHMEIMIM)
    draft = Draft(f"The equipment may be going to Russia or to Khmeimim Air Base [{n}].")
    answer = citer.finalize("Where is the equipment going?", draft, passages)
    assert answer.text.endswith("[1].") and len(answer.citations) >= 1
    assert KHMEIMIM in answer.citations[0].quote
    assert len(answer.citations[0].quote) < len(passages[n - 1].text)  # a sentence, not a chunk
    assert_exact(answer, seed_index)


def test_marker_pointing_nowhere_is_removed(citer, passages, seed_index):
    n = n_of(passages, GUARD)
    draft = Draft(f"SDF fighters guard the base near Qamishli airport [{n}][42].")
    answer = citer.finalize(QUESTION, draft, passages)
    assert answer.text == "SDF fighters guard the base near Qamishli airport [1]."
    assert len(answer.citations) == 1 and GUARD in answer.citations[0].quote
    only_bad = citer.finalize(QUESTION, Draft("SDF fighters guard the base [42]."), passages)
    assert "[42]" not in only_bad.text


def test_markers_are_renumbered_in_order_of_first_use(citer, passages, seed_index):
    a, b = n_of(passages, KHMEIMIM), n_of(passages, GUARD)
    draft = Draft(
        f"SDF fighters guard the base near Qamishli airport [{b}]. "
        f"The equipment may go to Khmeimim Air Base [{a}]."
    )
    answer = citer.finalize(QUESTION, draft, passages)
    assert GUARD in answer.citations[0].quote and KHMEIMIM in answer.citations[1].quote
    assert answer.text.index("[1]") < answer.text.index("[2]")
    assert_exact(answer, seed_index)


def test_each_line_of_a_list_cites_the_pinned_sentence_it_quotes(passages, seed_index):
    n = n_of(passages, GUARD)
    passage = passages[n - 1]
    text = seed_index.get_article(passage.article_id).text
    spans = [t for t in passage.sentences if len(text[t[0] : t[1]].split()) > 5][:2]
    assert len(spans) == 2, "the guard passage should hold two sentences"
    quotes = [text[s:e].strip() for s, e in spans]
    draft = Draft(
        "\n".join(f"- Item {i}: “{q}” [{n}]" for i, q in enumerate(quotes, 1)),
        quotes={n: spans},
    )
    # Even where every sentence counts as support, each line cites only what it quotes
    lenient = Citer(seed_index.get_article, seed_index.embedder.encode, threshold=0.0)
    answer = lenient.finalize(QUESTION, draft, passages)
    assert [c.quote for c in answer.citations] == quotes
    assert answer.text.splitlines()[0].endswith("[1]") and answer.text.endswith("[2]")
    assert_exact(answer, seed_index)


def test_unsupported_sentence_is_removed_and_supported_one_kept(citer, passages, seed_index):
    n = n_of(passages, GUARD)
    draft = Draft(
        f"SDF fighters guard the base near Qamishli airport [{n}]. "
        f"The base also houses 400 Chinese tanks and a swimming pool [{n}]."
    )
    answer = citer.finalize(QUESTION, draft, passages)
    assert "tanks" not in answer.text and "SDF fighters guard" in answer.text
    assert_exact(answer, seed_index)


def test_nothing_supported_becomes_a_refusal_with_passages(citer, passages):
    draft = Draft("The base is guarded by Canadian peacekeepers since 1990 [1].")
    answer = citer.finalize(QUESTION, draft, passages)
    assert answer.refused and answer.citations == ()
    assert answer.text.startswith("The indexed articles don't answer this question: “Who")
    assert answer.passages == tuple(passages)


def test_refused_draft_and_uncited_claims(citer, passages):
    assert citer.finalize(QUESTION, Draft("", refused=True), passages).refused
    uncited = citer.finalize(QUESTION, Draft("SDF fighters guard the base."), passages)
    assert uncited.refused  # supported but uncited text alone is no answer


def test_pinned_span_outside_the_cited_passage_is_not_cited(citer, passages, seed_index):
    n = n_of(passages, GUARD)
    article = seed_index.get_article(passages[n - 1].article_id)
    outside = (passages[n - 1].end + 1, len(article.text))
    draft = Draft(f"SDF fighters [{n}].", quotes={n: [outside]})
    assert citer.finalize(QUESTION, draft, passages).refused


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See note [3] here.", "See note here."),
        ("Figures[12, 13] rose [1][2].", "Figures rose."),
        ("An [a] aside and [sic] stay.", "An [a] aside and [sic] stay."),
    ],
)
def test_escape_markers(text, expected):
    assert escape_markers(text) == expected


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("A is B [1]. C is D [2].", ["A is B [1]. ", "C is D [2]."]),
        (
            "He said “We left.” [1] Then they went [2].",
            ["He said “We left.” [1] ", "Then they went [2]."],
        ),
        ("- one [1]\n- two [2]", ["- one [1]\n", "- two [2]"]),
        ("The U.S. military said so [3].", ["The U.S. military said so [3]."]),
    ],
)
def test_split_sentences_keeps_markers_with_their_sentence(text, sentences):
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "What is Andrew Tate accused of?",
            "The indexed articles don't answer this question: “What is Andrew Tate accused of?”",
        ),
        (
            "  Did Putin   visit Damascus?",
            "The indexed articles don't answer this question: “Did Putin visit Damascus?”",
        ),
        (
            "Qamishli base guards",
            "The indexed articles don't answer this question: “Qamishli base guards”.",
        ),
    ],
)
def test_refusal_text_quotes_the_question_without_rephrasing_it(question, expected):
    assert refusal_text(question) == expected


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_draft_gives_exact_quotes_and_dense_numbering(data, citer, passages, seed_index):
    """Whatever an answerer writes, citations slice their article and number 1..n."""
    texts = [seed_index.get_article(p.article_id).text for p in passages]
    pieces = []
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(passages) - 1))
        s, e = data.draw(st.sampled_from(passages[i].sentences))
        sentence = data.draw(st.sampled_from([texts[i][s:e], "Nothing here is true at all."]))
        marks = data.draw(st.lists(st.integers(0, len(passages) + 2), max_size=3))
        pieces.append(sentence.rstrip(".") + "".join(f" [{m}]" for m in marks) + ".")
    answer = citer.finalize(QUESTION, Draft(" ".join(pieces)), passages)
    assert_exact(answer, seed_index)
    assert answer.refused or answer.citations
