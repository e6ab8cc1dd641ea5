"""The store's locks: one ingest (or delete) at a time, readers never wait; and one
process at a time opening (perhaps creating) the embedded catalog.

A ``filelock`` lock file next to the store, so it also works across processes
(the CLI, the UI and eval scripts may share one store). Searches take no lock:
SQLite readers see the last committed state and searches filter out articles
that are still being written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from index.errors import IndexBusy

LOCK_NAME = "ingest.lock"
OPEN_LOCK_NAME = "catalog-open.lock"
_OPEN_TIMEOUT_S = 60  # another process opening the store holds it for milliseconds


@contextmanager
def write_lock(store_dir: Path, timeout_s: float) -> Iterator[None]:
    """Hold the store's write lock, waiting up to ``timeout_s`` seconds for it.

    Raises:
        IndexBusy: another process (or thread) kept the lock for longer.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    path = store_dir / LOCK_NAME
    lock = FileLock(str(path), thread_local=False)
    try:
        lock.acquire(timeout=timeout_s)
    except Timeout as exc:
        raise IndexBusy(
            f"another ingest is writing to {store_dir} (lock {path} held for more than "
            f"{timeout_s:g} s) — wait for it to finish and retry, or raise "
            f"NEWSDESK_LOCK_TIMEOUT_S"
        ) from exc
    try:
        yield
    finally:
        lock.release()


def try_write_lock(store_dir: Path) -> FileLock | None:
    """Take the write lock only if it is free right now (for housekeeping on open)."""
    store_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(store_dir / LOCK_NAME), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    return lock


def open_lock(store_dir: Path) -> FileLock:
    """The lock held while a process opens the store's catalog (raises ``Timeout``)."""
    return FileLock(str(store_dir / OPEN_LOCK_NAME), timeout=_OPEN_TIMEOUT_S)
