"""The scale bench's archives: built once per size and mode, reused across runs.

``<store_dir>/scale-cache/<recipe>-<pool>-<size>/`` holds, for one size, the
synthetic archive (``qa.eval.synthetic``) three ways: ``embedded/`` (SQLite +
embedded Chroma), ``server/`` (a ``newsdesk services`` folder: PostgreSQL +
``chroma run``) and ``langchain/`` (the naive pipeline's Chroma folder, same
chunk texts and vectors). ``<mode>.json`` beside them records how far each
build got and how long it took; a build that was stopped resumes.

The source of real sentences and vectors is an embedded newsdesk store of the
RealTimeQA 2023-Q1 corpus (``scale-cache/source``, ingested on first use).

Run as ``python -m qa.eval.scale build --size N --mode embedded|server|langchain``
to build (or finish) one archive, or as ``python -m qa.eval.scale measure KIND
STORE QUESTIONS N``: a worker that times N questions against one store (server
mode: NEWSDESK_DATABASE_URL / NEWSDESK_CHROMA_URL in its environment) and prints
one JSON line.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import numpy as np

from index.settings import Settings
from qa.eval.synthetic import RECIPE, BuildProgress, SentencePool

MODES = ("embedded", "server", "langchain")
BUILD_TIMEOUT_S = 600.0
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "realtimeqa-2023q1"


def label(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def embedded_settings(settings: Settings, store: Path) -> Settings:
    return settings.model_copy(
        update={"store_dir": store, "chroma_url": None, "database_url": None}
    )


def source_pool(settings: Settings, corpus: Path = CORPUS / "corpus.jsonl") -> SentencePool:
    """The real sentences and vectors: an embedded store of ``corpus``, ingested once."""
    from index import NewsIndex

    store = Path(settings.store_dir) / "scale-cache" / "source"
    mb = corpus.stat().st_size / 2**20
    src = embedded_settings(settings, store).model_copy(
        update={"max_file_mb": max(settings.max_file_mb, mb + 1)}
    )
    with NewsIndex.open(src) as index:
        if not (store / "complete.json").is_file():
            report = index.ingest([corpus])
            (store / "complete.json").write_text(json.dumps(report.to_dict(), default=str))
        return SentencePool.from_index(index)


class ScaleCache:
    """One size's folder of archives and build records."""

    def __init__(self, settings: Settings, pool: SentencePool, size: int) -> None:
        self.settings = settings
        self.pool = pool
        self.size = size
        root = Path(settings.store_dir).resolve() / "scale-cache"
        self.folder = root / f"{RECIPE}-{pool.key()}-{label(size)}"
        self.folder.mkdir(parents=True, exist_ok=True)

    def record(self, mode: str) -> dict[str, Any]:
        path = self.folder / f"{mode}.json"
        return json.loads(path.read_text()) if path.is_file() else {}

    def _save(self, mode: str, record: dict[str, Any]) -> None:
        (self.folder / f"{mode}.json").write_text(json.dumps(record, indent=1))

    def _tracker(self, mode: str) -> Callable[[BuildProgress], None]:
        """Save the record after every batch, adding this run's seconds to earlier runs'."""
        before = self.record(mode).get("seconds", 0.0)

        def save(state: BuildProgress) -> None:
            self._save(
                mode,
                {
                    "chunks": state.chunks,
                    "articles": state.articles,
                    "seconds": round(before + state.seconds, 1),
                    "chunks_per_s_this_run": round(state.chunks_per_s, 1),
                    "complete": state.chunks >= self.size,
                },
            )

        return save

    def embedded(self, log: Callable[[str], None] = print) -> Settings:
        """Settings of the embedded archive, built (or finished) first."""
        from index import NewsIndex
        from qa.eval.synthetic import build_index

        settings = embedded_settings(self.settings, self.folder / "embedded")
        if not self.record("embedded").get("complete"):
            with NewsIndex.open(settings) as index:
                build_index(index, self.pool, self.size, _logged(self._tracker("embedded"), log))
        return settings

    @contextmanager
    def server(self, log: Callable[[str], None] = print) -> Iterator[Settings]:
        """Start this size's PostgreSQL + Chroma pair, build (or finish) the archive on
        it, and yield server-mode settings; the servers stop afterwards."""
        from index import NewsIndex
        from index.services import LocalServices
        from qa.eval.synthetic import build_index

        folder = self.folder / "server"
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)  # the postgres system user runs the cluster when we are root
        services = LocalServices(folder)
        state = services.up()
        try:
            settings = self.settings.model_copy(
                update={"database_url": state.database_url, "chroma_url": state.chroma_url}
            )
            if not self.record("server").get("complete"):
                # A bulk write on a busy machine: patient timeouts for the build only.
                patient = settings.model_copy(
                    update={
                        "chroma_timeout_s": BUILD_TIMEOUT_S,
                        "database_timeout_s": BUILD_TIMEOUT_S,
                    }
                )
                with NewsIndex.open(patient) as index:
                    build_index(index, self.pool, self.size, _logged(self._tracker("server"), log))
            yield settings
        finally:
            services.down()

    def langchain(self) -> Path:
        """The naive pipeline's store of the same chunks, built (or finished) first."""
        from qa.eval.baseline import NaiveRag
        from qa.eval.synthetic import build_langchain

        path = self.folder / "langchain"
        if not self.record("langchain").get("complete"):
            t0 = time.perf_counter()
            before = self.record("langchain").get("seconds", 0.0)
            count = build_langchain(
                NaiveRag(path, embeddings=_NoEmbeddings()), self.pool, self.size
            )
            self._save(
                "langchain",
                {
                    "chunks": count,
                    "seconds": round(before + time.perf_counter() - t0, 1),
                    "complete": count >= self.size,
                },
            )
        return path


def _logged(save: Callable[[BuildProgress], None], log: Callable[[str], None]):
    last = [0.0]

    def both(state: BuildProgress) -> None:
        save(state)
        if time.monotonic() - last[0] > 30:
            last[0] = time.monotonic()
            log(f"  {state.chunks} chunks, {state.chunks_per_s:.0f} chunks/s this run")

    return both


class _NoEmbeddings:
    """Stands in for the model while storing synthetic vectors (nothing gets embedded)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise RuntimeError("the synthetic archive must not embed text")

    embed_query = embed_documents


# --- measuring, in a fresh worker process ---------------------------------------------
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


def measure(
    kind: str, store: Path, questions: list[str], answers: bool = True, warm: Sequence[str] = ()
) -> dict[str, float]:
    """Latency percentiles and memory of one store, in this process, after a warm-up on
    the ``warm`` questions (others than the timed ones, so that a timed question finds a
    running server's caches warm, as in service, but not its own answer cached).

    newsdesk: the default retrieval path (``Assistant.retrieve``: dense + keyword,
    fused, reranked; no answering), its parts (query embedding, Chroma, keyword
    search, chunk fetch) and, with ``answers``, whole answers.
    """
    if kind == "newsdesk":
        from qa import Assistant

        settings = Settings().model_copy(update={"store_dir": store})
        assistant = Assistant.from_settings(settings)
        index = assistant.index
        for q in warm:
            assistant.retrieve(q)
        result = _percentiles(_timed(assistant.retrieve, questions), "retrieval")
        vectors = {q: index.embedder.encode([q])[0] for q in questions}
        result |= _percentiles(_timed(lambda q: index.embedder.encode([q]), questions), "embed")
        result |= _percentiles(
            _timed(lambda q: index.dense_search(vectors[q], 30), questions), "dense"
        )
        # The keyword searcher as retrieval calls it: content words only (qa.retrieval.keyword).
        keyword = next(x for x in assistant.retriever.searchers if x.name == "keyword")
        result |= _percentiles(_timed(lambda q: keyword.search(q, 30), questions), "keyword")
        if answers:
            assistant.ask(questions[0])
            result |= _percentiles(_timed(assistant.ask, questions), "answer")
    else:
        from qa.eval.baseline import NaiveRag

        rag = NaiveRag(store)
        for q in warm:
            rag.search(q)
        result = _percentiles(_timed(rag.search, questions), "retrieval")
    return result | _memory()


@click.group()
def main() -> None:
    """Build the scale archives, or time one of them."""


@main.command()
@click.option("--size", type=int, required=True, help="Chunks in the archive.")
@click.option("--mode", type=click.Choice(MODES), required=True)
def build(size: int, mode: str) -> None:
    """Build (or finish, after a stop) one size's archive in one mode."""
    settings = Settings()
    cache = ScaleCache(settings, source_pool(settings), size)
    if mode == "embedded":
        cache.embedded()
    elif mode == "server":
        with cache.server():
            pass
    else:
        cache.langchain()
    print(json.dumps(cache.record(mode)))


@main.command("measure")
@click.argument("kind", type=click.Choice(["newsdesk", "langchain"]))
@click.argument("store", type=click.Path(path_type=Path))
@click.argument("questions_path", type=click.Path(exists=True, path_type=Path))
@click.argument("n", type=int)
@click.option("--no-answers", is_flag=True, help="Time retrieval only.")
@click.option(
    "--warm-up",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Questions asked untimed first (the ones after the timed N in the file).",
)
def measure_command(
    kind: str, store: Path, questions_path: Path, n: int, no_answers: bool, warm_up: int
) -> None:
    """Time N questions against one store and print one JSON line."""
    with questions_path.open(encoding="utf-8") as fh:
        questions = [json.loads(line)["question"] for line in fh if line.strip()]
    timed, warm = questions[:n], questions[n : n + warm_up]
    print(json.dumps(measure(kind, store, timed, answers=not no_answers, warm=warm)))


if __name__ == "__main__":
    main()
