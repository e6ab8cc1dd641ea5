"""Shared fixtures: every test gets its own store folder and never touches user data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any model import: no hub, no telemetry, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point NEWSDESK_STORE_DIR at tmp_path and run from there (no stray .env)."""
    store = tmp_path / "store"
    monkeypatch.setenv("NEWSDESK_STORE_DIR", str(store))
    monkeypatch.delenv("NEWSDESK_CHROMA_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    return store
