"""A timeline's draft (one quoted, dated line per event), its notes for a generative
answerer, and the ``TimelineEvent`` list read back from the checked answer.

Extractive: each line is "- (6 April 2025) “Engineers closed the bridge on Sunday …”
[1]", its quote pinned to the exact span (the date is a gloss in parentheses, so the
citation check does not look for it in the quote). Generative (``llm``): the answerer
gets only the passages that hold events plus a note listing each event's date and
passage, and is asked for "YYYY-MM-DD: … [n]" lines; the checked lines that keep a
citation become the timeline. The citation check (``qa.citations``) verifies both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from qa.answerers.base import Draft
from qa.citations import MARKERS, escape_markers
from qa.dates import ResolvedDate, long_day
from qa.models import Answer, Passage, TimelineEvent
from qa.timeline.events import Event

_ISO_LINE = re.compile(r"^\s*[-*•]?\s*\(?(?P<day>\d{4}-\d{2}-\d{2})\)?\s*[:–—-]?\s*(?P<text>.+)$")
_NUMBER = re.compile(r"\d+")


def shown_date(ev: Event) -> str:
    """ "6 April 2025", or a range ("Apr 14–20, 2025") for "last week"."""
    if ev.earliest == ev.latest:
        return long_day(ev.earliest)
    return ResolvedDate("", 0, 0, ev.earliest, ev.latest).describe()


def draft(events: Sequence[Event]) -> Draft:
    """The extractive timeline: one pinned, quoted line per event, oldest first."""
    quotes: dict[int, list[tuple[int, int]]] = {}
    lines = []
    for ev in events:
        lines.append(f"- ({shown_date(ev)}) “{escape_markers(ev.text)}” [{ev.n}]")
        quotes.setdefault(ev.n, []).append((ev.start, ev.end))
    return Draft(text="\n".join(lines), quotes=quotes)


def read_back(answer: Answer, events: Sequence[Event]) -> tuple[TimelineEvent, ...]:
    """The events whose quote survived the citation check, with their final numbers."""
    numbers = {(c.article_id, c.start, c.end): c.n for c in answer.citations}
    out = []
    for ev in events:
        n = numbers.get((ev.passage.article_id, ev.start, ev.end))
        if n is not None:
            until = ev.latest.isoformat() if ev.latest != ev.earliest else None
            out.append(TimelineEvent(ev.earliest.isoformat(), ev.text, (n,), until))
    return tuple(out)


def notes(events: Sequence[Event], numbers: dict[int, int]) -> list[str]:
    """What a generative answerer is told: the asked format and each event's date.

    ``numbers`` maps an event's passage number to the one the answerer sees.
    """
    listed = "; ".join(f"{ev.earliest.isoformat()} (passage [{numbers[ev.n]}])" for ev in events)
    asked = (
        "This question asks for a timeline. Answer with one line per event, oldest first, "
        "each as 'YYYY-MM-DD: what happened [n]', the date being the day the event "
        "happened (relative dates resolved against the passage's date), not the article's."
    )
    return [
        asked,
        f"Dated events newsdesk found: {listed}.",
    ]


def llm_passages(events: Sequence[Event]) -> tuple[list[Passage], dict[int, int]]:
    """Only the passages that hold events (a small prompt), and old→new numbering."""
    numbers: dict[int, int] = {}
    kept: list[Passage] = []
    for ev in events:
        if ev.n not in numbers:
            numbers[ev.n] = len(kept) + 1
            kept.append(ev.passage)
    return kept, numbers


def parse_lines(answer: Answer) -> tuple[TimelineEvent, ...]:
    """A generative answer's checked "YYYY-MM-DD: … [n]" lines, oldest first."""
    out = []
    for line in answer.text.splitlines():
        m = _ISO_LINE.match(line)
        if not m:
            continue
        try:
            day = date.fromisoformat(m.group("day"))
        except ValueError:
            continue
        cited = tuple(
            int(x) for run in MARKERS.findall(m.group("text")) for x in _NUMBER.findall(run)
        )
        if cited:
            text = MARKERS.sub("", m.group("text")).strip()
            out.append(TimelineEvent(day.isoformat(), text, cited))
    return tuple(sorted(out, key=lambda e: e.date))
