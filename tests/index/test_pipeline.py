"""Incremental ingest: unchanged articles cost nothing, changes replace, wire copies merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import LimitExceeded
from tests.index.conftest import SEED, assert_consistent, corpus_records, write_corpus_folder


def test_reingest_embeds_nothing_and_changes_nothing(open_index, tmp_path: Path) -> None:
    folder = write_corpus_folder(tmp_path / "news", 3)
    index = open_index()
    first = index.ingest([folder])
    assert first.articles_added + first.duplicates == 3 and first.chunks_added > 3
    before = index.stats()
    progress: list[tuple[int, int]] = []
    again = index.ingest([folder], progress=lambda done, total: progress.append((done, total)))
    assert (again.articles_added, again.articles_updated, again.chunks_added) == (0, 0, 0)
    assert again.articles_unchanged + again.duplicates == 3
    assert again.embed_seconds == 0.0
    assert index.stats() == before
    assert progress[-1] == (3, 3)
    assert_consistent(index)


def test_changed_article_at_the_same_path_replaces_its_chunks(open_index, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    index = open_index()
    index.ingest([path])
    (old_id,) = index.catalog.resolve([str(path)])
    path.write_text(
        SEED.read_text(encoding="utf-8")
        + "\nA correction: the base was handed to Syrian government troops on Friday.\n",
        encoding="utf-8",
    )
    report = index.ingest([path])
    assert (report.articles_added, report.articles_updated) == (0, 1)
    assert report.chunks_added >= 1 and report.chunks_deleted >= 1
    (new_id,) = index.catalog.resolve([str(path)])
    assert new_id != old_id and index.get_article(old_id) is None
    assert index.stats()["articles"] == 1
    hits = index.keyword_search("correction handed government troops", k=1)
    assert hits[0][0].startswith(new_id + ":")
    assert_consistent(index)


def test_metadata_change_is_an_update_with_the_same_id(open_index, tmp_path: Path) -> None:
    record = corpus_records(1)[0]
    path = tmp_path / "story.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    index = open_index()
    index.ingest([path])
    path.write_text(json.dumps({**record, "title": "A better headline"}), encoding="utf-8")
    report = index.ingest([path])
    assert report.articles_updated == 1
    (article_id,) = index.catalog.resolve([str(path)])
    assert index.get_article(article_id).title == "A better headline"
    assert_consistent(index)


def test_wire_copy_is_stored_once_with_both_outlets(open_index, tmp_path: Path) -> None:
    original = corpus_records(1)[0]
    copy = {
        **original,
        "body": original["body"].replace("\n\n", "\n\nUpdated. ", 1) + "\n\nCopyright 2023.",
        "source": "wire-reprint.example",
        "url": "https://wire-reprint.example/story",
    }
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(original) + "\n" + json.dumps(copy) + "\n", encoding="utf-8")
    index = open_index()
    report = index.ingest([feed])
    assert (report.articles_added, report.duplicates) == (1, 1)
    stats = index.stats()
    assert stats["articles"] == 1
    assert {original["source"], "wire-reprint.example"} <= set(stats["sources"])
    (article_id,) = index.catalog.resolve([original["url"]])
    assert set(index.get_article(article_id).sources) >= {"wire-reprint.example"}
    again = index.ingest([feed])
    assert (again.duplicates, again.articles_unchanged, again.chunks_added) == (0, 2, 0)
    assert_consistent(index)


def test_a_reprint_that_changes_a_figure_is_its_own_article(open_index, tmp_path: Path) -> None:
    record = corpus_records(1)[0]
    original = {**record, "body": record["body"] + "\n\nOfficials said 31 people were hurt."}
    revised = {
        **original,
        "body": original["body"].replace("31 people", "45 people"),
        "source": "wire-reprint.example",
        "url": "https://wire-reprint.example/revised",
    }
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(original) + "\n" + json.dumps(revised) + "\n", encoding="utf-8")
    index = open_index()
    report = index.ingest([feed])
    assert (report.articles_added, report.duplicates) == (2, 0)  # a conflict is not a copy
    hits = index.keyword_search("45 people were hurt", k=3)
    assert hits and hits[0][0].startswith(index.catalog.resolve([revised["url"]])[0] + ":")
    assert_consistent(index)


def test_bad_inputs_are_reported_and_the_rest_ingested(open_index, tmp_path: Path) -> None:
    folder = write_corpus_folder(tmp_path / "news", 2)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    report = open_index().ingest([folder, tmp_path / "missing.txt"])
    assert report.articles_added == 2
    failed = {Path(e.path).name for e in report.errors}
    assert failed == {"broken.json", "missing.txt"}


def test_too_many_files_are_refused_before_anything_is_written(open_index, tmp_path: Path) -> None:
    folder = write_corpus_folder(tmp_path / "news", 3)
    index = open_index(max_batch_files=2)
    with pytest.raises(LimitExceeded, match="3 files.*NEWSDESK_MAX_BATCH_FILES"):
        index.ingest([folder])
    assert index.stats()["articles"] == 0
