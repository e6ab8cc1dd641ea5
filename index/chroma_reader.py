"""Nearest-neighbour reads of the embedded Chroma store through chromadb's Rust core alone.

Why: every ``newsdesk ask`` is a fresh process, and ``import chromadb`` plus
``PersistentClient`` cost ~1.2 CPU-s of it (the package builds its whole client
stack, telemetry, auth and pydantic models, and checks every ``@override``
signature as it imports), while the query itself is answered by
``chromadb_rust_bindings``, which loads in ~0.05 s. A question only needs that
query, so ``ChromaStore`` reads through this module until something else is
asked of it (a write, a count), and only then opens chromadb's client.

What it deliberately does not do: write, create a store or a collection, or run
schema migrations (it only validates them). When the store is not there yet, is
not at the schema this chromadb expects, or the bindings do not look as below,
``open_reader`` returns None and the caller uses chromadb's client as before.

subtle: ``chromadb_rust_bindings`` is what chromadb's own embedded client calls
(``chromadb.api.rust.RustBindingsAPI``, chromadb 1.5); its signatures are not
public API, so tests/index/test_chroma_reader.py compares every read with the
client's and fails on a chromadb upgrade that moves them.
"""

from __future__ import annotations

import json
import logging
import resource
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: chromadb's defaults (chromadb.config.DEFAULT_TENANT / DEFAULT_DATABASE); ChromaStore
#: never names others.
TENANT = "default_tenant"
DATABASE = "default_database"
#: The schema file inside a persistent Chroma folder.
SQLITE_FILE = "chroma.sqlite3"


class EmbeddedReader:
    """Query one collection of an embedded Chroma folder, read-only."""

    def __init__(self, bindings: object, collection_id: str, location: Path) -> None:
        self._bindings = bindings  # chromadb_rust_bindings.Bindings
        self._collection_id = collection_id
        self.location = location

    def query(self, vector: np.ndarray, k: int, where: dict | None) -> list[tuple[str, float]]:
        """(chunk_id, cosine distance) of the ``k`` nearest vectors, nearest first."""
        found = self._bindings.query(
            self._collection_id,
            None,  # no id restriction
            [np.asarray(vector, dtype=np.float32)],
            k,
            json.dumps(where) if where else None,
            None,  # no document filter
            ["distances"],
            TENANT,
            DATABASE,
        )
        return list(zip(found.ids[0], found.distances[0], strict=True))


def open_reader(location: Path, collection: str) -> EmbeddedReader | None:
    """A reader of ``collection`` in the Chroma folder ``location``, or None when only
    chromadb's client can open it (no store or collection yet, another schema, other
    bindings); the reason is logged at debug level."""
    sqlite = location / SQLITE_FILE
    if not sqlite.is_file():
        return None
    try:
        import chromadb_rust_bindings as rust

        config = rust.SqliteDBConfig(
            hash_type=rust.MigrationHash.MD5,  # chromadb's default migrations_hash_algorithm
            migration_mode=rust.MigrationMode.Validate,
            url=str(sqlite),
        )
        bindings = rust.Bindings(
            allow_reset=False,
            sqlite_db_config=config,
            persist_path=str(location),
            # as chromadb sizes it: each HNSW index holds 5 files open
            hnsw_cache_size=resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 5,
        )
        found = bindings.get_collection(collection, TENANT, DATABASE)
        space = (found.configuration or {}).get("hnsw", {}).get("space")
    except Exception as exc:  # noqa: BLE001 - any mismatch: chromadb's client decides
        log.debug("Chroma at %s opens through chromadb's client: %s", location, exc)
        return None
    if space != "cosine":
        log.debug("collection %r in %s is not in cosine space (%s)", collection, location, space)
        return None
    return EmbeddedReader(bindings, str(found.id), location)
