"""Shared fixtures: every test gets its own store folder and never touches user data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any model import: no hub, no telemetry, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def session_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One per-run cache folder for the exported ONNX embedder (tests and the CLI
    subprocesses they start): exported once per test run, never into ~/.cache."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(autouse=True)
def isolated_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point NEWSDESK_STORE_DIR at tmp_path and run from there (no stray .env)."""
    store = tmp_path / "store"
    monkeypatch.setenv("NEWSDESK_STORE_DIR", str(store))
    monkeypatch.delenv("NEWSDESK_CHROMA_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    return store
