"""NewsIndex over a real Chroma folder and SQLite catalog: storing, finding, quoting, deleting."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index import IndexBusy, ModelMismatch, NewsIndex, SearchFilter, UnknownOutlet
from index.embedding import SentenceTransformerEmbedder
from index.sentences import split_sentences
from tests.index.conftest import SEED, assert_consistent, corpus_records


@pytest.fixture
def seeded(open_index, tmp_path: Path) -> tuple[NewsIndex, Path]:
    seed = tmp_path / "news" / SEED.name
    seed.parent.mkdir()
    shutil.copy(SEED, seed)
    index = open_index()
    report = index.ingest([seed])
    assert (report.articles_added, report.errors) == (1, [])
    return index, seed


def test_every_sentence_of_the_seed_is_quotable_by_offsets(seeded) -> None:
    index, _ = seeded
    (article_id,) = index.catalog.resolve([str(seeded[1])])
    article = index.get_article(article_id)
    chunk_ids = [f"{article_id}:{i}" for i in range(index.stats()["chunks"])]
    stored = index.get_chunks(chunk_ids)
    assert [s.chunk.chunk_id for s in stored] == chunk_ids
    quoted = []
    for s in stored:
        assert s.text == article.text[s.chunk.start : s.chunk.end]
        assert s.title == article.title
        quoted.extend(s.chunk.sentences)
    assert quoted == split_sentences(article.text)
    assert_consistent(index)


def test_dense_and_keyword_search_find_the_passage(seeded) -> None:
    index, _ = seeded
    for hits in (
        index.dense_search("Who guards the base near Qamishli airport?", k=3),
        index.keyword_search("who guards the Qamishli base", k=3),
    ):
        assert hits, "nothing found"
        (best,) = index.get_chunks([hits[0][0]])
        assert "SDF fighters" in best.text
        scores = [score for _, score in hits]
        assert scores == sorted(scores, reverse=True)
    assert index.keyword_search("", k=3) == []
    # FTS5 query syntax in user text is just words, never an SQL error.
    (best_id, _), *_ = index.keyword_search('"Qamishli* AND (airport', k=3)
    assert "Qamishli" in index.get_chunks([best_id])[0].text


def test_filters_apply_to_both_searches(open_index, tmp_path: Path) -> None:
    records = corpus_records(6)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    index = open_index()
    index.ingest([feed])
    outlet = records[0]["source"]
    by_outlet = SearchFilter(sources=(outlet,))
    query = records[0]["title"]
    for search in (index.dense_search, index.keyword_search):
        hits = search(query, 20, by_outlet)
        assert hits and {c.source for c in index.get_chunks([h for h, _ in hits])} == {outlet}
        with pytest.raises(UnknownOutlet, match="no-such-outlet.example"):
            search(query, 20, SearchFilter(sources=("no-such-outlet.example",)))
        assert search(query, 20, SearchFilter(since="2031-01-01")) == []
        date = records[0]["date"]
        dated = search(query, 20, SearchFilter(since=date, until=date))
        assert dated and {c.date for c in index.get_chunks([h for h, _ in dated])} == {date}
    # A filter nearly every chunk passes keeps the unfiltered ranking (dense search then
    # filters a deeper plain search instead of asking Chroma to filter), and a selective
    # one still fills k from matching chunks only.
    everything = SearchFilter(until="2099-12-31")
    plain = index.get_chunks([h for h, _ in index.dense_search(query, 30)])
    plain_dated = [c.chunk.chunk_id for c in plain if c.date]
    assert [h for h, _ in index.dense_search(query, 5, everything)] == plain_dated[:5]
    one_date = SearchFilter(since=records[-1]["date"], until=records[-1]["date"])
    narrow = index.dense_search(query, 3, one_date)
    assert {c.date for c in index.get_chunks([h for h, _ in narrow])} == {records[-1]["date"]}


def test_delete_by_id_path_and_url_removes_everything(open_index, tmp_path: Path) -> None:
    records = corpus_records(3)
    folder = tmp_path / "news"
    folder.mkdir()
    for i, record in enumerate(records):
        (folder / f"a{i}.json").write_text(json.dumps(record), encoding="utf-8")
    index = open_index()
    index.ingest([folder])
    first_id = index.catalog.resolve([str(folder / "a0.json")])[0]
    assert index.delete(first_id) == 1
    assert index.delete(str(folder / "a1.json")) == 1
    assert index.delete(records[2]["url"]) == 1
    assert index.delete("not-stored") == 0
    assert index.get_article(first_id) is None
    (tmp_path / "feed.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records[:2]), encoding="utf-8"
    )
    index.ingest(["feed.jsonl"])  # relative to the current folder (tmp_path)
    assert index.stats()["articles"] == 2
    assert index.delete("feed.jsonl") == 2  # every record read from that file
    assert index.stats()["articles"] == index.stats()["chunks"] == 0
    assert index.dense_search(records[0]["title"], k=5) == []
    assert_consistent(index)


def test_searches_never_return_half_written_articles(seeded) -> None:
    index, seed = seeded
    (article_id,) = index.catalog.resolve([str(seed)])
    index.catalog.mark_pending([], also=[article_id])  # as a killed ingest leaves it
    assert index.dense_search("Qamishli base", k=5) == []
    assert index.keyword_search("Qamishli base", k=5) == []
    assert index.get_article(article_id) is None
    index.close()
    reopened = NewsIndex.open(index.settings, embedder=index.embedder)
    assert reopened.stats()["articles"] == 0  # recovery on open removed it everywhere
    assert_consistent(reopened)
    reopened.close()


def test_another_model_on_an_existing_index_is_refused(seeded) -> None:
    index, _ = seeded
    other = SentenceTransformerEmbedder("some-org/other-model")  # never loaded
    with pytest.raises(ModelMismatch) as err:
        NewsIndex.open(index.settings, embedder=other)
    message = str(err.value)
    assert "sentence-transformers/all-MiniLM-L6-v2" in message and "other-model" in message
    assert "NEWSDESK_STORE_DIR" in message
    renamed = index.settings.model_copy(update={"embedding_model": "all-MiniLM-L6-v2"})
    NewsIndex.open(renamed).close()  # an alias of the same model is fine


def test_second_writer_gets_index_busy(open_index) -> None:
    index = open_index(lock_timeout_s=0)
    with open_index().catalog.write_lock(timeout_s=0):  # another ingest is running
        with pytest.raises(IndexBusy) as err:
            index.ingest([SEED])
        with pytest.raises(IndexBusy):
            index.delete("anything")
        assert index.keyword_search("Qamishli", k=1) == []  # readers never wait
    assert "NEWSDESK_LOCK_TIMEOUT_S" in str(err.value)
    assert index.ingest([SEED]).articles_added == 1


def test_the_outlet_list_follows_every_write(seeded, open_index, tmp_path: Path) -> None:
    # Filtered searches reuse the list between writes; it must never go stale.
    index, _ = seeded
    assert index.catalog.outlets() == ["Associated Press"]
    wire = tmp_path / "wire.jsonl"
    record = {
        "title": "Dam inspected",
        "body": "Engineers inspected the dam on Monday.",
        "source": "Example Wire",
    }
    wire.write_text(json.dumps(record), encoding="utf-8")
    index.ingest([wire])  # a write of this connection
    assert index.catalog.outlets() == ["Associated Press", "Example Wire"]
    by_initials = SearchFilter(sources=("EW",))  # matched through the listed names
    assert index.keyword_search("engineers inspected dam", 5, by_initials)
    other = open_index()  # another connection, as another process would be
    other.delete(str(wire))
    assert index.catalog.outlets() == ["Associated Press"]
