"""A synthetic archive of any size built from real sentences and real chunk vectors.

Embedding a million texts would take hours on 2 cores, and replicating one
chunk's text would make every keyword equally (un)informative, so the scale
bench samples and shuffles *real* sentences into distinct articles instead:
each synthetic article is anchored on one real article (its title, outlet and a
date near its own) and draws most of its sentences from that article, in a new
order, with some from random other articles. Keyword statistics (document
frequencies, chunk lengths) stay those of real news.

No text is embedded: a synthetic chunk's vector is the mean of the real vectors
of the chunks its sentences came from, plus a little Gaussian noise,
renormalised (exact duplicates degrade HNSW). So the vectors are real-looking
but not the model's embedding of the new text, and the bench says so.

Articles are numbered and generated deterministically from ``(seed, number)``,
and written in order through the catalog and vector store the way ingest does
(pending → vectors → complete), so a build that is stopped resumes where the
complete articles end (``NewsIndex.open`` drops the half-written batch).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.filters import chunk_metadata
from index.ids import content_hash
from index.models import Article, Chunk

#: Bump when the recipe below changes: caches are keyed by it.
RECIPE = "v1"
SEED = 13
NOISE_SIGMA = 0.01  # per dimension; at 384 dimensions the noise's norm is ~0.2
OWN_SHARE = 0.8  # of a chunk's sentences that come from the anchor article
CHUNKS_PER_ARTICLE = (2, 9)  # uniform, upper bound excluded
DATE_SPREAD_DAYS = 180
WRITE_BATCH_CHUNKS = 2000
CHROMA_BATCH = 5000  # under Chroma's max batch size

NOTE = (
    "synthetic archive: real sentences of the source corpus shuffled into distinct articles; "
    "each chunk's vector is the mean of the real vectors of the chunks its sentences came "
    f"from plus Gaussian noise (sigma {NOISE_SIGMA}/dimension), renormalised — no text was "
    "embedded, so vectors are realistic but not the model's embedding of the new text"
)


@dataclass(frozen=True)
class SentencePool:
    """Every sentence of a real archive, the chunk it came from and that chunk's vector."""

    sentences: list[str]
    source_chunk: np.ndarray  # per sentence: row of ``vectors``
    by_article: list[np.ndarray]  # per anchor article: its sentence numbers
    articles: list[Article]  # anchors (metadata only is used)
    vectors: np.ndarray  # (real chunks, dimension), unit length
    chunk_sizes: np.ndarray  # sentences per real chunk: the distribution to sample
    meta: dict[str, str]  # the source index's embedding model and dimension

    @classmethod
    def from_index(cls, index: Any) -> SentencePool:
        """Read every complete article of ``index`` (a ``NewsIndex``) with its vectors."""
        ids = sorted(index.catalog.chunk_ids())
        stored = [s for i in range(0, len(ids), 5000) for s in index.get_chunks(ids[i : i + 5000])]
        article_ids = sorted({s.chunk.article_id for s in stored})
        vectors: dict[str, np.ndarray] = {}
        for i in range(0, len(article_ids), 200):
            vectors |= index.store.vectors_of(article_ids[i : i + 200])
        by_article: dict[str, list[int]] = {aid: [] for aid in article_ids}
        sentences: list[str] = []
        source_chunk: list[int] = []
        rows: list[np.ndarray] = []
        sizes: list[int] = []
        texts = {aid: index.get_article(aid) for aid in article_ids}
        for s in stored:
            if s.chunk.chunk_id not in vectors:
                continue
            row = len(rows)
            rows.append(vectors[s.chunk.chunk_id])
            sizes.append(len(s.chunk.sentences))
            text = texts[s.chunk.article_id].text
            for start, end in s.chunk.sentences:
                sentence = " ".join(text[start:end].split())
                if sentence:
                    by_article[s.chunk.article_id].append(len(sentences))
                    sentences.append(sentence)
                    source_chunk.append(row)
        anchors = [aid for aid in article_ids if by_article[aid]]
        meta = {k: index.catalog.get_meta(k) for k in ("embedding_model", "dimension")}
        return cls(
            sentences=sentences,
            source_chunk=np.array(source_chunk),
            by_article=[np.array(sorted(set(by_article[aid]))) for aid in anchors],
            articles=[texts[aid] for aid in anchors],
            vectors=np.array(rows, dtype=np.float32),
            chunk_sizes=np.array(sizes),
            meta={k: v for k, v in meta.items() if v is not None},
        )

    def key(self) -> str:
        """What the pool is, for cache keys: sentence and chunk counts."""
        return f"{len(self.articles)}a{len(self.vectors)}c{len(self.sentences)}s"


@dataclass(frozen=True)
class Synthetic:
    """One generated article with its chunks and their vectors."""

    article: Article
    chunks: list[Chunk]
    vectors: np.ndarray


def article_id(number: int) -> str:
    return f"syn-{RECIPE}-{number:07d}"


def generate(pool: SentencePool, number: int, seed: int = SEED) -> Synthetic:
    """Synthetic article ``number``: the same for the same pool, seed and number."""
    rng = np.random.default_rng([seed, number])
    anchor = int(rng.integers(len(pool.articles)))
    own = pool.by_article[anchor]
    aid = article_id(number)
    picked: list[list[int]] = []
    for _ in range(int(rng.integers(*CHUNKS_PER_ARTICLE))):
        size = max(1, int(pool.chunk_sizes[rng.integers(len(pool.chunk_sizes))]))
        from_own = rng.random(size) < OWN_SHARE
        picked.append(
            [
                int(own[rng.integers(len(own))] if mine else rng.integers(len(pool.sentences)))
                for mine in from_own
            ]
        )
    parts: list[str] = []
    chunks: list[Chunk] = []
    vectors = np.empty((len(picked), pool.vectors.shape[1]), dtype=np.float32)
    pos = 0
    for idx, numbers in enumerate(picked):
        spans = []
        for n in numbers:
            if parts:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(pool.sentences[n])))
            parts.append(pool.sentences[n])
            pos += len(pool.sentences[n])
        chunks.append(Chunk(f"{aid}:{idx}", aid, idx, spans[0][0], spans[-1][1], tuple(spans)))
        mean = pool.vectors[pool.source_chunk[numbers]].mean(axis=0)
        noisy = mean + rng.normal(0.0, NOISE_SIGMA, mean.shape)
        vectors[idx] = noisy / np.linalg.norm(noisy)
    real = pool.articles[anchor]
    article = Article(
        article_id=aid,
        title=real.title,
        text="".join(parts),
        date=_shifted(real.date, int(rng.integers(-DATE_SPREAD_DAYS, DATE_SPREAD_DAYS + 1))),
        source=real.source,
        url=f"https://synthetic.invalid/{aid}",
        sources=(real.source,) if real.source else (),
    )
    return Synthetic(article, chunks, vectors)


def _shifted(date: str | None, days: int) -> str | None:
    if not date:
        return None
    return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=days)).isoformat()


def articles_for(
    pool: SentencePool, target_chunks: int, start: int = 0, have: int = 0
) -> Iterator[Synthetic]:
    """Articles ``start``, ``start + 1``, … until ``have`` plus their chunks reach the target."""
    number = start
    while have < target_chunks:
        made = generate(pool, number)
        have += len(made.chunks)
        number += 1
        yield made


@dataclass
class BuildProgress:
    """Where a build stands; ``seconds`` counts this run only."""

    articles: int
    chunks: int
    written_chunks: int = 0
    seconds: float = 0.0

    @property
    def chunks_per_s(self) -> float:
        return self.written_chunks / self.seconds if self.seconds else 0.0


def build_index(
    index: Any,
    pool: SentencePool,
    target_chunks: int,
    progress: Callable[[BuildProgress], None] | None = None,
) -> BuildProgress:
    """Grow ``index`` (a ``NewsIndex``, either backend) to ``target_chunks`` chunks.

    Resumes after the last complete article: articles are written in number order,
    so the complete ones are always 0 … n-1.
    """
    stats = index.catalog.stats()
    state = BuildProgress(stats["articles"], stats["chunks"])
    if index.catalog.get_meta("embedding_model") is None:
        index.catalog.set_meta(pool.meta)
    started = time.perf_counter()
    batch: list[Synthetic] = []
    for made in articles_for(pool, target_chunks, state.articles, state.chunks):
        batch.append(made)
        if sum(len(b.chunks) for b in batch) >= WRITE_BATCH_CHUNKS:
            _write(index, batch, state, started, progress)
            batch = []
    _write(index, batch, state, started, progress)
    index.catalog.refresh_statistics()  # what a running server's autovacuum would have done
    return state


def _write(index: Any, batch: list[Synthetic], state: BuildProgress, started, progress) -> None:
    """The ingest pipeline's commit steps for already embedded articles, under the lock."""
    if not batch:
        return
    with index.catalog.write_lock(index.settings.lock_timeout_s):
        index.catalog.mark_pending([(b.article, content_hash(b.article), None) for b in batch], [])
        ids = [c.chunk_id for b in batch for c in b.chunks]
        vectors = np.concatenate([b.vectors for b in batch])
        metas = [chunk_metadata(b.article, c) for b in batch for c in b.chunks]
        for s in range(0, len(ids), CHROMA_BATCH):
            index.store.upsert(
                ids[s : s + CHROMA_BATCH],
                vectors[s : s + CHROMA_BATCH],
                metas[s : s + CHROMA_BATCH],
            )
        for b in batch:
            index.catalog.complete(b.article, b.chunks)
    state.articles += len(batch)
    state.chunks += len(ids)
    state.written_chunks += len(ids)
    state.seconds = time.perf_counter() - started
    if progress:
        progress(state)


def build_langchain(rag: Any, pool: SentencePool, target_chunks: int) -> int:
    """The same synthetic chunks (text and vector) in the naive pipeline's store
    (``qa.eval.baseline.NaiveRag``); resumable, as upserts of whole articles."""
    have = rag.count()
    done, ids, vectors, texts, metas = 0, [], [], [], []
    for made in articles_for(pool, target_chunks):
        done += len(made.chunks)
        if done <= have:
            continue  # written by an earlier run
        a = made.article
        for c, v in zip(made.chunks, made.vectors, strict=True):
            ids.append(c.chunk_id)
            vectors.append(v)
            texts.append(f"{a.title}\n\n{a.text[c.start : c.end]}")
            metas.append(
                {k: getattr(a, k) for k in ("title", "date", "source", "url") if getattr(a, k)}
            )
        if len(ids) >= CHROMA_BATCH:
            rag.add_vectors(ids, np.array(vectors), texts, metas)
            ids, vectors, texts, metas = [], [], [], []
    if ids:
        rag.add_vectors(ids, np.array(vectors), texts, metas)
    return rag.count()
