"""Desks and embargoes are enforced inside both searches, fetches and stats.

Real index, real model: a restricted article is written to match a question word
for word, and must still never come back to a reader without its desk, nor before
its embargo (time is driven through ``Access.now`` / ``Settings.clock``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from index.access import Access, hidden_ids, parse_embargo, with_access_fields
from index.errors import ArticleError, UnknownOutlet
from index.models import SearchFilter

SECRET = (
    "Investigators found that the harbour authority of Port Delmar paid 4 million "
    "dollars to a shell company owned by its own chairman."
)
QUESTION = SECRET  # word for word
PUBLIC = "The Port Delmar harbour opened a new ferry terminal on Monday, officials said."
EMBARGO = "2030-01-01T09:00:00+00:00"
BEFORE = dt.datetime(2029, 12, 31, 23, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2030, 1, 1, 9, 0, 1, tzinfo=dt.UTC)


def write_corpus(folder: Path) -> Path:
    records = [
        {"title": "Harbour payments", "body": SECRET, "desk": "Investigations", "url": "u:secret"},
        {"title": "Ferry terminal", "body": PUBLIC, "url": "u:public"},
        {
            "title": "Storm ahead",
            "body": "A storm will hit Port Delmar harbour on Friday.",
            "embargo_until": EMBARGO,
            "url": "u:embargo",
        },
    ]
    path = folder / "desk.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture
def index(open_index, tmp_path):
    idx = open_index()
    report = idx.ingest([write_corpus(tmp_path)])
    assert report.articles_added == 3 and not report.errors
    return idx


def ids_of(idx, hits):
    return {c.chunk.article_id for c in idx.get_chunks([cid for cid, _ in hits])}


def test_without_the_desk_neither_search_nor_fetch_nor_stats_shows_it(index):
    outsider = SearchFilter(access=Access(desks=frozenset({"sports"}), now=AFTER))
    secret_id = next(iter(ids_of(index, index.keyword_search(QUESTION, 1))))
    for search in (index.dense_search, index.keyword_search):
        seen = ids_of(index, search(QUESTION, 10, outsider))
        assert secret_id not in seen and seen  # the public article still answers
    assert index.get_article(secret_id, Access(frozenset({"sports"}))) is None
    assert index.stats(Access(frozenset({"sports"}), AFTER))["articles"] == 2
    insider = SearchFilter(access=Access(desks=frozenset({"investigations"}), now=AFTER))
    assert secret_id in ids_of(index, index.dense_search(QUESTION, 1, insider))
    assert index.get_article(secret_id, insider.access).text == SECRET


def test_embargo_hides_until_its_time_without_reingest(index):
    def found(now):
        flt = SearchFilter(access=Access(now=now))
        hits = index.keyword_search("storm Friday", 10, flt) + index.dense_search("storm", 10, flt)
        return any("storm" in c.text for c in index.get_chunks([cid for cid, _ in hits]))

    assert not found(BEFORE)
    assert found(AFTER)
    assert index.stats(Access(now=BEFORE))["articles"] == 2
    assert index.stats(Access(now=AFTER))["articles"] == 3


def test_settings_clock_drives_the_default_search(open_index, tmp_path):
    idx = open_index(clock=BEFORE)
    idx.ingest([write_corpus(tmp_path)])
    assert not any(
        "storm" in c.text
        for c in idx.get_chunks([cid for cid, _ in idx.keyword_search("storm", 10)])
    )
    later = open_index(clock=AFTER)
    assert any(
        "storm" in c.text
        for c in later.get_chunks([cid for cid, _ in later.keyword_search("storm", 10)])
    )


def test_ingest_flags_apply_where_the_article_names_none(open_index, tmp_path):
    idx = open_index()
    (tmp_path / "a.txt").write_text("The mayor of Kelby resigned on Tuesday after a vote.")
    idx.ingest([tmp_path / "a.txt"], desk="Politics", embargo_until="2030-01-01T10:00:00+01:00")
    article = idx.get_article(
        next(
            iter(
                ids_of(
                    idx,
                    idx.keyword_search(
                        "mayor", 1, SearchFilter(access=Access(frozenset({"politics"}), AFTER))
                    ),
                )
            )
        )
    )
    assert article.extra["desk"] == "politics"
    assert article.extra["embargo_until"] == "2030-01-01T09:00:00+00:00"


def test_an_unreadable_embargo_refuses_the_article(open_index, tmp_path):
    idx = open_index()
    (tmp_path / "b.json").write_text(json.dumps({"body": "Text.", "embargo_until": "soon"}))
    report = idx.ingest([tmp_path / "b.json"])
    assert report.articles_added == 0 and "embargo_until" in report.errors[0].message
    with pytest.raises(ArticleError):
        parse_embargo("tomorrow")


def test_a_near_copy_on_another_desk_is_not_folded_into_the_public_story(open_index, tmp_path):
    idx = open_index()
    body = PUBLIC + " The terminal cost 30 million dollars and took two years to build."
    rows = [{"body": body, "url": "u:1"}, {"body": body + " Extra.", "desk": "metro", "url": "u:2"}]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = idx.ingest([tmp_path / "c.jsonl"])
    assert report.articles_added == 2 and report.duplicates == 0


desks = st.sampled_from(["a", "b", "c"])


@hsettings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    articles=st.lists(st.tuples(st.none() | desks, st.booleans()), min_size=1, max_size=8),
    held=st.none() | st.frozensets(desks),
)
def test_hidden_ids_property(articles, held):
    """An article is visible iff (no desk, or desk held, or every desk held) and its
    embargo (if any) is past."""
    rows = [
        (str(i), d, EMBARGO if embargoed else None) for i, (d, embargoed) in enumerate(articles)
    ]
    hidden = hidden_ids(rows, Access(held, BEFORE))
    for aid, desk, embargo in rows:
        visible = (desk is None or held is None or desk in held) and embargo is None
        assert (aid not in hidden) == visible


def test_with_access_fields_normalises():
    out = with_access_fields({"desk": " Metro "}, "f", embargo="2030-01-01T09:00:00")
    assert out == {"desk": "metro", "embargo_until": "2030-01-01T09:00:00+00:00"}


def test_recent_headlines_leave_out_what_the_reader_may_not_see(index):
    """Example questions come from these: a hidden title must not become one."""

    def titles(limit, access=None):
        return [title for _, title, _, _ in index.recent_headlines(limit, access)]

    everything = {"Harbour payments", "Ferry terminal", "Storm ahead"}
    assert set(titles(10)) == everything  # no access given: as before access existed
    assert titles(10, Access(frozenset({"sports"}), BEFORE)) == ["Ferry terminal"]
    assert set(titles(10, Access(frozenset({"investigations"}), AFTER))) == everything
    # the limit counts what the reader sees, not what was left out
    assert titles(1, Access(frozenset(), BEFORE)) == ["Ferry terminal"]


# --- outlets of hidden articles (issue #14) ---------------------------------------------
LEDGER = "Harbour Ledger"  # only the investigations desk's article comes from it
STORM = "Storm Watch Weekly"  # only the embargoed article comes from it
OUTSIDER = Access(frozenset({"sports"}), AFTER)
INSIDER = Access(frozenset({"investigations"}), AFTER)


@pytest.fixture
def outlets_index(open_index, tmp_path):
    records = [
        {"title": "Harbour payments", "body": SECRET, "desk": "investigations", "source": LEDGER},
        {"title": "Ferry terminal", "body": PUBLIC, "source": "Port Delmar Times"},
        {"title": "Ferry fares", "body": PUBLIC + " Fares rise.", "source": "Coastal Wire"},
        {
            "title": "Storm ahead",
            "body": "A storm will hit Port Delmar harbour on Friday.",
            "embargo_until": EMBARGO,
            "source": STORM,
        },
    ]
    path = tmp_path / "outlets.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    idx = open_index()
    report = idx.ingest([path])
    assert report.articles_added == 4 and not report.errors
    return idx


def refusal(idx, outlet: str, access: Access) -> UnknownOutlet:
    """The UnknownOutlet both searches raise for a filter by ``outlet``."""
    flt = SearchFilter(sources=(outlet,), access=access)
    errors = []
    for search in (idx.dense_search, idx.keyword_search):
        with pytest.raises(UnknownOutlet) as caught:
            search("harbour", 5, flt)
        errors.append(caught.value)
    assert str(errors[0]) == str(errors[1])
    return errors[0]


def test_a_hidden_desks_outlet_is_as_unknown_as_a_name_no_article_has(outlets_index):
    hidden = refusal(outlets_index, LEDGER, OUTSIDER)
    made_up = refusal(outlets_index, "Quarry Gazette", OUTSIDER)
    assert hidden.close == made_up.close == ()
    assert str(hidden).replace(LEDGER, "Quarry Gazette") == str(made_up)
    for near in ("Harbour Ledgr", "HarbourLedgr", "Harbor Ledger", "HL"):
        assert LEDGER not in str(refusal(outlets_index, near, OUTSIDER))
    assert LEDGER not in outlets_index.stats(OUTSIDER)["sources"]


def test_a_reader_with_the_desk_filters_by_its_outlet(outlets_index):
    flt = SearchFilter(sources=(LEDGER,), access=INSIDER)
    for search in (outlets_index.dense_search, outlets_index.keyword_search):
        hits = search(QUESTION, 5, flt)
        assert {c.source for c in outlets_index.get_chunks([h for h, _ in hits])} == {LEDGER}
    # a near spelling finds it too ("Harbour Ledgr" shares its initials), or is offered it
    near = SearchFilter(sources=("Harbour Ledgr",), access=INSIDER)
    hits = outlets_index.keyword_search(QUESTION, 5, near)
    assert {c.source for c in outlets_index.get_chunks([h for h, _ in hits])} == {LEDGER}
    assert refusal(outlets_index, "HarbourLedgr", INSIDER).close == (LEDGER,)
    assert LEDGER in outlets_index.stats(INSIDER)["sources"]


def test_an_embargoed_outlet_appears_at_its_time(outlets_index):
    assert STORM not in str(refusal(outlets_index, "StormWatchWeekley", Access(now=BEFORE)))
    refusal(outlets_index, STORM, Access(now=BEFORE))
    after = SearchFilter(sources=(STORM,), access=Access(now=AFTER))
    hits = outlets_index.keyword_search("storm Friday", 5, after)
    assert {c.source for c in outlets_index.get_chunks([h for h, _ in hits])} == {STORM}
    assert refusal(outlets_index, "StormWatchWeekley", Access(now=AFTER)).close == (STORM,)
    assert STORM not in outlets_index.stats(Access(now=BEFORE))["sources"]
    assert STORM in outlets_index.stats(Access(now=AFTER))["sources"]


def test_the_settings_clock_hides_an_embargoed_outlet_by_default(open_index, outlets_index):
    early, late = open_index(clock=BEFORE), open_index(clock=AFTER)
    with pytest.raises(UnknownOutlet):
        early.keyword_search("storm", 5, SearchFilter(sources=(STORM,)))
    assert late.keyword_search("storm", 5, SearchFilter(sources=(STORM,)))
