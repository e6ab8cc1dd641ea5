"""Bad inputs through the real ``newsdesk ingest``: clear messages, good files still in.

One CLI run ingests the good files together with every bad and odd file of the
corpus (``tests/data/make_bad_inputs.py``); each case is then checked on its
own: its error names the file and the problem, nothing of it reached the
catalog, the keyword index or Chroma, and the good files were ingested anyway.
The run uses NEWSDESK_MAX_FILE_MB=1 so the over-size cases are refused from
``stat`` alone.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from index import NewsIndex
from tests.data.make_bad_inputs import ACCEPTED, BAD, FIXTURES, GOOD, Bad, build_corpus
from tests.reliability.conftest import (
    NEWSDESK,
    assert_store_consistent,
    cli_env,
    raw_rows,
    run_cli,
    store_settings,
)

AS_ROOT = os.geteuid() == 0
ROOT_SKIP = "running as root: chmod 000 does not stop root from reading the file"
GOOD_FILES = ["good_1.txt", "good_2.md", "good_3.json", "good article ü 名.txt"]


def _runnable(case: Bad) -> bool:
    return not (AS_ROOT and case.name == "unreadable-permissions")


def _ingest(corpus: Path, store: Path, inputs: list[str], **settings: str) -> SimpleNamespace:
    args = ["ingest", *[str(corpus / p) for p in inputs], "--json"]
    proc = run_cli(args, store, cwd=corpus, timeout=600, **settings)
    report = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
    return SimpleNamespace(proc=proc, report=report, corpus=corpus, store=store)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, embedder):
    """One ``newsdesk ingest`` over good + bad + odd files, then the store opened in-process."""
    root = tmp_path_factory.mktemp("bad-inputs")
    corpus = build_corpus(root / "corpus")
    bad = list(dict.fromkeys(c.path for c in BAD if _runnable(c)))
    inputs = GOOD_FILES + bad + [c.path for c in ACCEPTED]
    run = _ingest(corpus, root / "store", inputs, max_file_mb="1")
    run.index = NewsIndex.open(store_settings(run.store), embedder=embedder)
    run.articles = {a: run.index.get_article(a) for a in raw_rows(run.store)["articles"]}
    yield run
    run.index.close()


def _errors_at(run, where: str) -> list[dict]:
    return [e for e in run.report["errors"] if e["path"] == str(run.corpus / where)]


def test_the_batch_fails_cleanly_with_exit_code_1(batch) -> None:
    assert batch.report is not None, f"no JSON report on stdout:\n{batch.proc.stderr[-3000:]}"
    assert "Traceback" not in batch.proc.stderr, batch.proc.stderr[-3000:]
    assert batch.proc.returncode == 1, "exit code 1 is documented for 'some inputs failed'"


@pytest.mark.parametrize("where,marker", sorted(GOOD.items()), ids=sorted(GOOD))
def test_good_articles_are_ingested_despite_bad_neighbours(batch, where, marker) -> None:
    path = str(batch.corpus / where)
    found = [a for a in batch.articles.values() if a.path == path]
    assert len(found) == 1 and marker in found[0].text, f"{where} was not ingested"
    hits = batch.index.keyword_search(marker, 5)
    assert hits and hits[0][0].startswith(found[0].article_id)


@pytest.mark.parametrize("case", BAD, ids=[c.name for c in BAD])
def test_bad_input_is_refused_with_a_clear_message(batch, case: Bad) -> None:
    if not _runnable(case):
        pytest.skip(ROOT_SKIP)
    where = case.where or case.path
    errors = _errors_at(batch, where)
    assert len(errors) == 1, f"expected one error for {where}, got {batch.report['errors']}"
    message = errors[0]["message"]
    assert str(batch.corpus / where) in message, "the message must name the file"
    assert re.search(case.problem, message, re.IGNORECASE | re.DOTALL), message
    assert message in batch.proc.stderr or message.split(": ", 1)[1] in batch.proc.stderr
    _assert_nothing_stored(batch, where, case.marker)


def _assert_nothing_stored(batch, where: str, marker: str | None) -> None:
    bad_path = str(batch.corpus / where)
    assert not [a for a in batch.articles.values() if a.path == bad_path], "bad input stored"
    if marker:
        assert not [a for a in batch.articles.values() if marker in a.text.lower()]
        assert batch.index.keyword_search(marker, 5) == [], "bad input in the keyword index"
    # Chroma holds exactly the catalog's chunks (checked for the whole store below).


@pytest.mark.parametrize(
    "case",
    ACCEPTED,
    ids=[c.name for c in ACCEPTED],
)
def test_odd_but_decodable_text_is_read_correctly(batch, case) -> None:
    path = str(batch.corpus / case.path)
    assert not _errors_at(batch, case.path), _errors_at(batch, case.path)
    found = [a for a in batch.articles.values() if a.path == path]
    assert len(found) == 1, f"{case.path} was not ingested"
    text = found[0].title + "\n" + found[0].text
    assert case.expect in text
    assert not (case.reject and case.reject in text), f"{case.reject!r} in {text!r}"


def test_no_input_fails_twice_or_silently(batch) -> None:
    """Every bad input has exactly one error line; no error without a bad input."""
    expected = {str(batch.corpus / (c.where or c.path)) for c in BAD if _runnable(c)}
    reported = [e["path"] for e in batch.report["errors"]]
    assert sorted(reported) == sorted(expected)


def test_the_store_is_consistent_after_the_bad_batch(batch) -> None:
    assert_store_consistent(batch.index)
    allowed = {str(batch.corpus / p) for p in [*GOOD, *(c.path for c in ACCEPTED)]}
    stored = {a.path for a in batch.articles.values()}
    assert stored <= allowed, f"stored from bad inputs: {stored - allowed}"


@pytest.mark.skipif(not AS_ROOT, reason="not root: the batch above covers chmod 000 directly")
def test_an_unreadable_file_is_refused_when_read_as_another_user() -> None:
    """As root, run the real CLI as ``nobody`` so that chmod 000 really stops the read."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to read as")
    interpreter = Path(os.path.realpath(sys.executable))
    closed = [p for p in [interpreter, *interpreter.parents] if not p.stat().st_mode & 0o001]
    if closed:
        pytest.skip(f"running as root; 'nobody' cannot run {interpreter} ({closed[-1]} is closed)")
    root = Path(tempfile.mkdtemp(prefix="newsdesk-nobody-"))  # outside root's 0700 tmp
    try:
        root.chmod(0o777)
        good = root / "good.txt"
        shutil.copy(FIXTURES / "good_1.txt", good)
        good.chmod(0o644)
        secret = root / "secret.txt"
        secret.write_text("The zqxunreadable memo says the harbour will close on Friday.\n")
        secret.chmod(0)
        env = {**cli_env(root / "store"), "HOME": str(root)}
        proc = subprocess.run(
            [str(NEWSDESK), "ingest", str(good), str(secret), "--json"],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            user=nobody.pw_uid,
            group=nobody.pw_gid,
            extra_groups=[],
        )
        assert "Traceback" not in proc.stderr and proc.returncode == 1, proc.stderr[-2000:]
        report = json.loads(proc.stdout)
        assert report["articles_added"] == 1
        [error] = report["errors"]
        assert error["path"] == str(secret) and "permission denied" in error["message"]
    finally:
        shutil.rmtree(root, ignore_errors=True)
