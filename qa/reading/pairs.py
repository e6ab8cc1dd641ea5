"""Build the reader's training groups from an archive's own article text.

A group is one question with one window that answers it (or none) and a few that do
not. The question is written from sentence S (``qa.reading.questions``); the answering
window is, where the archive has one, a *different* sentence S' holding the same
answer phrase (another outlet's copy of the story, a later sentence), so the model
must match meaning rather than copy S's wording (Fabbri et al., ACL 2020). Negatives
are the keyword search's best windows without the phrase (SQLite FTS5 BM25 over
the archive's sentences) and a sentence of the same article. Headline → lead pairs
add news-native paraphrase with no span. Nothing here reads evaluation questions.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

from index.models import Article
from index.sentences import split_sentences
from qa.nlp import content_words, get_nlp, terms
from qa.reading.questions import questions_for

#: Words a window holds at most (the reader reads ~128-token chunks at answer time).
WINDOW_WORDS = 90
_TITLE_TAIL = re.compile(r"\s+[-|–—]\s+[^-|–—]{2,40}$")  # " - CNN", " | The Week"


@dataclass(frozen=True)
class Window:
    """Text the reader sees beside the question; ``answer`` offsets index ``text``."""

    text: str
    answer: tuple[int, int] | None = None  # (start, end) of the answer phrase, if any


@dataclass(frozen=True)
class Group:
    """One question: its positive window (None for a no-answer group) and negatives."""

    question: str
    answer: str
    positive: Window | None
    negatives: tuple[Window, ...]
    kind: str  # "cross", "self" or "headline"
    heldout: bool = False  # from the articles kept back for calibration

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Group:
        pos = data["positive"]
        return cls(
            question=data["question"],
            answer=data["answer"],
            positive=None if pos is None else _window(pos),
            negatives=tuple(_window(w) for w in data["negatives"]),
            kind=data["kind"],
            heldout=data.get("heldout", False),
        )


def _window(data: dict) -> Window:
    answer = data.get("answer")
    return Window(data["text"], None if answer is None else (answer[0], answer[1]))


@dataclass
class _Sentence:
    article: int
    index: int
    text: str
    _terms: set[str] | None = None

    @property
    def terms(self) -> set[str]:
        """Content-word stems, computed once (a common name is in thousands of sentences)."""
        if self._terms is None:
            self._terms = set(terms(self.text))
        return self._terms


@dataclass
class _Archive:
    """Every sentence of the archive, by article, with a BM25 index over them."""

    articles: list[Article]
    sentences: list[list[_Sentence]] = field(default_factory=list)
    db: sqlite3.Connection = field(default_factory=lambda: sqlite3.connect(":memory:"))
    flat: list[_Sentence] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.db.execute("CREATE VIRTUAL TABLE s USING fts5(text, tokenize='porter')")
        for a, article in enumerate(self.articles):
            spans = split_sentences(article.text)
            sents = [_Sentence(a, i, article.text[s:e]) for i, (s, e) in enumerate(spans)]
            self.sentences.append(sents)
            for sent in sents:
                self.db.execute(
                    "INSERT INTO s(rowid, text) VALUES (?, ?)", (len(self.flat), sent.text)
                )
                self.flat.append(sent)

    def search(self, query: str, limit: int = 20) -> list[_Sentence]:
        # Content words only: an OR over "the" and "was" makes BM25 score every row
        words = {w.lower() for w in content_words(query) if re.fullmatch(r"\w{3,}", w)}
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in sorted(words))
        rows = self.db.execute(
            "SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s) LIMIT ?", (match, limit)
        ).fetchall()
        return [self.flat[r] for (r,) in rows]

    def window(self, sent: _Sentence, rng: random.Random) -> str:
        """``sent`` with, half the time, a neighbour or two, up to ``WINDOW_WORDS`` words."""
        own = self.sentences[sent.article]
        lo = hi = sent.index
        if rng.random() < 0.5:
            lo = max(0, lo - rng.randint(0, 1))
            hi = min(len(own) - 1, hi + rng.randint(0, 2))
        text = sent.text
        for i in range(lo, hi + 1):
            if i == sent.index:
                continue
            extra = own[i].text
            if len((text + " " + extra).split()) > WINDOW_WORDS:
                break
            text = f"{extra} {text}" if i < sent.index else f"{text} {extra}"
        return text


def _contains(text: str, phrase: str) -> re.Match | None:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)


def _positive(text: str, answer: str) -> Window | None:
    found = _contains(text, answer)
    return None if found is None else Window(text, (found.start(), found.end()))


def clean_title(title: str) -> str:
    """A headline without the outlet tail (" - CNN") or trailing ellipsis."""
    title = _TITLE_TAIL.sub("", title.strip()).rstrip(". …")
    return title.strip()


def heldout_article(article: Article, share: float) -> bool:
    """A stable ``share`` of articles (by id hash) kept back for calibration."""
    digest = hashlib.sha256(article.article_id.encode()).digest()
    return digest[0] / 256 < share


def build_groups(
    articles: Sequence[Article],
    max_groups: int,
    seed: int = 0,
    negatives: int = 3,
    heldout_share: float = 0.05,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Group]:
    """Up to ``max_groups`` training groups from ``articles`` (deterministic for a seed).

    Args:
        articles: the archive (its text only is read).
        max_groups: stop after this many groups.
        negatives: windows without the answer per group.
        heldout_share: articles whose groups are marked ``heldout`` (for calibration).
    """
    rng = random.Random(seed)
    archive = _Archive(list(articles))
    mentions = _mention_index(archive)
    nlp = get_nlp()
    order = list(range(len(archive.articles)))
    rng.shuffle(order)
    # A large archive gives each article a few questions (variety); a small one asks
    # about every sentence it has
    per_article = max(8, math.ceil(2 * max_groups / max(1, len(order))))
    made = 0
    for done, a in enumerate(order, 1):
        if progress:
            progress(done, len(order))
        article = archive.articles[a]
        held = heldout_article(article, heldout_share)
        sents = archive.sentences[a]
        title = clean_title(article.title or "")
        if title and sents and rng.random() < 0.3:
            group = _headline_group(archive, title, sents, rng, negatives, held)
            if group is not None:
                made += 1
                yield group
        picked = [s for s in sents if 8 <= len(s.text.split()) <= 40]
        rng.shuffle(picked)
        picked = picked[:per_article]
        for sent, doc in zip(picked, nlp.pipe(s.text for s in picked)):
            for q in questions_for(doc[:], rng, per_sentence=1):
                group = _question_group(archive, mentions, sent, q, title, rng, negatives, held)
                if group is None:
                    continue
                made += 1
                yield group
                if made >= max_groups:
                    return


def _mention_index(archive: _Archive) -> dict[str, list[_Sentence]]:
    """Lower-cased capitalised word runs → the sentences naming them (for S' lookup)."""
    index: dict[str, list[_Sentence]] = defaultdict(list)
    for sent in archive.flat:
        for run in re.findall(r"(?:[A-Z][\w.'-]*(?:\s+|$)){1,4}", sent.text):
            index[run.strip().lower()].append(sent)
    return index


def _question_text(question: str, title: str, rng: random.Random) -> str:
    """Quiz-style surface variation: sometimes the headline first, sometimes "this week"."""
    roll = rng.random()
    if title and roll < 0.25:
        return f"{title}. {question}"
    if roll < 0.35:
        return question[:-1] + " this week?"
    return question


def _question_group(
    archive: _Archive,
    mentions: dict[str, list[_Sentence]],
    sent: _Sentence,
    q,
    title: str,
    rng: random.Random,
    negatives: int,
    held: bool,
) -> Group | None:
    qterms = set(terms(q.text)) - set(terms(q.answer))
    named = mentions.get(q.answer.lower(), [])
    if len(named) > 200:  # "Biden": a sample is plenty to find a paraphrase among
        named = rng.sample(named, 200)
    others = [
        s
        for s in named + _same_article(archive, sent, q.answer)
        if s is not sent and s.text != sent.text and _contains(s.text, q.answer)
    ]
    own = sent.terms
    shared = []
    for s in others:
        words = s.terms
        # A wire copy of S teaches nothing S does not: it must say the thing differently
        if len(qterms & words) >= 2 and len(own & words) / max(1, len(own | words)) < 0.6:
            shared.append(s)
    positive, kind = None, "self"
    if shared and rng.random() < 0.75:
        other = rng.choice(shared)
        positive, kind = _positive(archive.window(other, rng), q.answer), "cross"
    if positive is None:
        if rng.random() < 0.35:
            return None  # keep self-pairs a minority: they reward copying words
        positive = _positive(archive.window(sent, rng), q.answer)
    if positive is None:
        return None
    question = _question_text(q.text, title, rng)
    negs = _negatives(archive, question, q.answer, sent, rng, negatives)
    if len(negs) < negatives:
        return None
    return Group(question, q.answer, positive, tuple(negs), kind, held)


def _same_article(archive: _Archive, sent: _Sentence, answer: str) -> list[_Sentence]:
    return [s for s in archive.sentences[sent.article] if _contains(s.text, answer)]


def _negatives(
    archive: _Archive,
    question: str,
    answer: str,
    sent: _Sentence,
    rng: random.Random,
    count: int,
) -> list[Window]:
    """Hard negatives: top keyword hits without the answer, plus one same-article sentence."""
    hits = [s for s in archive.search(question) if not _contains(s.text, answer)]
    picks = hits[: count - 1]
    own = [s for s in archive.sentences[sent.article] if not _contains(s.text, answer)]
    own = [s for s in own if len(s.text.split()) >= 6 and s not in picks]
    if own:
        picks.append(rng.choice(own))
    picks += [s for s in hits[count - 1 :] if s not in picks][: count - len(picks)]
    windows = [archive.window(s, rng) for s in picks]
    return [Window(w) for w in windows if not _contains(w, answer)]


def _headline_group(
    archive: _Archive,
    title: str,
    sents: list[_Sentence],
    rng: random.Random,
    negatives: int,
    held: bool,
) -> Group | None:
    """The headline as the query, the article's first body sentence as its positive."""
    body = [s for s in sents if len(s.text.split()) >= 8 and clean_title(s.text) != title]
    if not body or len(title.split()) < 4:
        return None
    lead = body[0]
    hits = [s for s in archive.search(title) if s.article != lead.article]
    negs = [Window(archive.window(s, rng)) for s in hits[:negatives]]
    if len(negs) < negatives:
        return None
    return Group(title, "", Window(archive.window(lead, rng)), tuple(negs), "headline", held)


def iter_training_text(groups: Iterable[Group]) -> Iterator[str]:
    """Every question and window string of ``groups`` (the leak test greps these)."""
    for g in groups:
        yield g.question
        if g.positive:
            yield g.positive.text
        for w in g.negatives:
            yield w.text
