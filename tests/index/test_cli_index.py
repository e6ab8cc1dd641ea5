"""The store commands as a user runs them: the installed ``newsdesk`` console script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from index import NewsIndex
from index.locking import write_lock
from tests.index.conftest import SEED, VENV_BIN, write_corpus_folder

NEWSDESK = str(VENV_BIN / "newsdesk")


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NEWSDESK, *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


def test_ingest_reingest_stats_delete_round_trip(tmp_path: Path) -> None:
    folder = write_corpus_folder(tmp_path / "news", 3)
    first = run("ingest", str(folder), "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    for key in (
        "articles_added",
        "articles_updated",
        "articles_unchanged",
        "duplicates",
        "chunks_added",
        "errors",
        "seconds",
    ):
        assert key in report
    assert report["articles_added"] + report["duplicates"] == 3 and report["errors"] == []

    (folder / "broken.json").write_text("[1, 2", encoding="utf-8")
    again = run("ingest", str(folder), str(tmp_path / "missing.md"))
    assert again.returncode == 1
    assert "0 added" in again.stdout and "0 chunks added" in again.stdout
    assert "Traceback" not in again.stderr
    err_lines = again.stderr.strip().splitlines()
    assert len(err_lines) == 2
    assert err_lines[0].startswith(str(folder / "broken.json") + ": ")
    assert err_lines[1].startswith(str(tmp_path / "missing.md") + ": ")

    stats = json.loads(run("stats", "--json").stdout)
    assert stats["articles"] == report["articles_added"]
    assert stats["chunks"] == report["chunks_added"]
    assert stats["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert "articles:" in run("stats").stdout

    deleted = run("delete", str(folder / "article_000.json"), "nothing-like-this", "--json")
    assert deleted.returncode == 1  # one REF matched nothing
    assert json.loads(deleted.stdout) == {
        str(folder / "article_000.json"): 1,
        "nothing-like-this": 0,
    }


def test_busy_index_and_model_mismatch_are_clean_errors(tmp_path: Path, isolated_store) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Headline\nThe council approved the budget on Monday.\n", encoding="utf-8")
    with write_lock(isolated_store, timeout_s=0):
        busy = run("ingest", str(story), NEWSDESK_LOCK_TIMEOUT_S="0")
    assert busy.returncode == 6
    assert "another ingest" in busy.stderr and "Traceback" not in busy.stderr

    assert run("ingest", str(story)).returncode == 0
    other = run("stats", NEWSDESK_EMBEDDING_MODEL="some-org/other-model")
    assert other.returncode == 4
    assert "other-model" in other.stderr and "Traceback" not in other.stderr


def test_an_open_index_sees_what_another_process_ingested(settings, embedder) -> None:
    """Like the chat UI (index held open) while `newsdesk ingest` runs in a terminal."""
    with NewsIndex.open(settings, embedder=embedder) as index:
        question = "Who guards the base near Qamishli airport?"
        assert index.dense_search(question, k=1) == []
        assert run("ingest", str(SEED)).returncode == 0
        hits = index.dense_search(question, k=1)
        assert hits and "SDF fighters" in index.get_chunks([hits[0][0]])[0].text


@pytest.mark.parametrize("command", ["ingest", "delete", "stats", "chroma"])
def test_every_command_explains_itself(command: str) -> None:
    # In-process: a subprocess per --help would only re-test the console script.
    from click.testing import CliRunner

    from qa.cli import _register_commands, cli

    _register_commands()
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split()) > 25
    if command == "ingest":
        assert "Exit code" in result.output and "--json" in result.output
