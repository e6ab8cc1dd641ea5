"""The vector side of the store: one Chroma collection of chunk embeddings.

Embedded (``PersistentClient`` in ``store_dir/chroma``) by default, or a
``chroma run`` server when ``settings.chroma_url`` is set. We always pass our
own embeddings and never let Chroma embed anything (its default embedding
function would try to download a model). Chunk ids are deterministic, so
writing the same chunk twice is an overwrite, never a duplicate. This module
does not know which articles are complete: the catalog decides that.

An embedded store is read through ``index.chroma_reader`` (chromadb's Rust core
without its Python client) until anything but a query is asked; then chromadb's
client is opened, and serves every later call, so reads see this process's writes.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from typing import Any
from urllib.parse import urlparse

import numpy as np
from filelock import FileLock

from index.chroma_reader import EmbeddedReader, open_reader
from index.errors import StoreUnavailable
from index.settings import Settings

# Chroma's own defaults would otherwise phone home.
_TELEMETRY_OFF = {"anonymized_telemetry": False}


def _start_hint(url: str) -> str:
    return (
        f"start it with `make chroma` or `newsdesk chroma --port {urlparse(url).port or 8000}`, "
        f"or unset NEWSDESK_CHROMA_URL to use the embedded store"
    )


class ChromaStore:
    """Upsert, delete and query chunk vectors in one cosine-space collection."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.location = settings.chroma_url or str(settings.store_dir / "chroma")
        self._lock = threading.RLock()  # reopen must not pull the collection from under a query
        self._reader: EmbeddedReader | None = self._open_reader()
        # (client, collection) of chromadb, opened on first need when there is a reader
        self._opened: tuple[Any, Any] | None = None if self._reader else self._open()

    def _open_reader(self) -> EmbeddedReader | None:
        if self.settings.chroma_url:
            return None
        return open_reader(self.settings.store_dir / "chroma", self.settings.collection)

    @property
    def _collection(self) -> Any:
        """chromadb's collection, opening its client on first need (a question never needs it)."""
        with self._lock:
            if self._opened is None:
                self._opened = self._open()
                self._reader = None
            return self._opened[1]

    def _open(self) -> tuple[Any, Any]:
        client = self._connect(self.settings)
        try:
            collection = client.get_or_create_collection(
                name=self.settings.collection,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        except Exception as exc:
            client.close()
            raise self._unavailable(exc) from exc
        return client, collection

    def reopen(self) -> None:
        """Re-read the store after another process wrote to it.

        subtle: an embedded Chroma client keeps its vector index in memory and
        never sees vectors added by other processes until it is reopened.
        """
        with self._lock:
            if self._opened is None:
                self._reader = self._open_reader()
                if self._reader is not None:
                    return
            else:
                self._opened[0].close()
            self._opened = self._open()

    def close(self) -> None:
        with self._lock:
            self._reader = None
            if self._opened is not None:
                self._opened[0].close()

    def _connect(self, settings: Settings) -> Any:
        import chromadb

        chroma_settings = chromadb.Settings(**_TELEMETRY_OFF)
        if not settings.chroma_url:
            path = settings.store_dir / "chroma"
            try:
                path.mkdir(parents=True, exist_ok=True)
                # subtle: two processes opening a fresh store at once both run Chroma's
                # schema migrations, and the second fails with "table collections already
                # exists"; opening one at a time lets the second find the schema made
                with FileLock(str(path / ".open.lock"), timeout=max(settings.lock_timeout_s, 1)):
                    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            except Exception as exc:
                raise StoreUnavailable(
                    f"cannot open the embedded Chroma store at {path}: {exc} — check that the "
                    f"folder is writable, or point NEWSDESK_STORE_DIR elsewhere"
                ) from exc
        return self._connect_server(settings.chroma_url, settings.chroma_timeout_s, chroma_settings)

    @staticmethod
    def _connect_server(url: str, timeout_s: float, chroma_settings: Any) -> Any:
        """Connect to a ``chroma run`` server, retrying briefly, giving up after ``timeout_s``.

        subtle: chromadb's HTTP client has no timeout, so the server is first probed
        with one, and every later request gets one too (``_bound_requests``); a dead
        or hung server never blocks us past ``timeout_s``.
        """
        import chromadb

        parsed = urlparse(url if "://" in url else f"http://{url}")
        if not parsed.hostname:
            raise StoreUnavailable(f"NEWSDESK_CHROMA_URL={url!r} is not an http://host:port URL")
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        heartbeat = f"{parsed.scheme}://{parsed.hostname}:{port}/api/v2/heartbeat"
        deadline = time.monotonic() + timeout_s
        delay = 0.2
        while True:
            try:
                remaining = max(deadline - time.monotonic(), 0.1)
                with urllib.request.urlopen(heartbeat, timeout=remaining):
                    pass
                client = chromadb.HttpClient(
                    host=parsed.hostname,
                    port=port,
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
                _bound_requests(client, timeout_s)
                return client
            except Exception as exc:
                if time.monotonic() + delay >= deadline:
                    raise StoreUnavailable(
                        f"the Chroma server at {url} is not answering "
                        f"({type(exc).__name__}: {exc}) — {_start_hint(url)}"
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        if self.settings.chroma_url:
            return StoreUnavailable(
                f"the Chroma server at {self.location} failed: {exc} — {_start_hint(self.location)}"
            )
        return StoreUnavailable(f"the Chroma store at {self.location} failed: {exc}")

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict]) -> None:
        """Write vectors under deterministic ids (re-writing an id overwrites it)."""
        if not ids:
            return
        try:
            with self._lock:
                self._collection.upsert(ids=ids, embeddings=vectors, metadatas=metadatas)
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def delete_articles(self, article_ids: list[str]) -> None:
        """Remove every vector of these articles (whatever chunk ids they had)."""
        if not article_ids:
            return
        where = (
            {"article_id": article_ids[0]}
            if len(article_ids) == 1
            else {"article_id": {"$in": list(article_ids)}}
        )
        try:
            with self._lock:
                self._collection.delete(where=where)
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def query(self, vector: np.ndarray, k: int, where: dict | None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the ``k`` nearest vectors, best first."""
        if k <= 0:
            return []
        try:
            with self._lock:
                if self._reader is not None:
                    nearest = self._reader.query(vector, k, where)
                else:
                    found = self._collection.query(
                        query_embeddings=[np.asarray(vector, dtype=np.float32)],
                        n_results=k,
                        where=where,
                        include=["distances"],
                    )
                    nearest = list(zip(found["ids"][0], found["distances"][0]))
        except Exception as exc:
            raise self._unavailable(exc) from exc
        return [(cid, 1.0 - float(d)) for cid, d in nearest]

    def vectors_of(self, article_ids: list[str]) -> dict[str, np.ndarray]:
        """{chunk_id: vector} of every chunk of these articles (for moving an archive)."""
        if not article_ids:
            return {}
        try:
            with self._lock:
                found = self._collection.get(
                    where={"article_id": {"$in": list(article_ids)}}, include=["embeddings"]
                )
        except Exception as exc:
            raise self._unavailable(exc) from exc
        return {
            cid: np.asarray(v, dtype=np.float32)
            for cid, v in zip(found["ids"], found["embeddings"])
        }

    def count(self) -> int:
        try:
            with self._lock:
                return int(self._collection.count())
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def ids(self) -> set[str]:
        """Every stored chunk id (for consistency checks; reads the whole collection)."""
        try:
            with self._lock:
                return set(self._collection.get(include=[])["ids"])
        except Exception as exc:
            raise self._unavailable(exc) from exc


def _bound_requests(client: Any, timeout_s: float) -> None:
    """Give every request of a chromadb ``HttpClient`` a timeout.

    subtle: chromadb 1.5 builds its httpx session with ``timeout=None`` and offers no
    setting for it, so a server that stops answering mid-question would hang us
    forever. The session is private API; if it moves, fail loudly in tests rather
    than silently losing the bound.
    """
    import httpx

    session = client._server._session  # chromadb.api.fastapi.FastAPI's httpx.Client
    session.timeout = httpx.Timeout(timeout_s)
