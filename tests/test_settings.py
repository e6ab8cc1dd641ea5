"""The settings file users copy must document every setting, and only real ones."""

from __future__ import annotations

import re

import pytest

from index.errors import ConfigError
from index.settings import Settings

from .conftest import REPO


def _documented_names() -> set[str]:
    text = (REPO / ".env.example").read_text()
    return set(re.findall(r"^#?\s*(NEWSDESK_[A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_setting() -> None:
    expected = {f"NEWSDESK_{name.upper()}" for name in Settings.model_fields}
    assert _documented_names() == expected


def test_env_example_defaults_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Uncommented values in .env.example are valid and equal to the defaults."""
    text = (REPO / ".env.example").read_text()
    for name, value in re.findall(r"^(NEWSDESK_[A-Z0-9_]+)=(.*)$", text, flags=re.MULTILINE):
        monkeypatch.setenv(name, value)
    defaults = Settings.model_construct()
    loaded = Settings()
    for field in Settings.model_fields:
        assert str(getattr(loaded, field)) == str(getattr(defaults, field)), field


def test_bad_setting_is_a_clear_cli_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.cli import AppContext

    monkeypatch.setenv("NEWSDESK_ANSWERER", "telepathy")
    with pytest.raises(ConfigError, match="NEWSDESK_"):
        _ = AppContext().settings


def test_a_dedup_threshold_of_one_is_refused_before_any_ingest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qa.cli import AppContext

    monkeypatch.setenv("NEWSDESK_DEDUP_THRESHOLD", "1.0")  # MinHash LSH cannot band it
    with pytest.raises(ConfigError, match="dedup_threshold"):
        _ = AppContext().settings
