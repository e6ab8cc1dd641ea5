"""Bench helpers: grow stores to a chunk count by replication, and time queries on them.

Reaching 100k chunks by embedding real text would take most of an hour on 2
cores, so the bench replicates real chunks (text rows and their already
computed embeddings) under distinct article and chunk ids, writing straight
into a separate store through the index's catalog and vector store, the same
three steps the ingest pipeline takes (pending → vectors → complete). Search
cost depends on the number of vectors and rows, not on their being distinct.

Run as ``python -m qa.eval.scale {newsdesk|langchain} STORE QUESTIONS N``: a
worker that times N questions against one store and prints one JSON line.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import dataclasses
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from index.settings import Settings

BATCH_ARTICLES = 200
CHROMA_BATCH = 5000  # under Chroma's max batch size


def _copies(n_items: int) -> Iterator[tuple[int, int]]:
    """(copy number, item index) forever: copy 0 is the real data, then replicas."""
    copy = 0
    while True:
        for i in range(n_items):
            yield copy, i
        copy += 1


def grow_newsdesk(settings: Settings, source_store: Path, vectors_npz: Path, target: int) -> int:
    """Add replicated articles to the store of ``settings`` until it holds ``target`` chunks."""
    from index import NewsIndex
    from index.filters import chunk_metadata
    from index.ids import content_hash

    data = np.load(vectors_npz)
    vector_of = dict(zip(data["ids"].tolist(), data["vectors"], strict=True))
    with NewsIndex.open(settings.model_copy(update={"store_dir": source_store})) as src:
        stored = src.get_chunks(sorted(vector_of))
        articles = {s.chunk.article_id: src.get_article(s.chunk.article_id) for s in stored}
        meta = {k: src.catalog.get_meta(k) for k in ("embedding_model", "dimension")}
    chunks_of: dict[str, list] = {aid: [] for aid in articles}
    for s in stored:
        chunks_of[s.chunk.article_id].append(s.chunk)
    order = sorted(articles)

    dst = NewsIndex.open(settings)
    dst.catalog.set_meta(meta)
    have = len(dst.catalog.chunk_ids())
    total, batch = 0, []
    for copy, i in _copies(len(order)):
        if have >= target:
            break
        aid = order[i]
        total += len(chunks_of[aid])
        if total <= have:
            continue  # written by an earlier, smaller size
        new_id = aid if copy == 0 else f"{aid}~r{copy}"
        article = articles[aid]
        if copy:
            url = f"{article.url}#r{copy}" if article.url else None
            article = dataclasses.replace(article, article_id=new_id, url=url, path=None)
        chunks = [
            dataclasses.replace(c, chunk_id=f"{new_id}:{c.index}", article_id=new_id)
            for c in chunks_of[aid]
        ]
        vectors = [vector_of[c.chunk_id] for c in chunks_of[aid]]
        batch.append((article, chunks, vectors))
        have += len(chunks)
        if len(batch) >= BATCH_ARTICLES:
            _write(dst, batch, chunk_metadata, content_hash)
            batch = []
    _write(dst, batch, chunk_metadata, content_hash)
    count = len(dst.catalog.chunk_ids())
    dst.close()
    return count


def _write(dst, batch, chunk_metadata: Callable, content_hash: Callable) -> None:
    """The ingest pipeline's commit steps for already embedded articles."""
    if not batch:
        return
    dst.catalog.mark_pending([(a, content_hash(a), None) for a, _, _ in batch], also=[])
    ids, vectors, metas = [], [], []
    for a, chunks, vecs in batch:
        ids += [c.chunk_id for c in chunks]
        vectors += vecs
        metas += [chunk_metadata(a, c) for c in chunks]
    for s in range(0, len(ids), CHROMA_BATCH):
        dst.store.upsert(
            ids[s : s + CHROMA_BATCH],
            np.array(vectors[s : s + CHROMA_BATCH]),
            metas[s : s + CHROMA_BATCH],
        )
    for a, chunks, _ in batch:
        dst.catalog.complete(a, chunks)


def grow_baseline(source_dir: Path, target_dir: Path, target: int) -> int:
    """Replicate the naive pipeline's chunks (text + vectors) until ``target`` are stored."""
    from qa.eval.baseline import NaiveRag

    src = NaiveRag(source_dir, embeddings=_NoEmbeddings())
    got = src.store.get(include=["embeddings", "documents", "metadatas"])
    dst = NaiveRag(target_dir, embeddings=_NoEmbeddings())
    have = dst.count()
    n = len(got["ids"])
    while have < target:
        copy, start = divmod(have, n)
        take = min(n - start, target - have, CHROMA_BATCH)
        sl = slice(start, start + take)
        dst.add_vectors(
            [f"{cid}~r{copy}" for cid in got["ids"][sl]],
            got["embeddings"][sl],
            got["documents"][sl],
            got["metadatas"][sl],
        )
        have += take
    return dst.count()


class _NoEmbeddings:
    """Stands in for the model while copying stored vectors (nothing gets embedded)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise RuntimeError("replication must not embed text")

    embed_query = embed_documents


def _percentiles(ms: list[float], name: str) -> dict[str, float]:
    return {
        f"{name}_p50_ms": float(np.percentile(ms, 50)),
        f"{name}_p95_ms": float(np.percentile(ms, 95)),
    }


def _memory() -> dict[str, float]:
    """RSS now (psutil) and this process's peak RSS (VmHWM).

    subtle: not ``ru_maxrss``, which Linux carries over from the parent across
    fork + exec and so reports the bench's own peak.
    """
    import psutil

    rss = psutil.Process().memory_info().rss / 2**20
    status = Path("/proc/self/status")
    hwm = [line for line in status.read_text().splitlines() if line.startswith("VmHWM:")]
    peak = int(hwm[0].split()[1]) / 1024 if hwm else rss  # kB
    return {"rss_mb": round(rss, 1), "peak_rss_mb": round(peak, 1)}


def _timed(fn: Callable[[str], object], questions: list[str]) -> list[float]:
    out = []
    for q in questions:
        t0 = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure(kind: str, store: Path, questions: list[str]) -> dict[str, float]:
    """Latency percentiles (after a warm-up) and memory of one store, in this process."""
    if kind == "newsdesk":
        from qa import Assistant

        settings = Settings().model_copy(
            update={"store_dir": store, "chroma_url": None, "database_url": None}
        )
        assistant = Assistant.from_settings(settings)
        for q in questions[:3]:
            assistant.ask(q)
        result = _percentiles(_timed(assistant.retrieve, questions), "retrieval")
        result |= _percentiles(_timed(assistant.ask, questions), "answer")
    else:
        from qa.eval.baseline import NaiveRag

        rag = NaiveRag(store)
        for q in questions[:3]:
            rag.search(q)
        result = _percentiles(_timed(rag.search, questions), "retrieval")
    return result | _memory()


def main(argv: list[str]) -> None:
    kind, store, questions_path, n = argv
    with open(questions_path, encoding="utf-8") as fh:
        questions = [json.loads(line)["question"] for line in fh if line.strip()][: int(n)]
    print(json.dumps(measure(kind, Path(store), questions)))


if __name__ == "__main__":
    main(sys.argv[1:])
