"""Tell a question that asks for a timeline, or for the latest, from any other question.

"How did the strike unfold?", "Give me a timeline of the recall", "What happened with
the fire since Monday?", "What has happened in the floods so far?" ask for a dated list
of events, not one sentence: ``timeline_asked`` returns what the timeline is about (the
topic, the question's other words removed) and the day a "since …" phrase starts at.
"latest", "now", "currently", "this week", "so far" ask for the value as it stands on
the day asked about: ``latest_asked``.

It reads the question's wording only (no retrieval, no model), so a question that asks
for one fact about a story ("What happened to the hiker?") stays an ordinary question:
a bare "what happened" needs "since …", "so far" or "has happened" to ask for a timeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from qa.dates import since_day

# "How did X go / turn out?" asks for an outcome, not for the way there: not listed.
_UNFOLD = r"unfold(?:ed)?|develop(?:ed)?|evolve[d]?|progress(?:ed)?|play(?:ed)? out"
_ASKS = (
    re.compile(rf"^how (?:did|has|have|had) (?P<topic>.+?) (?:{_UNFOLD})\b", re.IGNORECASE),
    re.compile(
        r"\b(?:timeline|chronology|sequence of events|series of events)\s+(?:of|for|in|on)\s+"
        r"(?P<topic>.+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"^what (?:has |have )?happened (?:with|to|in|at|on|over) (?P<topic>.+?)"
        r"(?=\s+since\b|\s+so far\b|\s+until now\b|\s+to date\b)",
        re.IGNORECASE,
    ),
    re.compile(
        r"^what (?:has|have) happened (?:with|to|in|at|on|over) (?P<topic>.+)", re.IGNORECASE
    ),
)
# What a topic carries that is not the topic: a "since" phrase, "so far", punctuation.
_TAIL = re.compile(
    r"(?:\s+(?:since\b.*|so far|until now|to date|up to now|over time|step by step)\b)+"
    r"|[\s?.!]+$",
    re.IGNORECASE,
)
_LATEST = re.compile(
    r"\b(?:latest|newest|most recent|now|currently|current|at present|presently|"
    r"this week|so far|to date|as it stands)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimelineAsk:
    """A timeline question: what it is about, and the first day it wants (or None)."""

    topic: str
    since: date | None = None


def timeline_asked(question: str, reference: date) -> TimelineAsk | None:
    """The timeline ``question`` asks for, or None when it asks for something else.

    Args:
        question: the standalone question.
        reference: the day the question is asked about (``as_of``), for "since Monday".
    """
    q = " ".join(question.split())
    for pattern in _ASKS:
        m = pattern.search(q)
        if m:
            topic = _TAIL.sub("", m.group("topic")).strip(" ,;:")
            if topic:
                return TimelineAsk(topic, since_day(q, reference))
    return None


def latest_asked(question: str) -> bool:
    """Whether ``question`` asks how things stand now ("latest", "currently", "so far")."""
    return bool(_LATEST.search(question))


def without_latest(question: str) -> str:
    """``question`` without its "latest"/"now" words: they say when (the as-of day does
    that), not what, and no sentence of an article repeats them."""
    return " ".join(_LATEST.sub(" ", question).split())
