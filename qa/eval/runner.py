"""Run a dataset through newsdesk (and the naive baseline) and score every answer.

A folder dataset (or a question file given a ``corpus``) is indexed into its
own store, keyed by the corpus hash and the settings that shape an index, so a
re-run reuses it; a plain question file is asked against the current index.
This module produces results; ``report.py`` writes them out and ``cli.py``
shows progress.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import DatasetError
from index.models import SearchFilter
from index.settings import Settings
from qa.eval.dataset import Dataset, Question
from qa.eval.metrics import Outcome, Score, aggregate, by_type, score

ProgressFn = Callable[[str, int, int], None]  # (stage label, done, total)
RETRIEVAL_DEPTH = 10  # passages scored for hit@10 / MRR@10


@dataclass(frozen=True)
class Row:
    """One question's outcome and score for one system."""

    question: Question
    outcome: Outcome
    score: Score
    citations: tuple[str, ...]  # "[n] title: quote", for the per-question CSV


@dataclass
class SystemRun:
    """Every row of one system over a dataset, with what its ingestion did."""

    name: str
    rows: list[Row] = field(default_factory=list)
    ingest: dict[str, Any] | None = None

    def metrics(self) -> dict[str, Any]:
        return aggregate([r.score for r in self.rows])

    def by_type(self) -> dict[str, dict[str, Any]]:
        return by_type([r.question.kind for r in self.rows], [r.score for r in self.rows])


@dataclass
class EvalResult:
    """A dataset's newsdesk run, its baseline run (None when skipped) and where they ran."""

    dataset: Dataset
    newsdesk: SystemRun
    baseline: SystemRun | None
    store: str  # the newsdesk store that answered
    answerer: str
    notes: list[str] = field(default_factory=list)
    #: The reader's training cutoff: questions asked on or after it are about text
    #: it never read (reported apart as "unseen"). None when unknown.
    reader_cutoff: str | None = None

    def unseen(self) -> dict[str, Any] | None:
        """newsdesk metrics over the questions asked on or after ``reader_cutoff``."""
        if not self.reader_cutoff:
            return None
        cutoff = dt.date.fromisoformat(self.reader_cutoff)
        rows = [r for r in self.newsdesk.rows if r.question.as_of and r.question.as_of >= cutoff]
        return {"since": self.reader_cutoff, **aggregate([r.score for r in rows])} if rows else None

    def to_dict(self) -> dict[str, Any]:
        """metrics.json / ``--json``: newsdesk metrics at the top, the baseline's beside them."""
        return {
            "dataset": self.dataset.name,
            "path": str(self.dataset.path),
            "answerer": self.answerer,
            "store": self.store,
            **self.newsdesk.metrics(),
            "by_type": self.newsdesk.by_type(),
            "ingest": self.newsdesk.ingest,
            "baseline": None
            if self.baseline is None
            else {
                **self.baseline.metrics(),
                "by_type": self.baseline.by_type(),
                "ingest": self.baseline.ingest,
            },
            "notes": list(self.notes),
            "unseen": self.unseen(),
        }


def cache_dir(settings: Settings, dataset: Dataset) -> Path:
    """``<store_dir>/eval-cache/<name>-<key>``: key = corpus hash + settings that shape an index.

    The embedding backend is part of the key (as resolved: ``auto`` is torch or
    onnx-int8), so torch and onnx-int8 evals each build and score their own index.
    """
    from index.onnx_embedding import resolve_backend

    digest = hashlib.sha256(
        "|".join(
            [
                dataset.corpus_hash() or "",
                settings.embedding_model,
                resolve_backend(settings.embedding_backend, settings.embedding_model),
                str(settings.chunk_tokens),
                str(settings.chunk_overlap_sentences),
                f"boilerplate={settings.boilerplate}/{settings.boilerplate_min_articles}",
            ]
        ).encode()
    ).hexdigest()[:12]
    return Path(settings.store_dir) / "eval-cache" / f"{dataset.name}-{digest}"


def filters_for(question: Question) -> SearchFilter | None:
    """The question's ``as_of`` becomes an upper date bound: no peeking at later news."""
    return SearchFilter(until=question.as_of.isoformat()) if question.as_of else None


def ask_newsdesk(assistant: Any, question: Question) -> tuple[Outcome, tuple[str, ...]]:
    """Time ``assistant.ask``; then fetch 10 passages (untimed) for hit@10 / MRR@10."""
    flt = filters_for(question)
    started = time.perf_counter()
    answer = assistant.ask(question.question, filters=flt)
    latency = (time.perf_counter() - started) * 1000
    retrieved = assistant.retrieve(question.question, k=RETRIEVAL_DEPTH, filters=flt)
    outcome = Outcome(
        answer=answer.text,
        short=answer.short,
        refused=answer.refused,
        quotes=tuple(c.quote for c in answer.citations),
        retrieved=tuple(p.text for p in retrieved),
        latency_ms=latency,
        confidence=answer.confidence,
    )
    cites = tuple(f"[{c.n}] {c.title}: {c.quote}" for c in answer.citations)
    return outcome, cites


def ask_baseline(rag: Any, question: Question) -> tuple[Outcome, tuple[str, ...]]:
    """Top-4 search, timed; its answer (and short answer) is the top chunk's text."""
    started = time.perf_counter()
    chunks = rag.search(question.question)
    latency = (time.perf_counter() - started) * 1000
    top = chunks[0] if chunks else ""
    outcome = Outcome(
        answer=top,
        short=top,
        refused=False,
        quotes=tuple(chunks),
        retrieved=tuple(rag.search(question.question, k=RETRIEVAL_DEPTH)),
        latency_ms=latency,
    )
    return outcome, tuple(f"[{i}] {text}" for i, text in enumerate(chunks, 1))


def run_system(
    run: SystemRun,
    ask: Callable[[Question], tuple[Outcome, tuple[str, ...]]],
    questions: Sequence[Question],
    progress: ProgressFn | None = None,
) -> SystemRun:
    """Ask every question, scoring as it goes."""
    for i, q in enumerate(questions, start=1):
        outcome, cites = ask(q)
        run.rows.append(
            Row(q, outcome, score(q.answers, q.evidence, q.answerable, outcome, q.items), cites)
        )
        if progress:
            progress(f"ask {run.name}", i, len(questions))
    return run


def run_eval(
    dataset: Dataset,
    settings: Settings,
    *,
    answerer: str | None = None,
    baseline: bool = True,
    progress: ProgressFn | None = None,
) -> EvalResult:
    """Index the corpus if there is one, run newsdesk and the baseline, and score both."""
    from qa import Assistant

    load_start = os.getloadavg()
    notes: list[str] = []
    if answerer:
        settings = settings.model_copy(update={"answerer": answerer})
    cache = cache_dir(settings, dataset) if dataset.corpus else None
    if cache is not None and dataset.corpus is not None:
        # Embedded store of its own, even when the user's index lives on a Chroma server;
        # an eval corpus is one trusted file that may exceed the per-file size limit.
        corpus_mb = dataset.corpus.stat().st_size / 2**20 if dataset.corpus.is_file() else 0.0
        settings = settings.model_copy(
            update={
                "store_dir": cache / "newsdesk",
                "chroma_url": None,
                "database_url": None,
                "max_file_mb": max(settings.max_file_mb, corpus_mb + 1),
            }
        )
    assistant = Assistant.from_settings(settings)
    newsdesk = SystemRun("newsdesk")
    if dataset.corpus is not None:
        report = assistant.ingest([dataset.corpus], progress=_stage(progress, "ingest newsdesk"))
        newsdesk.ingest = report.to_dict()
        if report.errors and not assistant.index.stats().get("articles"):
            raise DatasetError(
                f"{dataset.corpus}: no article could be ingested — {report.errors[0].message}"
            )
    run_system(newsdesk, lambda q: ask_newsdesk(assistant, q), dataset.questions, progress)

    base_run = None
    if baseline and cache is not None and dataset.corpus is not None:
        from qa.eval.baseline import open_baseline

        rag, info = open_baseline(
            cache / "baseline", dataset.corpus, progress=_stage(progress, "ingest baseline")
        )
        base_run = SystemRun("baseline", ingest=dict(info.__dict__))
        run_system(base_run, lambda q: ask_baseline(rag, q), dataset.questions, progress)
    elif baseline:
        notes.append("baseline skipped: a plain question file has no corpus (pass --corpus)")
    if any(q.as_of for q in dataset.questions):
        notes.append("newsdesk searched with until=as_of; the naive baseline has no date filter")
    load = ", ".join(f"{a:.1f}→{b:.1f}" for a, b in zip(load_start, os.getloadavg(), strict=True))
    notes.append(f"machine load average (1/5/15 min, start→end): {load}; latency depends on it")
    store = settings.chroma_url or str(settings.store_dir)
    # The reader gives every extractive answer its confidence and reads alone for "reader"
    cutoff = reader_cutoff(settings) if settings.answerer in ("extractive", "reader") else None
    return EvalResult(dataset, newsdesk, base_run, store, settings.answerer, notes, cutoff)


def reader_cutoff(settings: Settings) -> str | None:
    """The date before which the configured reader's training articles were dated."""
    from qa.reading import load_reader

    return load_reader(settings).meta.get("train_before")


def _stage(progress: ProgressFn | None, label: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(label, done, total)
