"""Dated events from the passages of one story, oldest first, each fact once.

An event is a sentence (or, when one sentence dates two things, each clause) of a
story's passage, dated by the relative date it states ("on Sunday", "yesterday",
"five days ago", resolved against its article's date by ``qa.dates``) or, for an
article's lead sentence that names no day, by the article's date. Sentences that are
neither (background, quotes) are not events. Articles belong to the story when they
share the topic's names (or, for a topic without names, most of its words): the
retrieved passages of other stories stay out.

The same fact told twice (a second outlet, a later article recalling it) is one event:
two events of one day whose sentences mean the same (embedding cosine at least
``SAME_FACT``) keep the earliest report. Syndicated copies are already one article
(``index.dedup``). It does not retrieve and does not write the answer's text
(``qa.timeline.compose`` does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.dateline import find_dateline
from qa.dates import ResolvedDate, find_relative_dates, parse_article_date
from qa.models import Passage
from qa.support import content_stems, names_and_numbers

Encode = Callable[[list[str]], np.ndarray]  # texts -> (n, dim), L2-normalised

#: Two same-day sentences at least this similar (cosine) report one fact. Set by eye
#: on hand-made pairs, not on the dev set: one fact told by two outlets in other words
#: scored 0.69-0.78, two events of one day ("arrived in Paris" / "met the prime minister
#: in Paris") 0.24-0.66.
SAME_FACT = 0.7
# Where one sentence's second dated clause starts: ", and the board backed it yesterday".
_CLAUSE = re.compile(r",?\s+(?:and|but|while|before|after|then)\s+|;\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Event:
    """One dated event: ``text == article.text[start:end]`` of passage ``n`` (1-based)."""

    n: int
    passage: Passage
    start: int  # (start, end) char offsets into the article text
    end: int
    text: str
    earliest: date
    latest: date

    @property
    def published(self) -> date | None:
        return parse_article_date(self.passage.date)


def on_topic(topic: str, passage: Passage) -> bool:
    """Whether ``passage`` tells the story ``topic`` names.

    It must hold the topic's names (one in three may be missing when there are three or
    more: "Corvane Bank bid for Ellis Savings"), and, when the topic has a single name,
    also one of its other words: a place or a company is in many stories ("Lindqvist
    metro fare rise" is not "Lindqvist floods"). Names match whole words, words by stem
    prefix ("dock" in "dockworkers", "strike" in "strikers"). A topic without names
    needs half of its words.
    """
    text = f"{passage.title}\n{passage.text}"
    # a name's first word part: "ostrova's" → "ostrova"
    names = {re.findall(r"\w+", n)[0] for n in names_and_numbers(f"About {topic}")}
    names = {n for n in names if not n[0].isdigit()}
    stems = content_stems(text)
    others = {t for t in content_stems(topic) if t not in {n.lower() for n in names}}
    shared = {t for t in others if any(s.startswith(t) for s in stems)}
    if not names:
        return bool(others) and len(shared) * 2 >= len(others)
    words = {w.lower() for w in re.findall(r"\w+", text)}
    missing = sum(n not in words for n in names)
    if missing > len(names) // 3:
        return False
    return len(names) > 1 or not others or bool(shared)


def _sentences(p: Passage):
    """(start, end) article offsets of each non-empty line of each sentence of ``p``."""
    for start, end in p.sentences or ((p.start, p.end),):
        offset = start - p.start
        for line in re.finditer(r"[^\n]+", p.text[offset : end - p.start]):
            text = line.group().strip()
            if len(text.split()) >= 3:
                s = start + line.start() + line.group().index(text)
                yield s, s + len(text)


def _lead_start(p: Passage) -> int | None:
    """Where the article's lead sentence starts (past a dateline), when ``p`` opens it."""
    if p.start != 0:
        return None
    dateline = find_dateline(p.text)
    return dateline.end if dateline else 0


def _clauses(text: str, hits: list[ResolvedDate]) -> list[tuple[int, int, ResolvedDate]]:
    """(start, end) of each dated clause of one sentence, with its date."""
    if len(hits) < 2:
        return [(0, len(text), hits[0])]
    out, begin = [], 0
    for hit, nxt in zip(hits, [*hits[1:], None], strict=True):
        if nxt is None:
            out.append((begin, len(text), hit))
            break
        cut = None
        for m in _CLAUSE.finditer(text, hit.end, nxt.start):
            cut = m
        if cut is None:  # "between Monday and Tuesday": one clause, its first date
            continue
        out.append((begin, cut.start(), hit))
        begin = cut.end()
    return out


def passage_events(n: int, p: Passage) -> list[Event]:
    """The events of one passage (``n``: its 1-based number among the passages)."""
    published = parse_article_date(p.date)
    if published is None:
        return []  # no anchor: relative dates cannot be pinned, nothing can be dated
    lead = _lead_start(p)
    events = []
    for s, e in _sentences(p):
        if lead is not None and s < lead < e:
            s = lead
        text = p.text[s - p.start : e - p.start]
        hits = find_relative_dates(text, published)
        if hits:
            for a, b, hit in _clauses(text, hits):
                piece = text[a:b].rstrip(" ,;")
                cut = s + a + (len(text[a:b]) - len(text[a:b].lstrip()))
                piece = piece.strip()
                events.append(Event(n, p, cut, cut + len(piece), piece, hit.earliest, hit.latest))
        elif lead is not None and s <= lead:
            events.append(Event(n, p, s, e, text, published, published))
    return events


def story_events(topic: str | None, passages: Sequence[Passage], encode: Encode) -> list[Event]:
    """The story's events among ``passages``, oldest first, each fact once.

    ``topic`` None: every passage is the story (its articles were chosen by id).
    """
    found = [
        ev
        for n, p in enumerate(passages, 1)
        if topic is None or on_topic(topic, p)
        for ev in passage_events(n, p)
    ]
    # the earliest report of a fact first, so it is the one kept
    found.sort(key=lambda ev: (ev.earliest, ev.published or ev.earliest, ev.n, ev.start))
    return _once(found, encode)


def _once(events: list[Event], encode: Encode) -> list[Event]:
    """``events`` without repeats: an overlapping span of one article (chunks overlap) or a
    same-day sentence of another article that means the same."""
    if not events:
        return []
    vectors = encode([ev.text for ev in events])
    kept: list[int] = []
    for i, ev in enumerate(events):
        if not any(_same(ev, events[j], float(vectors[i] @ vectors[j])) for j in kept):
            kept.append(i)
    return [events[i] for i in kept]


def _same(a: Event, b: Event, cosine: float) -> bool:
    if a.passage.article_id == b.passage.article_id:
        return a.start < b.end and b.start < a.end
    overlap = a.earliest <= b.latest and b.earliest <= a.latest
    return overlap and cosine >= SAME_FACT
