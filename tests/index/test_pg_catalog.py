"""The PostgreSQL catalog's writes, checked against PostgreSQL's own reading of each chunk.

``complete()`` writes all of an article's chunk rows and postings in one
statement, and ``mark_pending()`` pipelines a batch's articles. These tests
recompute every stored chunk's weighted tsvector on its own (title at weight B,
counted half; text at A) and check that the postings, document frequencies,
corpus counters and BM25 scores agree with it, on real articles of several
chunks, including a re-ingest that replaces one article and re-chunks another.

Not compared with the SQLite catalog's scores: FTS5's porter tokenizer keeps
stopwords that PostgreSQL's English parser drops, so chunk lengths differ.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

import pytest

from index.chunking import chunk_article
from index.models import Article, Chunk
from index.pg_catalog import PostgresCatalog
from index.settings import Settings
from tests.index.conftest import corpus_records

pytestmark = pytest.mark.server
K1, B = 1.2, 0.75


def _words(text: str) -> int:
    """A stand-in token count (words + 2 for the special tokens): no model to load."""
    return len(text.split()) + 2


def _chunks(article: Article, max_tokens: int = 60) -> list[Chunk]:
    return chunk_article(article, _words, max_tokens, overlap_sentences=1)


@pytest.fixture
def catalog(server_database: str) -> Iterator[PostgresCatalog]:
    catalog = PostgresCatalog(Settings(_env_file=None, database_url=server_database))
    yield catalog
    catalog.close()


@pytest.fixture
def articles() -> list[Article]:
    return [
        Article(
            article_id=f"a{i}",
            title=r["title"],
            text=r["body"],
            date=r.get("date"),
            source=r.get("source"),
            url=r.get("url"),
            sources=(r["source"], "Wire Service") if i % 2 else (),
            extra={"desk": "sports"} if i == 3 else {},
        )
        for i, r in enumerate(corpus_records(6, body_chars=2500))
    ]


def _ingest(catalog: PostgresCatalog, articles: list[Article], **complete) -> None:
    catalog.mark_pending([(a, f"hash-{a.article_id}", None) for a in articles], [])
    for a in articles:
        catalog.complete(a, _chunks(a, **complete))


def _expected_postings(catalog: PostgresCatalog) -> dict[str, tuple[int, dict[str, float]]]:
    """chunk_id -> (length, {lexeme: tf}), each chunk's tsvector computed on its own."""
    rows = catalog._query(
        "SELECT c.chunk_id, a.title, substr(t.text, c.start_char + 1, c.end_char - c.start_char) "
        "AS body FROM chunks c JOIN articles a USING (article_id) JOIN article_texts t "
        "USING (article_id)"
    )
    expected = {}
    for r in rows:
        lexemes = catalog._query(
            "SELECT u.lexeme, cardinality(u.positions) AS n, (SELECT sum(CASE w WHEN 'B' "
            "THEN 0.5 ELSE 1.0 END) FROM unnest(u.weights) w) AS tf FROM unnest("
            "setweight(to_tsvector('english', %s), 'B') || setweight(to_tsvector('english', %s), "
            "'A')) u",
            (r["title"], r["body"]),
        )
        length = sum(x["n"] for x in lexemes)
        expected[r["chunk_id"]] = (length, {x["lexeme"]: float(x["tf"]) for x in lexemes})
    return expected


def _stored_postings(catalog: PostgresCatalog) -> dict[str, tuple[int, dict[str, float]]]:
    rows = catalog._query(
        "SELECT c.chunk_id, c.len AS clen, p.lexeme, p.tf, p.len FROM chunks c "
        "LEFT JOIN postings p ON p.rid = c.rid"
    )
    stored: dict[str, tuple[int, dict[str, float]]] = {}
    for r in rows:
        length, tfs = stored.setdefault(r["chunk_id"], (r["clen"], {}))
        if r["lexeme"] is not None:
            assert r["len"] == length  # the posting carries its chunk's length
            tfs[r["lexeme"]] = float(r["tf"])
    return stored


def _bm25(
    catalog: PostgresCatalog, query: str, expected: dict[str, tuple[int, dict[str, float]]]
) -> list[tuple[str, float]]:
    """FTS5's BM25 over the independently computed postings, ranked as keyword_search ranks."""
    words = " ".join(dict.fromkeys(query.lower().split()))
    (row,) = catalog._query(
        "SELECT array_agg(DISTINCT lexeme) AS lex FROM unnest(to_tsvector('english', %s))",
        (words,),
    )
    n = len(expected)
    avgdl = max(sum(length for length, _ in expected.values()) / n, 1.0)
    scores: dict[str, float] = {}
    for lexeme in row["lex"] or []:
        holders = [
            (cid, length, tfs[lexeme]) for cid, (length, tfs) in expected.items() if lexeme in tfs
        ]
        if not holders:
            continue
        idf = max(math.log((n - len(holders) + 0.5) / (len(holders) + 0.5)), 1e-6)
        for cid, length, tf in holders:
            norm = tf + K1 * (1 - B + B * length / avgdl)
            scores[cid] = scores.get(cid, 0.0) + idf * tf * (K1 + 1) / norm
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _assert_index_matches_chunks(catalog: PostgresCatalog, queries: list[str]) -> None:
    expected = _expected_postings(catalog)
    assert _stored_postings(catalog) == expected
    df = {r["lexeme"]: r["df"] for r in catalog._query("SELECT * FROM lexemes WHERE df <> 0")}
    counted: dict[str, int] = {}
    for _, tfs in expected.values():
        for lexeme in tfs:
            counted[lexeme] = counted.get(lexeme, 0) + 1
    assert df == counted
    counters = {r["name"]: r["value"] for r in catalog._query("SELECT * FROM counters")}
    assert counters["chunks"] == len(expected)
    assert counters["length"] == sum(length for length, _ in expected.values())
    for query in queries:
        got = catalog.keyword_search(query, k=len(expected), flt=None)
        want = _bm25(catalog, query, expected)[: len(got)]
        assert [cid for cid, _ in got] == [cid for cid, _ in want], query
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-6), query


def test_batched_writes_index_every_chunk_as_it_reads_alone(
    catalog: PostgresCatalog, articles: list[Article]
) -> None:
    _ingest(catalog, articles)
    chunks = {a.article_id: _chunks(a) for a in articles}
    assert min(len(c) for c in chunks.values()) >= 3  # several chunks per article
    assert catalog.chunk_ids() == {c.chunk_id for cs in chunks.values() for c in cs}
    for a in articles:
        assert catalog.get_article(a.article_id) == a
        assert catalog.chunk_spans(a.article_id) == [(c.start, c.end) for c in chunks[a.article_id]]
    queries = [articles[2].title, "Damar Hamlin breathing tube", "president said on Tuesday"]
    _assert_index_matches_chunks(catalog, queries)

    # a re-ingest: a0 re-chunked into fewer, longer chunks; a5's new version replaces a4
    renamed = replace(articles[5], title="Revised: " + articles[5].title, sources=("Other",))
    catalog.mark_pending([(articles[0], "hash-a0-v2", None), (renamed, "hash-a5-v2", None)], ["a4"])
    assert sorted(catalog.pending_ids()) == ["a0", "a4", "a5"]
    catalog.complete(articles[0], _chunks(articles[0], max_tokens=200))
    catalog.complete(renamed, _chunks(renamed), replaces=["a4"])
    assert catalog.pending_ids() == []
    assert catalog.get_article("a4") is None
    assert catalog.get_article("a5") == renamed
    assert catalog.stored_version("a0").content_hash == "hash-a0-v2"
    assert len(catalog.chunk_spans("a0")) < len(chunks["a0"])
    _assert_index_matches_chunks(catalog, [*queries, renamed.title])


def test_an_article_without_text_completes_with_no_chunks(catalog: PostgresCatalog) -> None:
    empty = Article(article_id="e", title="Headline only", text="")
    catalog.mark_pending([], [])
    # the same article twice in one batch: the later row wins, as when written one by one
    catalog.mark_pending([(replace(empty, title="First"), "h0", b"\x01"), (empty, "h", None)], [])
    assert catalog.complete(empty, []) == 0
    assert catalog.get_article("e") == empty
    assert catalog.stored_version("e").content_hash == "h"
    assert list(catalog.signatures()) == []
    assert catalog.counts()["chunks"] == 0


def _reads_postings_from_the_key_alone(catalog: PostgresCatalog) -> bool:
    """Whether PostgreSQL can answer a search's posting read without touching the table
    (the plan it would use where the table is big; here scans are switched off)."""
    with catalog._tx() as db:
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_bitmapscan = off")
        plan = db.execute(
            "EXPLAIN (FORMAT JSON) SELECT rid, tf, len FROM postings WHERE lexeme = 'storm'"
        ).fetchone()["QUERY PLAN"]
    return plan[0]["Plan"]["Node Type"] == "Index Only Scan"


def test_past_its_postings_budget_a_search_adds_the_common_terms_to_the_rare_terms_best(
    catalog: PostgresCatalog, articles: list[Article]
) -> None:
    _ingest(catalog, articles)
    expected = _expected_postings(catalog)
    query = "What was said at Hamlin's bedside?"
    exact = dict(_bm25(catalog, query, expected))
    (row,) = catalog._query(
        "SELECT array_agg(DISTINCT lexeme) AS lex FROM unnest(to_tsvector('english', %s))",
        (query.lower(),),
    )
    df = {t: sum(t in tfs for _, tfs in expected.values()) for t in row["lex"]}
    rarest = min((t for t in df if df[t]), key=lambda t: (df[t], t))
    holders = {cid for cid, (_, tfs) in expected.items() if rarest in tfs}
    assert 1 < len(holders) < len(exact)  # the budget leaves out chunks an exact search finds
    assert all({"said", "hamlin"} <= set(expected[cid][1]) for cid in holders)

    catalog.postings_budget, catalog.postings_share = (
        1,
        0.0,
    )  # only the rarest term opens candidates
    got = catalog.keyword_search(query, k=len(expected), flt=None)
    assert {cid for cid, _ in got} == holders
    # each candidate's score is its whole BM25 score: the common terms were all added
    assert [s for _, s in got] == pytest.approx([exact[cid] for cid, _ in got], rel=1e-6)
    assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)

    catalog.accumulators = 1  # at least the 2k + 10 best are kept, whatever it is set to
    assert catalog.keyword_search(query, k=3, flt=None) == got[:3]


def test_refreshed_statistics_let_a_keyword_search_skip_the_postings_table(
    catalog: PostgresCatalog, articles: list[Article]
) -> None:
    _ingest(catalog, articles)
    catalog.refresh_statistics()
    with catalog._tx() as db:
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_bitmapscan = off")
        plan = db.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) SELECT rid, tf, len FROM postings "
            "WHERE lexeme = 'storm'"
        ).fetchone()["QUERY PLAN"][0]["Plan"]
        analysed = db.execute(
            "SELECT count(*) AS n FROM pg_stats WHERE tablename = 'postings'"
        ).fetchone()["n"]
    # Without the visibility map every freshly written posting is read from the table too.
    assert plan["Node Type"] == "Index Only Scan" and plan["Actual Rows"] > 0
    assert plan["Heap Fetches"] == 0
    assert analysed > 0  # the planner has column statistics to choose plans by


def test_a_store_written_before_postings_were_covered_is_upgraded_on_open(
    catalog: PostgresCatalog, articles: list[Article], server_database: str
) -> None:
    _ingest(catalog, articles)
    assert _reads_postings_from_the_key_alone(catalog)
    queries = [articles[2].title, "Damar Hamlin breathing tube", "president said on Tuesday"]
    before = {q: catalog.keyword_search(q, 5, None) for q in queries}
    with catalog._tx() as db:  # the key as databases written before had it
        db.execute(
            "ALTER TABLE postings DROP CONSTRAINT postings_pkey, "
            "ADD CONSTRAINT postings_pkey PRIMARY KEY (lexeme, rid)"
        )
    assert not _reads_postings_from_the_key_alone(catalog)

    reopened = PostgresCatalog(Settings(_env_file=None, database_url=server_database))
    try:
        assert _reads_postings_from_the_key_alone(reopened)
        assert {q: reopened.keyword_search(q, 5, None) for q in queries} == before
        _ingest(reopened, articles[:2])  # a re-ingest rewrites postings under the new key
        _assert_index_matches_chunks(reopened, queries)
    finally:
        reopened.close()
