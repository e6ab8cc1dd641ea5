"""Example questions come from real recent headlines, never from series labels or digests."""

from __future__ import annotations

import json
from pathlib import Path

from index import NewsIndex
from index.embedding import load_embedder
from index.settings import DEFAULT_EMBEDDING_MODEL, Settings
from ui.examples import example_questions

HEADLINES = [  # (title, date): newest first once sorted
    ("Tuesday's news: House speaker vote, Damar Hamlin, California storms", "2023-01-10"),
    ("The Short List: Speaker of the House votes, Damar Hamlin injury", "2023-01-09"),
    ("Microsoft layoffs, Ukraine chopper crash, winter storm: The Short List", "2023-01-08"),
    ("Microsoft to cut 10,000 jobs as cloud growth slows | CNN Business", "2023-01-07"),
    ("Microsoft layoffs hit gaming studios", "2023-01-06"),
    ("Helicopter crash near Kyiv kills Ukraine's interior minister", "2023-01-05"),
    ("Coal miners, crawfish offer: News from around our 50 states", "2023-01-04"),
    ("Feral hog hunting, coral reefs: News from around our 50 states", "2023-01-03"),
    ("Atmospheric river floods California's Central Coast", "2023-01-02"),
    ("Pope Benedict XVI laid to rest in Vatican City", None),
]


def _index(tmp_path: Path) -> NewsIndex:
    corpus = tmp_path / "news.jsonl"
    lines = [
        json.dumps(
            {
                "title": t,
                "body": f"Report number {i} on this story.",
                "date": d,
                "source": "cnn.com",
            }
        )
        for i, (t, d) in enumerate(HEADLINES)
    ]
    corpus.write_text("\n".join(lines), encoding="utf-8")
    settings = Settings(_env_file=None, store_dir=tmp_path / "store", chroma_url=None)
    index = NewsIndex.open(settings, embedder=load_embedder(DEFAULT_EMBEDDING_MODEL))
    assert index.ingest([corpus]).articles_added == len(HEADLINES)
    return index


def test_examples_are_distinct_recent_stories_not_labels(tmp_path: Path) -> None:
    with _index(tmp_path) as index:
        questions = example_questions(index, limit=4)
    assert questions == [
        "What do the articles say about “Microsoft to cut 10,000 jobs as cloud growth slows”?",
        "What do the articles say about “Helicopter crash near Kyiv kills Ukraine's interior minister”?",
        "What do the articles say about “Atmospheric river floods California's Central Coast”?",
        "What do the articles say about “Pope Benedict XVI laid to rest in Vatican City”?",
    ]
    text = " ".join(questions)
    for label in ("Short List", "Tuesday", "News from around", "| CNN"):
        assert label not in text
