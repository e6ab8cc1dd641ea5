"""Property-based: random sequences of ingest / update / re-ingest / delete / ask.

A hypothesis ``RuleBasedStateMachine`` drives one real store (shared model,
real Chroma and SQLite in a temp folder per example; then the same on
PostgreSQL + a Chroma server, a fresh database per example) through small articles
built from a vocabulary, and keeps a model of what should be stored: one
article per file slot. Invariants after every step:

* the store is consistent (catalog = keyword index = Chroma, whole articles);
* ``stats()`` counts match the model;
* an article that was deleted or replaced is never retrieved nor cited;
* re-ingesting unchanged files is a no-op (0 chunks added);
* every citation's offsets slice its article back to the quote;
* every article is in exactly one story, no story is empty, and each story's dates
  and outlets are its members' (articles get a date and an outlet from their seed).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from index import NewsIndex
from index.embedding import load_embedder
from index.settings import DEFAULT_EMBEDDING_MODEL
from qa import Assistant
from qa.answerers.factory import build_answerer
from qa.retrieval import build_retriever
from tests.conftest import fresh_database
from tests.reliability.conftest import (
    article_text,
    assert_store_consistent,
    assert_stories_consistent,
    ids_at_path,
    store_settings,
)

SLOTS = ("a", "b", "c")
OUTLETS = ("Riverside Herald", "Coastal Wire")
SEEDS = st.integers(min_value=0, max_value=10**6)
RUN = {"examples": 0, "steps": 0}


def _token(slot: str, seed: int) -> str:
    return f"zq{seed}{slot}x"  # one FTS token unique to an article version


class NewsStore(RuleBasedStateMachine):
    def archive(self) -> dict[str, str]:
        """Settings that choose the backend of one example (none: the embedded store)."""
        return {}

    def __init__(self) -> None:
        super().__init__()
        RUN["examples"] += 1
        self.dir = Path(tempfile.mkdtemp(prefix="newsdesk-sm-"))
        self.settings = store_settings(self.dir / "store", **self.archive())
        self.index = NewsIndex.open(self.settings, embedder=load_embedder(DEFAULT_EMBEDDING_MODEL))
        self.assistant = Assistant(
            self.index,
            build_retriever(self.settings, self.index),
            build_answerer("extractive", self.settings, self.index),
            self.settings,
        )
        self.current: dict[str, tuple[int, str]] = {}  # slot -> (seed, question)
        self.ids: dict[str, str] = {}  # slot -> article id now stored
        self.gone: dict[str, str] = {}  # article id -> token, of versions deleted or replaced

    def _write(self, slot: str, seed: int) -> Path:
        # subtle: seeded by slot too, so one seed in two slots is two stories, not a
        # syndicated copy of one (which ingest rightly folds into the first)
        rng = random.Random(f"{slot}-{seed}")
        title, body = article_text(rng, sentences=3)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(60))
        outlet = rng.choice(OUTLETS)
        path = self.dir / f"{slot}.txt"
        path.write_text(
            f"---\ndate: {day.isoformat()}\nsource: {outlet}\n---\n{title}\n\n"
            f"{body} Desk {slot} reference {_token(slot, seed)}.\n"
        )
        town, first, second = re.match(r"In (\w+), \w+ said the (\w+) and the (\w+)", body).groups()
        self.current[slot] = (seed, f"How much would the {first} and the {second} in {town} cost?")
        return path

    def _stored_id(self, slot: str) -> str:
        [article_id] = ids_at_path(self.settings, self.dir / f"{slot}.txt")
        return article_id

    @rule(slot=st.sampled_from(SLOTS), seed=SEEDS)
    def ingest(self, slot: str, seed: int) -> None:
        """Ingest a new file, or a changed version of an existing one (same path)."""
        RUN["steps"] += 1
        before = self.ids.get(slot)
        old_seed = self.current.get(slot, (None,))[0]
        report = self.index.ingest([self._write(slot, seed)])
        assert not report.errors
        if old_seed == seed:
            assert report.articles_unchanged == 1 and report.chunks_added == 0
            return
        assert report.chunks_added >= 1
        assert (report.articles_updated, report.articles_added) == ((1, 0) if before else (0, 1))
        self.ids[slot] = self._stored_id(slot)
        self.gone.pop(self.ids[slot], None)
        # the same version back again: its token is current, whatever id it had before
        self.gone = {a: t for a, t in self.gone.items() if t != _token(slot, seed)}
        if before is not None and before != self.ids[slot]:
            self.gone[before] = _token(slot, old_seed)

    @precondition(lambda self: self.current)
    @rule()
    def reingest_everything(self) -> None:
        """Re-ingesting unchanged files adds nothing."""
        RUN["steps"] += 1
        report = self.index.ingest([self.dir / f"{s}.txt" for s in self.current])
        assert report.chunks_added == 0 and report.articles_added == 0
        assert report.articles_unchanged == len(self.current)

    @precondition(lambda self: self.current)
    @rule(data=st.data())
    def delete(self, data) -> None:
        RUN["steps"] += 1
        slot = data.draw(st.sampled_from(sorted(self.current)))
        path = self.dir / f"{slot}.txt"
        assert self.index.delete(str(path)) == 1
        path.unlink()
        seed, _ = self.current.pop(slot)
        self.gone[self.ids.pop(slot)] = _token(slot, seed)

    @precondition(lambda self: self.current)
    @rule(data=st.data())
    def ask(self, data) -> None:
        RUN["steps"] += 1
        slot = data.draw(st.sampled_from(sorted(self.current)))
        answer = self.assistant.ask(self.current[slot][1])
        for p in answer.passages:
            assert p.article_id not in self.gone, "a deleted/replaced article was retrieved"
        for c in answer.citations:
            assert c.article_id not in self.gone, "a deleted/replaced article was cited"
            assert self.index.get_article(c.article_id).text[c.start : c.end] == c.quote

    @invariant()
    def store_matches_the_model(self) -> None:
        by_article = assert_store_consistent(self.index)
        assert set(by_article) == set(self.ids.values())
        stats = self.index.stats()
        assert stats["articles"] == len(self.current)
        assert stats["chunks"] == sum(len(c) for c in by_article.values())

    @invariant()
    def stories_match_the_store(self) -> None:
        assert_stories_consistent(self.index)

    @invariant()
    def gone_articles_are_not_found(self) -> None:
        for article_id, token in self.gone.items():
            assert self.index.get_article(article_id) is None
            assert self.index.keyword_search(token, 5) == []

    def teardown(self) -> None:
        self.index.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class ServerNewsStore(NewsStore):
    """The same rules in server mode: a fresh PostgreSQL database and Chroma collection
    on the session's servers for each example."""

    servers = None  # the session's server pair, set by ``_server_pair`` below

    def archive(self) -> dict[str, str]:
        self._database = fresh_database(ServerNewsStore.servers)
        urls = next(self._database)
        return {name.removeprefix("NEWSDESK_").lower(): value for name, value in urls.items()}

    def teardown(self) -> None:
        super().teardown()
        next(self._database, None)


def _machine_settings(examples: int):
    return settings(
        max_examples=examples,
        stateful_step_count=8,
        deadline=None,
        derandomize=True,  # the same sequences every run: a failure is reproducible
        suppress_health_check=[HealthCheck.too_slow],
    )


TestNewsStore = NewsStore.TestCase
TestNewsStore.settings = _machine_settings(8)
TestServerNewsStore = ServerNewsStore.TestCase
TestServerNewsStore.settings = _machine_settings(4)


@pytest.fixture(autouse=True)
def _server_pair(request: pytest.FixtureRequest) -> None:
    """Hand the session's servers to the server-mode machine (a unittest-style class,
    which cannot take fixtures as arguments)."""
    if request.cls is TestServerNewsStore:
        ServerNewsStore.servers = request.getfixturevalue("server_pair")


@pytest.fixture(scope="module", autouse=True)
def _report_figures():
    """Print how many examples and steps ran (for the reliability report; ``-s``)."""
    yield
    print(f"\nstate machine: {RUN['examples']} examples, {RUN['steps']} steps")
