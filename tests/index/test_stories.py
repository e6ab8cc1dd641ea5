"""Story threads on the real store: grouping, incremental upkeep, access, CLI.

Small hand-made articles on both backends: two outlets' reports of one flood group
together, an unrelated council story stays apart, and a flood in the same town
months later starts its own story (outside the window). Deletes and updates keep
every story's members, outlets, dates and label exact; a flood story that runs
from Monday to Saturday only through its mid-week reports splits when the last of
them goes; listing reads stored labels, never a vector, also in a store written
before labels were stored.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from index.access import Access
from index.catalog_base import open_catalog
from index.entities import entity_keys
from index.models import Article
from index.settings import Settings
from index.stories import Member, MemberRow, UnknownStory, build_stories
from index.story_links import LinkRule, by_centrality, linked_parts, regroup
from tests.index.conftest import VENV_BIN
from tests.reliability.conftest import _raw, assert_stories_consistent

FLOOD = {
    "title": "Flash floods kill 14 in Marlow Bay after the Tansy river bursts its banks",
    "body": (
        "Flash floods swept through Marlow Bay on Monday after the Tansy river burst its "
        "banks, killing at least 14 people, Governor Ana Kestrel said.\n\n"
        "Rescue teams in boats pulled dozens of residents from the roofs of flooded homes "
        "in the low-lying Harbour district, and 2,000 people spent the night in shelters.\n\n"
        "Kestrel declared a state of emergency for Marlow Bay and said the Tansy had risen "
        "four metres in six hours after two days of torrential rain."
    ),
    "date": "2024-03-04",
    "source": "Riverside Herald",
    "url": "https://herald.example/flood",
}
FLOOD_NEXT_DAY = {
    "title": "Marlow Bay flood death toll rises to 19 as rescuers search for the missing",
    "body": (
        "The number of people killed by the floods in Marlow Bay rose to 19 on Tuesday, "
        "Governor Ana Kestrel told reporters, as rescuers searched the Harbour district "
        "for residents still missing.\n\n"
        "The Tansy river, which burst its banks on Monday after torrential rain, was "
        "slowly falling, but thousands of homes remained under water and shelters were full.\n\n"
        "Kestrel said the state of emergency would stay in place for Marlow Bay."
    ),
    "date": "2024-03-05",
    "source": "Coastal Wire",
    "url": "https://wire.example/flood-toll",
}
COUNCIL = {
    "title": "Dunmore council approves 40 kilometres of new bicycle lanes",
    "body": (
        "Dunmore city council voted 9 to 2 on Monday to build 40 kilometres of protected "
        "bicycle lanes over the next three years.\n\n"
        "Mayor Petra Lind said the lanes would connect the university to the city centre, "
        "and that parking on Elm Street would be reduced to make room for them.\n\n"
        "Shop owners on Elm Street said they feared losing customers who arrive by car."
    ),
    "date": "2024-03-04",
    "source": "Coastal Wire",
    "url": "https://wire.example/lanes",
}
FLOOD_MONTHS_LATER = {
    "title": "Floods return to Marlow Bay as the Tansy river rises again",
    "body": (
        "Floods hit Marlow Bay again on Saturday as the Tansy river rose after a week of "
        "heavy rain, Governor Ana Kestrel said, and residents of the Harbour district were "
        "told to leave their homes.\n\n"
        "No deaths were reported, but rescue teams in boats helped hundreds of people to "
        "shelters, months after floods killed 19 people in the town in March.\n\n"
        "Kestrel said new flood walls along the Tansy were not yet finished."
    ),
    "date": "2024-07-20",
    "source": "Riverside Herald",
    "url": "https://herald.example/flood-again",
}

# With FLOOD (Monday) and FLOOD_NEXT_DAY moved to Wednesday: a flood story over six days
# in which Monday's and Saturday's reports (five days apart, outside the ±3-day window)
# are chained only by the mid-week ones. FLOOD_WEDNESDAY is its most central report.
FLOOD_WEDNESDAY = dict(FLOOD_NEXT_DAY, date="2024-03-06")
FLOOD_THURSDAY = {
    "title": "Boats and helicopters reach stranded families in flooded Marlow Bay",
    "body": (
        "Rescue crews in boats and two army helicopters reached families stranded on "
        "rooftops in Marlow Bay on Wednesday, three days after the Tansy river flooded "
        "the town, Governor Ana Kestrel said.\n\n"
        "Floodwater still covered much of the Harbour district, where volunteers handed out "
        "drinking water and blankets to residents waiting to be taken to shelters.\n\n"
        "Kestrel said the death toll from the floods stood at 19 and that the search for "
        "the missing would go on through the night."
    ),
    "date": "2024-03-07",
    "source": "Valley Times",
    "url": "https://valley.example/rescue",
}
FLOOD_SATURDAY = {
    "title": "Marlow Bay begins clearing mud as the Tansy floodwater recedes",
    "body": (
        "Residents of Marlow Bay began shovelling mud out of their homes on Saturday as the "
        "floodwater from the Tansy river finally receded from the Harbour district.\n\n"
        "Governor Ana Kestrel said 19 people had died in the floods and that the state of "
        "emergency would stay in place while engineers inspected damaged bridges.\n\n"
        "Shelters in the town were emptying as families returned to count the damage."
    ),
    "date": "2024-03-09",
    "source": "Coastal Wire",
    "url": "https://wire.example/cleanup",
}
FLOOD_WEEK = {
    "monday": FLOOD,
    "wednesday": FLOOD_WEDNESDAY,
    "thursday": FLOOD_THURSDAY,
    "saturday": FLOOD_SATURDAY,
}


def write(folder: Path, name: str, record: dict) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def story_of(index, title: str):
    [found] = [
        s
        for s in index.stories()
        if any(index.get_article(a).title == title for a in s.article_ids)
    ]
    return found


def test_two_outlets_reports_of_one_event_group_and_others_stay_apart(open_index, tmp_path):
    index = open_index()
    paths = [
        write(tmp_path, n, r)
        for n, r in [("flood", FLOOD), ("council", COUNCIL), ("toll", FLOOD_NEXT_DAY)]
    ]
    paths.append(write(tmp_path, "later", FLOOD_MONTHS_LATER))
    report = index.ingest(paths)
    assert report.articles_added == 4 and not report.errors

    flood = story_of(index, FLOOD["title"])
    assert len(flood.article_ids) == 2
    assert flood.outlets == ("Coastal Wire", "Riverside Herald")
    assert (flood.first_date, flood.last_date) == ("2024-03-04", "2024-03-05")
    assert len(story_of(index, COUNCIL["title"]).article_ids) == 1
    later = story_of(index, FLOOD_MONTHS_LATER["title"])
    assert later.article_ids != flood.article_ids and len(later.article_ids) == 1
    # newest last_date first
    assert [s.last_date for s in index.stories()] == ["2024-07-20", "2024-03-05", "2024-03-04"]
    assert [s.id for s in index.stories(since="2024-03-05")] == [later.id, flood.id]
    assert_stories_consistent(index)


def test_delete_and_update_keep_stories_exact(open_index, tmp_path):
    index = open_index()
    flood, toll = write(tmp_path, "flood", FLOOD), write(tmp_path, "toll", FLOOD_NEXT_DAY)
    index.ingest([flood, toll, write(tmp_path, "council", COUNCIL)])
    story = story_of(index, FLOOD["title"])

    # an update (same file, revised text) stays in its thread
    revised = dict(FLOOD_NEXT_DAY, body=FLOOD_NEXT_DAY["body"].replace("19", "21"))
    write(tmp_path, "toll", revised)
    assert index.ingest([toll]).articles_updated == 1
    assert story_of(index, FLOOD["title"]).id == story.id
    assert len(index.story(story.id).article_ids) == 2
    assert_stories_consistent(index)

    assert index.delete(str(toll)) == 1
    left = index.story(story.id)
    assert left.outlets == ("Riverside Herald",)
    assert (left.first_date, left.last_date) == ("2024-03-04", "2024-03-04")
    assert_stories_consistent(index)

    assert index.delete(str(flood)) == 1
    with pytest.raises(UnknownStory, match="newsdesk stories"):
        index.story(story.id)
    assert len(index.stories()) == 1
    assert_stories_consistent(index)


def grouping(index) -> set[frozenset[str]]:
    """The stories as sets of the names of FLOOD_WEEK (and COUNCIL) their articles are."""
    names = {r["title"]: n for n, r in {**FLOOD_WEEK, "council": COUNCIL}.items()}
    return {
        frozenset(names[index.get_article(a).title] for a in s.article_ids) for s in index.stories()
    }


def ingest_week(index, folder: Path, days=tuple(FLOOD_WEEK), **overrides) -> dict[str, Path]:
    """Ingest the named days of FLOOD_WEEK (with ``overrides`` per day); their paths."""
    paths = {d: write(folder, d, dict(FLOOD_WEEK[d], **overrides.get(d, {}))) for d in days}
    report = index.ingest(list(paths.values()))
    assert report.articles_added == len(days) and not report.errors
    return paths


def test_deleting_the_reports_that_chain_a_story_splits_it(open_index, tmp_path):
    index = open_index()
    paths = ingest_week(index, tmp_path)
    [story] = index.stories()
    assert grouping(index) == {frozenset(FLOOD_WEEK)}
    assert story.label == FLOOD_WEDNESDAY["title"]

    # Thursday still chains Monday to Saturday: one story, under its id, relabelled
    assert index.delete(str(paths["wednesday"])) == 1
    assert grouping(index) == {frozenset({"monday", "thursday", "saturday"})}
    assert [s.id for s in index.stories()] == [story.id]
    assert index.story(story.id).label == FLOOD["title"]
    assert_stories_consistent(index)

    # now nothing does: Monday and Saturday are two stories, Monday's keeps the id
    assert index.delete(str(paths["thursday"])) == 1
    assert grouping(index) == {frozenset({"monday"}), frozenset({"saturday"})}
    assert index.get_article(index.story(story.id).article_ids[0]).title == FLOOD["title"]
    assert_stories_consistent(index)


def test_an_update_that_unlinks_the_chain_splits_its_story(open_index, tmp_path):
    index = open_index()
    paths = ingest_week(index, tmp_path, ("monday", "thursday", "saturday"))
    assert grouping(index) == {frozenset({"monday", "thursday", "saturday"})}

    # Thursday's file now reports another story: nothing links Monday to Saturday
    write(tmp_path, "thursday", dict(COUNCIL, date=FLOOD_THURSDAY["date"]))
    assert index.ingest([paths["thursday"]]).articles_updated == 1
    assert grouping(index) == {
        frozenset({"monday"}),
        frozenset({"saturday"}),
        frozenset({"council"}),
    }
    assert_stories_consistent(index)


def test_listing_reads_stored_labels_never_a_vector(open_index, tmp_path):
    index = open_index()
    paths = ingest_week(index, tmp_path)
    index.ingest([write(tmp_path, "council", COUNCIL)])
    assert index.delete(str(paths["saturday"])) == 1
    listed = index.stories()
    assert {s.label for s in listed} == {FLOOD_WEDNESDAY["title"], COUNCIL["title"]}

    # every stored article vector made unreadable: a listing that decoded one would fail
    settings = index.settings
    _raw(
        settings.store_dir,
        "UPDATE story_members SET vector = ?",
        (b"\x00",),
        settings.database_url,
        write=True,
    )
    assert index.stories() == listed
    assert [index.story(s.id) for s in listed] == listed


def test_a_reader_who_may_not_see_the_label_gets_the_most_central_headline_left(
    open_index, tmp_path
):
    index = open_index()
    ingest_week(index, tmp_path, wednesday={"desk": "investigations"})
    [story] = index.stories()
    assert story.label == FLOOD_WEDNESDAY["title"]
    public = Access(desks=frozenset())
    [seen] = index.stories(access=public)
    assert len(seen.article_ids) == 3 and seen.label == FLOOD["title"]
    assert index.story(story.id, access=public) == seen


def test_a_store_written_before_labels_were_stored_lists_its_stories(open_index, tmp_path):
    index = open_index()
    ingest_week(index, tmp_path)
    index.ingest([write(tmp_path, "council", COUNCIL)])
    listed = index.stories()
    index.close()
    # back to the schema before label ranks: story_members without its label_rank column
    settings = index.settings
    _raw(
        settings.store_dir,
        "ALTER TABLE story_members DROP COLUMN label_rank",
        (),
        settings.database_url,
        write=True,
    )

    reopened = open_index()
    # the most central report, not the oldest that a store without ranks would show
    assert reopened.stories() == listed
    assert {s.label for s in listed} == {FLOOD_WEDNESDAY["title"], COUNCIL["title"]}
    assert_stories_consistent(reopened)


def test_a_chain_stored_out_of_order_stays_one_story_until_a_link_leaves(settings):
    """``newsdesk migrate`` copies memberships article by article in id order, so a
    story's chaining article may arrive last: joining never splits, removing does."""
    catalog = open_catalog(settings)
    try:
        vector = np.array([1, 0, 0], dtype=np.float32)
        for article_id, day in (("a", "2024-03-04"), ("c", "2024-03-09"), ("b", "2024-03-06")):
            article = Article(article_id, article_id.upper(), "Text.", date=day)
            catalog.mark_pending([(article, "hash", None)], also=[])
            catalog.complete(article, [], story=Member(article_id, "s1", day, vector, ()))
        assert {r.article_id: r.story_id for r in catalog.story_rows()} == dict.fromkeys(
            "abc", "s1"
        )
        catalog.remove(["b"])
        stories = {r.article_id: r.story_id for r in catalog.story_rows()}
        assert stories["a"] == "s1" != stories["c"]  # one each: the oldest keeps the id
    finally:
        catalog.close()


def test_a_restricted_reader_never_sees_nor_counts_a_hidden_member(open_index, tmp_path):
    index = open_index()
    secret = dict(FLOOD_NEXT_DAY, desk="investigations")
    index.ingest([write(tmp_path, "flood", FLOOD), write(tmp_path, "toll", secret)])
    everyone = index.stories()
    assert [len(s.article_ids) for s in everyone] == [2]

    public = index.stories(access=Access(desks=frozenset()))
    assert [len(s.article_ids) for s in public] == [1]
    assert public[0].outlets == ("Riverside Herald",)
    assert public[0].last_date == "2024-03-04"
    only_secret = index.stories(since="2024-03-05", access=Access(desks=frozenset()))
    assert only_secret == []


def test_retrieved_passages_carry_their_story(open_index, tmp_path):
    from qa.retrieval import build_retriever

    index = open_index()
    index.ingest([write(tmp_path, "flood", FLOOD), write(tmp_path, "council", COUNCIL)])
    passages = build_retriever(index.settings, index).retrieve("How many died in Marlow Bay?", 3)
    assert passages
    for p in passages:
        [story] = [s for s in index.stories() if p.article_id in s.article_ids]
        assert p.story_id == story.id and p.to_dict()["story_id"] == story.id


def newsdesk_stories(*args: str) -> subprocess.CompletedProcess:
    """``newsdesk stories ARGS`` as a user runs it (the backend's settings inherited)."""
    command = [str(VENV_BIN / "newsdesk"), "stories", *args]
    return subprocess.run(command, check=False, capture_output=True, text=True, timeout=300)


def test_cli_lists_stories_as_a_table_and_as_json(open_index, tmp_path):
    index = open_index()
    index.ingest([write(tmp_path, n, r) for n, r in [("flood", FLOOD), ("toll", FLOOD_NEXT_DAY)]])
    index.close()
    table = newsdesk_stories()
    assert table.returncode == 0, table.stderr
    header, row, total = table.stdout.strip().splitlines()
    assert header.split()[:4] == ["STORY", "DATES", "ARTICLES", "OUTLETS"]
    assert "2024-03-04 … 2024-03-05" in row and "Coastal Wire, Riverside Herald" in row
    assert total == "1 story of 2 articles"
    data = json.loads(newsdesk_stories("--json").stdout)
    assert [len(s["article_ids"]) for s in data] == [2]
    assert data[0]["label"] in {FLOOD["title"], FLOOD_NEXT_DAY["title"]}
    later = newsdesk_stories("--since", "2024-04-01")
    assert later.returncode == 0 and "no stories since 2024-04-01" in later.stdout
    bad = newsdesk_stories("--since", "March")
    assert bad.returncode == 2 and "is not a date" in bad.stderr


# --- pure parts: no store --------------------------------------------------------------


def test_entity_keys_are_the_names_of_headline_and_lead():
    keys = entity_keys(FLOOD["title"], FLOOD["body"])
    assert {"marlow", "bay", "tansy", "kestrel", "ana", "harbour"} <= set(keys)
    # sentence openers and calendar words are never names
    assert not {"flash", "rescue", "monday", "the"} & set(keys)


def _row(article_id, story_id, day, rank, title="t", outlets=("A",)):
    return MemberRow(article_id, story_id, title, day, outlets, rank)


def test_build_stories_labels_the_best_ranked_headline_and_orders_newest_first():
    rows = [
        _row("a", "s1", "2024-01-02", 1, "edge", ("B",)),
        _row("b", "s1", "2024-01-01", 0, "centre", ("A", "C")),
        _row("c", "s1", None, 2, "other edge"),
        _row("d", "s2", "2024-02-01", 0, "alone"),
        _row("e", "s3", None, None, "unranked, undated"),
        _row("f", "s3", "2023-12-30", None, "unranked"),
    ]
    s2, s1, s3 = build_stories(rows)
    assert (s2.id, s1.id, s3.id) == ("s2", "s1", "s3")
    assert s1.label == "centre" and s1.article_ids == ("b", "a", "c")
    assert (s1.first_date, s1.last_date, s1.outlets) == (
        "2024-01-01",
        "2024-01-02",
        ("A", "B", "C"),
    )
    # without ranks (never, once a store is opened): the oldest headline
    assert s3.label == "unranked" and s3.article_ids == ("f", "e")
    # a reader who may not see the label gets the best-ranked member left
    assert build_stories([r for r in rows if r.article_id != "b"])[1].label == "edge"


RULE = LinkRule.of(Settings(_env_file=None))


def _member(article_id, day, vector, names=(), story_id="s1"):
    v = np.asarray(vector, dtype=np.float32)
    return Member(article_id, story_id, day, v / np.linalg.norm(v), tuple(names))


def test_members_link_within_the_window_by_cosine_or_shared_names():
    x, y, names = [1, 0, 0, 0, 0], [0, 0, 1, 0, 0], ["kestrel", "tansy"]
    parts = linked_parts(
        [
            _member("a", "2024-03-04", x),
            _member("b", "2024-03-07", x),  # three days: the edge of the window
            _member("c", "2024-03-11", x),  # four days from b: apart
            _member("h", "2024-06-01", y),
            _member("d", None, y),  # undated: compared with every date
            _member("e", "2024-03-04", [0, 1, 0, 0, 0], names),
            _member("f", "2024-03-04", [0, 0.64, 0, 0.768, 0], names),  # cosine 0.64 + names
            _member("g", "2024-03-04", [0, 0, 0, 0, 1], names),  # names alone: no
        ],
        RULE,
    )
    assert [[m.article_id for m in p] for p in parts] == [
        ["a", "b"],
        ["e", "f"],
        ["h", "d"],
        ["g"],
        ["c"],
    ]
    assert linked_parts([], RULE) == []


def test_regroup_splits_a_broken_chain_and_the_largest_part_keeps_the_id():
    chain = [
        _member("mon", "2024-03-04", [1, 0.1, 0]),
        _member("tue", "2024-03-05", [1, 0, 0]),
        _member("sat", "2024-03-09", [1, 0, 0.1]),
        _member("sun", "2024-03-10", [1, 0, 0]),
        _member("sun2", "2024-03-10", [1, 0.1, 0.1]),
    ]
    placed = regroup("s1", chain, RULE, split=True)
    stories = {p.article_id: p.story_id for p in placed}
    assert stories["sat"] == stories["sun"] == stories["sun2"] == "s1"
    assert stories["mon"] == stories["tue"] != "s1"
    # a member that joins is placed by the rule already: the story is only re-ranked
    assert {p.story_id for p in regroup("s1", chain, RULE, split=False)} == {"s1"}
    ranks = {p.article_id: p.label_rank for p in placed}
    assert sorted(ranks[a] for a in ("sat", "sun", "sun2")) == [0, 1, 2]
    assert (ranks["mon"], ranks["tue"]) == (0, 1)  # two: oldest first


def test_by_centrality_puts_the_member_closest_to_the_others_first():
    members = [
        _member("edge", "2024-01-01", [1, 0, 0]),
        _member("centre", "2024-01-02", [1, 1, 0]),
        _member("other", None, [0, 1, 0]),
    ]
    assert [m.article_id for m in by_centrality(members)] == ["centre", "edge", "other"]
    assert [m.article_id for m in by_centrality(members[::-1][:2])] == ["centre", "other"]
