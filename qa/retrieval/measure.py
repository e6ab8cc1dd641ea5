"""Measure retrieval alone: hit@k of dense, keyword and fused pipelines, and latency.

Used to choose the pipeline's defaults (depth, per-article cap, searchers);
the figures are recorded in ``qa/retrieval/pipeline.py``. A question is a hit
at k when one of the top-k passages contains one of its ``evidence`` strings
(case-insensitive, not inside a longer word) — the seed set's evidence are
article phrases, realtimeqa's are the gold answers.

    python -m qa.retrieval.measure --store /tmp/seed-store --corpus seeds \\
        --questions evals/seed/questions.jsonl
    python -m qa.retrieval.measure --store /tmp/rtqa --realtimeqa ../shared/data/realtimeqa-2023q1

The realtimeqa slice is deterministic: every ``--every``-th question, the first
three articles containing its answer, plus ``--distractors`` random articles.
It writes only into ``--store`` (and a JSONL slice next to it). Only questions
whose evidence some indexed chunk contains are scored, so a slice whose ingest
was stopped early (a store that holds articles is measured as is) still gives
fair figures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from pathlib import Path

from index import NewsIndex, Settings
from qa.retrieval.dense import DenseSearcher
from qa.retrieval.keyword import KeywordSearcher
from qa.retrieval.pipeline import HybridRetriever

KS = (1, 3, 5, 10)


def contains(text: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle.lower())}(?!\w)", text.lower()) is not None


def load_questions(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in rows if r.get("answerable", True) and r.get("evidence")]


def realtimeqa_slice(folder: Path, out: Path, every: int, distractors: int) -> list[dict]:
    """Write a small corpus JSONL to ``out``; return the questions it can answer."""
    articles = [json.loads(x) for x in (folder / "corpus.jsonl").read_text().splitlines()]
    questions = load_questions(folder / "questions.jsonl")[::every]
    chosen: dict[int, dict] = {}
    for q in questions:
        hits = [i for i, a in enumerate(articles) if contains(a["body"], q["evidence"][0])]
        chosen.update({i: articles[i] for i in hits[:3]})
    rng = random.Random(13)
    for i in rng.sample(range(len(articles)), distractors):
        chosen[i] = articles[i]
    out.write_text("".join(json.dumps(a) + "\n" for a in chosen.values()))
    return questions


def configs(index) -> dict[str, HybridRetriever]:
    dense, keyword = DenseSearcher(index), KeywordSearcher(index)
    out = {
        "dense only": HybridRetriever(index, [dense], per_article=99),
        "keyword only": HybridRetriever(index, [keyword], per_article=99),
        "rrf, no cap": HybridRetriever(index, [dense, keyword], per_article=99),
    }
    for cap in (1, 2, 3):
        out[f"rrf, cap {cap}"] = HybridRetriever(index, [dense, keyword], per_article=cap)
    out["rrf, cap 2, depth 10"] = HybridRetriever(index, [dense, keyword], depth=10)
    out["rrf, cap 2, depth 50"] = HybridRetriever(index, [dense, keyword], depth=50)
    return out


def in_index(index, question: dict) -> bool:
    """Whether some indexed chunk contains one of the question's evidence strings."""
    for evidence in question["evidence"]:
        ids = [cid for cid, _ in index.keyword_search(evidence, 50)]
        if any(contains(c.text, evidence) for c in index.get_chunks(ids)):
            return True
    return False


def measure(index, questions: list[dict]) -> None:
    questions = [q for q in questions if in_index(index, q)]  # a partly ingested slice
    stats = index.stats()
    print(
        f"{len(questions)} questions; index: {stats['articles']} articles, {stats['chunks']} chunks"
    )
    print(f"{'config':24}" + "".join(f"  hit@{k:<3}" for k in KS) + "  p50 ms")
    for name, retriever in configs(index).items():
        hits = {k: 0 for k in KS}
        times = []
        for q in questions:
            t = time.perf_counter()
            passages = retriever.retrieve(q["question"], max(KS))
            times.append((time.perf_counter() - t) * 1000)
            for k in KS:
                texts = [p.text for p in passages[:k]]
                hits[k] += any(contains(t, e) for t in texts for e in q["evidence"])
        row = "".join(f"  {hits[k] / len(questions):6.3f}" for k in KS)
        print(f"{name:24}{row}  {statistics.median(times):6.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, help="files/folder to ingest")
    ap.add_argument("--questions", type=Path)
    ap.add_argument("--realtimeqa", type=Path, help="folder with corpus.jsonl + questions.jsonl")
    ap.add_argument("--every", type=int, default=5)
    ap.add_argument("--distractors", type=int, default=150)
    args = ap.parse_args()
    index = NewsIndex.open(Settings(store_dir=args.store, chroma_url=None, database_url=None))
    if args.realtimeqa:
        args.store.mkdir(parents=True, exist_ok=True)
        corpus = args.store / "slice.jsonl"
        questions = realtimeqa_slice(args.realtimeqa, corpus, args.every, args.distractors)
    else:
        corpus, questions = args.corpus, load_questions(args.questions)
    if not index.stats()["articles"]:
        t = time.perf_counter()
        report = index.ingest([corpus])
        print(f"ingested {report.articles_added} articles in {time.perf_counter() - t:.0f} s")
    measure(index, questions)


if __name__ == "__main__":
    main()
