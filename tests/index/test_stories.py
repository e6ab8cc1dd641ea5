"""Story threads on the real store: grouping, incremental upkeep, access, CLI.

Small hand-made articles on both backends: two outlets' reports of one flood group
together, an unrelated council story stays apart, and a flood in the same town
months later starts its own story (outside the window). Deletes and updates keep
every story's members, outlets and dates exact.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from index.access import Access
from index.entities import entity_keys
from index.stories import MemberRow, UnknownStory, build_stories
from tests.index.conftest import VENV_BIN
from tests.reliability.conftest import assert_stories_consistent

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


def _row(article_id, story_id, day, vector, title="t", outlets=("A",)):
    v = np.asarray(vector, dtype=np.float32)
    return MemberRow(article_id, story_id, title, day, outlets, v / np.linalg.norm(v))


def test_build_stories_labels_the_most_central_headline_and_orders_newest_first():
    rows = [
        _row("a", "s1", "2024-01-02", [1, 0, 0], "edge", ("B",)),
        _row("b", "s1", "2024-01-01", [1, 1, 0], "centre", ("A", "C")),
        _row("c", "s1", None, [0, 1, 0], "other edge"),
        _row("d", "s2", "2024-02-01", [0, 0, 1], "alone"),
        _row("e", "s3", None, [0, 0, 1], "undated"),
    ]
    s2, s1, s3 = build_stories(rows)
    assert (s2.id, s1.id, s3.id) == ("s2", "s1", "s3")
    assert s1.label == "centre" and s1.article_ids == ("b", "a", "c")
    assert (s1.first_date, s1.last_date, s1.outlets) == (
        "2024-01-01",
        "2024-01-02",
        ("A", "B", "C"),
    )
    assert (s3.first_date, s3.last_date) == (None, None)
