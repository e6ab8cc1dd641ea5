"""Move an embedded archive (SQLite + local Chroma) into server mode, without re-embedding.

Articles are copied in batches with their chunk rows and the very vectors the
embedded store holds, through the target's own write path (pending, vectors,
complete), so a killed migration leaves only pending rows that the next run
cleans up. Re-running resumes: an article already in the target with the same
content hash is skipped. At the end the two archives are compared by counts
and by a sample of article ids (text, chunk offsets and vectors). The source
is only read, never changed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from index.errors import ConfigError, MigrationError, ModelMismatch
from index.filters import chunk_metadata
from index.models import SearchFilter
from index.news_index import NewsIndex

Progress = Callable[[int, int], None]  # (articles done, articles total)


@dataclass
class MigrationReport:
    """What ``migrate`` copied, skipped and checked."""

    articles_copied: int = 0
    articles_skipped: int = 0  # already in the target, unchanged (a resumed run)
    chunks_copied: int = 0
    source_counts: dict[str, int] = field(default_factory=dict)
    target_counts: dict[str, int] = field(default_factory=dict)
    sampled: list[str] = field(default_factory=list)  # article ids compared in full


def migrate(
    source: NewsIndex,
    target: NewsIndex,
    batch: int = 64,
    sample: int = 20,
    progress: Progress | None = None,
) -> MigrationReport:
    """Copy every complete article of ``source`` into ``target`` and verify the copy.

    Raises:
        ConfigError: the target is not a server-mode archive.
        ModelMismatch: the target was built with another embedding model.
    """
    if not target.settings.database_url:
        raise ConfigError(
            "the migration target is not in server mode — set NEWSDESK_DATABASE_URL and "
            "NEWSDESK_CHROMA_URL (`newsdesk services up` prints both)"
        )
    model = source.catalog.get_meta("embedding_model")
    built = target.catalog.get_meta("embedding_model")
    if model and built and model != built:
        raise ModelMismatch(
            f"the server archive was built with {built!r} but {source.catalog.location} "
            f"with {model!r} — migrate into an empty database"
        )
    vectors, chunks = source.store.count(), source.stats()["chunks"]
    if vectors != chunks:
        raise MigrationError(
            f"the source store has {chunks} chunks but its Chroma collection "
            f"{source.settings.collection!r} holds {vectors} vectors — name the collection it "
            f"was built with (--from-collection, NEWSDESK_COLLECTION when it was built)"
        )
    report = MigrationReport()
    ids = sorted(source.catalog.matching_article_ids(SearchFilter()))
    signatures = dict(source.catalog.signatures())
    with target.catalog.write_lock(target.settings.lock_timeout_s):
        if model and not built:
            target.catalog.set_meta(
                {"embedding_model": model, "dimension": source.catalog.get_meta("dimension") or ""}
            )
        for start in range(0, len(ids), batch):
            _copy_batch(source, target, ids[start : start + batch], signatures, report)
            if progress:
                progress(min(start + batch, len(ids)), len(ids))
    target.catalog.refresh_statistics()  # a bulk load: searches right after it stay fast
    _verify(source, target, ids, sample, report)
    return report


def _copy_batch(
    source: NewsIndex,
    target: NewsIndex,
    ids: list[str],
    signatures: dict[str, bytes],
    report: MigrationReport,
) -> None:
    todo = []
    for article_id in ids:
        wanted = source.catalog.stored_version(article_id)
        if wanted is not None and target.catalog.stored_version(article_id) == wanted:
            report.articles_skipped += 1
        elif wanted is not None:
            todo.append((article_id, wanted.content_hash))
    if not todo:
        return
    articles = {aid: source.catalog.get_article(aid) for aid, _ in todo}
    target.catalog.mark_pending(
        [(articles[aid], digest, signatures.get(aid)) for aid, digest in todo], also=[]
    )
    vectors = source.store.vectors_of([aid for aid, _ in todo])
    for article_id, _ in todo:
        article = articles[article_id]
        chunk_ids = sorted(
            (c for c in vectors if c.rsplit(":", 1)[0] == article_id),
            key=lambda c: int(c.rsplit(":", 1)[1]),
        )
        chunks = [s.chunk for s in source.catalog.get_chunks(chunk_ids)]
        if chunks:  # subtle: an article whose text gave no chunk is stored with none
            target.store.upsert(
                [c.chunk_id for c in chunks],
                np.stack([vectors[c.chunk_id] for c in chunks]),
                [chunk_metadata(article, c) for c in chunks],
            )
        # the article keeps its story thread (None from an archive older than stories)
        target.catalog.complete(article, chunks, story=source.catalog.story_member(article_id))
        report.articles_copied += 1
        report.chunks_copied += len(chunks)


def _verify(
    source: NewsIndex, target: NewsIndex, ids: list[str], sample: int, report: MigrationReport
) -> None:
    """Counts must match, and a random sample must match in text, offsets and vectors."""
    counted = source.stats(), target.stats()
    report.source_counts, report.target_counts = (
        {k: stats[k] for k in ("articles", "chunks")} for stats in counted
    )
    report.sampled = random.Random(0).sample(ids, min(sample, len(ids)))
    problems = []
    if report.target_counts != report.source_counts:
        problems.append(f"counts differ: {report.source_counts} → {report.target_counts}")
    for article_id in report.sampled:
        a, b = source.get_article(article_id), target.get_article(article_id)
        va, vb = source.store.vectors_of([article_id]), target.store.vectors_of([article_id])
        same_chunks = [c.chunk for c in source.get_chunks(sorted(va))] == [
            c.chunk for c in target.get_chunks(sorted(va))
        ]
        same_vectors = va.keys() == vb.keys() and all(np.allclose(va[k], vb[k]) for k in va)
        if b is None or a.text != b.text or not same_chunks or not same_vectors:
            problems.append(f"article {article_id} differs")
    if problems:
        raise MigrationError(
            "the migrated archive does not match its source: "
            + "; ".join(problems[:5])
            + " — run `newsdesk migrate --to-server` again (it resumes), then check "
            "`newsdesk stats` on both"
        )
