"""Server mode: one archive on PostgreSQL + a Chroma server, shared by separate app instances.

Everything is real: ``newsdesk services`` starts the PostgreSQL cluster and the
``chroma run`` server (the session pair, or a private pair where a test stops
its servers), and the "app instances" are separate ``newsdesk`` processes or
``NewsIndex`` objects with their own working folders and no shared files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from index import NewsIndex, StoreUnavailable
from index.errors import ConfigError
from index.services import LocalServices
from index.settings import Settings
from tests.index.conftest import SEED, VENV_BIN, assert_consistent
from tests.reliability.conftest import cli_env, write_articles
from tests.servers import free_port

pytestmark = pytest.mark.server
QUESTION = "Who guards the base near Qamishli airport?"


def _services_folder() -> Path:
    """A folder the ``postgres`` system user can enter (pytest's tmp_path is private)."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-services-"))
    folder.chmod(0o755)
    return folder


def _instance(folder: Path, **urls: str) -> Settings:
    """The settings of one app instance: its own working folder, the shared servers."""
    folder.mkdir(parents=True, exist_ok=True)
    return Settings(_env_file=None, store_dir=folder / ".newsdesk", **urls)


@pytest.fixture
def archive(server_pair, server_database: str) -> dict[str, str]:
    """The URLs of a fresh shared archive (its own database and collection)."""
    return {
        "database_url": server_database,
        "chroma_url": server_pair.chroma_url,
        "collection": server_database.rsplit("/", 1)[1],
    }


def _cli(args: list[str], folder: Path, archive: dict[str, str]) -> subprocess.CompletedProcess:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str(VENV_BIN / "newsdesk"), *args],
        env=cli_env(folder / ".newsdesk", **archive),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_instance_b_answers_at_once_from_what_instance_a_ingested(
    archive: dict[str, str], embedder, tmp_path: Path
) -> None:
    story = tmp_path / SEED.name
    shutil.copy(SEED, story)
    a, b = tmp_path / "app-a", tmp_path / "app-b"
    with NewsIndex.open(_instance(b, **archive), embedder=embedder) as index_b:
        assert index_b.stats()["articles"] == 0
        done = _cli(["ingest", str(story), "--json"], a, archive)  # another process, folder
        assert done.returncode == 0, done.stderr[-2000:]
        hits = index_b.dense_search(QUESTION, k=2)  # the open instance, no restart
        assert hits and "SDF fighters" in index_b.get_chunks([hits[0][0]])[0].text
        assert index_b.keyword_search("Qamishli SDF", k=1)
        assert index_b.stats()["articles"] == 1
        assert_consistent(index_b)
    # No state in either working folder: everything is on the servers.
    assert not (a / ".newsdesk").exists() and not (b / ".newsdesk").exists()


def test_a_delete_on_b_is_never_cited_again_by_a(
    archive: dict[str, str], embedder, tmp_path: Path
) -> None:
    from qa import Assistant
    from qa.answerers.factory import build_answerer
    from qa.retrieval import build_retriever

    story = tmp_path / SEED.name
    shutil.copy(SEED, story)
    other = write_articles(tmp_path / "other", 1, seed=7)  # the archive never empties
    settings_a = _instance(tmp_path / "app-a", **archive)
    with NewsIndex.open(settings_a, embedder=embedder) as index_a:
        index_a.ingest([story, *other])
        assistant = Assistant(
            index_a,
            build_retriever(settings_a, index_a),
            build_answerer("extractive", settings_a, index_a),
            settings_a,
        )
        before = assistant.ask(QUESTION)
        [deleted] = {c.article_id for c in before.citations}
        gone = _cli(["delete", str(story)], tmp_path / "app-b", archive)
        assert gone.returncode == 0, gone.stderr[-2000:]
        after = assistant.ask(QUESTION)  # the same open instance, no restart
        assert deleted not in {p.article_id for p in after.passages}
        assert deleted not in {c.article_id for c in after.citations}
        assert index_a.get_article(deleted) is None
        assert index_a.stats()["articles"] == 1


def test_two_instances_ingesting_at_once_keep_one_consistent_archive(
    archive: dict[str, str], embedder, tmp_path: Path
) -> None:
    news = write_articles(tmp_path / "news", 10, seed=31)
    procs = []
    for folder in (tmp_path / "app-a", tmp_path / "app-b"):
        folder.mkdir()
        procs.append(
            subprocess.Popen(
                [str(VENV_BIN / "newsdesk"), "ingest", str(tmp_path / "news"), "--json"],
                env=cli_env(folder / ".newsdesk", **archive, embedding_batch_size="2"),
                cwd=folder,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        reports.append(json.loads(out))
    # The same files from both: one instance wrote them, the other found them unchanged.
    assert sorted(r["articles_added"] for r in reports) == [0, len(news)]
    with NewsIndex.open(_instance(tmp_path / "app-c", **archive), embedder=embedder) as index:
        assert index.stats()["articles"] == len(news)
        assert_consistent(index)  # no duplicate chunk rows or vectors


def test_half_a_server_is_refused_with_what_to_set(tmp_path: Path, archive) -> None:
    with pytest.raises(ConfigError) as err:
        NewsIndex.open(_instance(tmp_path, chroma_url=archive["chroma_url"]))
    assert "NEWSDESK_DATABASE_URL" in str(err.value) and "newsdesk services up" in str(err.value)
    done = _cli(["stats"], tmp_path, {"database_url": archive["database_url"]})
    assert done.returncode == 2 and "NEWSDESK_CHROMA_URL" in done.stderr
    assert "Traceback" not in done.stderr


def test_dead_servers_are_reported_quickly_with_how_to_start_them(tmp_path: Path, archive) -> None:
    dead_chroma = f"http://127.0.0.1:{free_port()}"
    settings = _instance(tmp_path, **{**archive, "chroma_url": dead_chroma}, chroma_timeout_s=1)
    with pytest.raises(StoreUnavailable):
        NewsIndex.open(settings)  # untimed: the first call imports chromadb
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as err:
        NewsIndex.open(settings)
    assert time.monotonic() - started < 5
    assert dead_chroma in str(err.value) and "newsdesk chroma" in str(err.value)

    dead_pg = f"postgresql://newsdesk:x@127.0.0.1:{free_port()}/newsdesk"
    settings = _instance(tmp_path, **{**archive, "database_url": dead_pg}, database_timeout_s=1)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as err:
        NewsIndex.open(settings)
    assert time.monotonic() - started < 5
    assert "newsdesk:***@" in str(err.value) and "newsdesk services status" in str(err.value)


def test_a_restarted_database_is_a_clear_error_then_recovers_without_a_restart(
    embedder, tmp_path: Path
) -> None:
    folder = _services_folder()
    services = LocalServices(folder)
    try:
        state = services.up()
        settings = _instance(
            tmp_path / "app",
            database_url=state.database_url,
            chroma_url=state.chroma_url,
            database_timeout_s=2,
        )
        story = tmp_path / SEED.name
        shutil.copy(SEED, story)
        with NewsIndex.open(settings, embedder=embedder) as index:
            index.ingest([story])
            assert index.keyword_search("Qamishli", k=1)
            services._pg_ctl("stop", "-m", "immediate", "-w")  # the database goes away
            started = time.monotonic()
            with pytest.raises(StoreUnavailable) as err:
                index.keyword_search("Qamishli", k=1)
            assert time.monotonic() - started < 6
            assert "PostgreSQL" in str(err.value)
            assert services.up().database_url == state.database_url  # back on the same port
            assert index.keyword_search("Qamishli", k=1)  # same object, no reopen
            assert index.ingest([story]).articles_unchanged == 1
    finally:
        services.down()
        shutil.rmtree(folder, ignore_errors=True)


def test_services_up_status_down_round_trip(tmp_path: Path) -> None:
    folder = _services_folder()
    newsdesk = str(VENV_BIN / "newsdesk")
    try:
        up = subprocess.run(
            [newsdesk, "services", "up", "--dir", str(folder), "--json"],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert up.returncode == 0, up.stderr
        urls = json.loads(up.stdout)
        import psycopg

        with psycopg.connect(urls["database_url"], connect_timeout=5) as db:
            assert db.execute("SELECT 1").fetchone() == (1,)
        status = subprocess.run(
            [newsdesk, "services", "status", "--dir", str(folder)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
        assert status.count("running") == 2 and urls["chroma_url"] in status
        password = urls["database_url"].split(":")[2].split("@")[0]
        assert password not in status  # the password is never printed by status
        again = subprocess.run(
            [newsdesk, "services", "up", "--dir", str(folder), "--json"],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert json.loads(again.stdout) == urls  # idempotent, same URLs
    finally:
        down = subprocess.run(
            [newsdesk, "services", "down", "--dir", str(folder)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
    assert "postgres" in down.stdout and "chroma" in down.stdout


def test_migrate_moves_an_embedded_archive_to_the_servers_and_resumes(
    archive: dict[str, str], embedder, tmp_path: Path
) -> None:
    from index.migrate import migrate

    news = write_articles(tmp_path / "news", 6, seed=41)
    embedded = Settings(_env_file=None, store_dir=tmp_path / "embedded")
    server = _instance(tmp_path / "app", **archive)
    with NewsIndex.open(embedded, embedder=embedder) as source:
        source.ingest(news[:4])
        with NewsIndex.open(server, embedder=embedder) as target:
            report = migrate(source, target, batch=3)
            assert (report.articles_copied, report.articles_skipped) == (4, 0)
            assert report.target_counts == report.source_counts
            question = source.embedder.encode(["How much would the harbour cost?"])[0]
            # the very vectors moved: both archives rank the same chunks first
            ranked = [[c for c, _ in i.dense_search(question, k=3)] for i in (source, target)]
            assert ranked[0] == ranked[1]
            source.ingest(news[4:])  # the embedded store grew; a second run copies only that
            again = migrate(source, target, batch=3)
            assert (again.articles_copied, again.articles_skipped) == (2, 4)
            assert_consistent(target)
    assert (tmp_path / "embedded" / "catalog.sqlite3").exists()  # the source is left as it was
