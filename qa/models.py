"""Results that cross the qa boundary: passages, citations and answers.

Immutable dataclasses with ``to_dict()`` so the CLI (``--json``), the UI and
the eval scripts serialise them identically.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk: ``text == article.text[start:end]``."""

    chunk_id: str
    article_id: str
    title: str
    text: str
    start: int
    end: int
    score: float
    date: str | None = None
    source: str | None = None
    url: str | None = None
    sources: tuple[str, ...] = ()  # every outlet of a syndicated story
    sentences: tuple[tuple[int, int], ...] = ()  # article offsets of each sentence
    found_by: tuple[str, ...] = ()  # which retrievers returned it ("dense", "keyword")
    story_id: str | None = None  # its article's story thread (index.stories)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = list(self.sources)
        data["sentences"] = [list(s) for s in self.sentences]
        data["found_by"] = list(self.found_by)
        return data


@dataclass(frozen=True)
class Citation:
    """What ``[n]`` in an answer points to: ``quote == article.text[start:end]``."""

    n: int
    article_id: str
    title: str
    quote: str
    start: int
    end: int
    source: str | None = None
    date: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Disagreement:
    """Articles that give different values for the asked fact: ``values[i]`` is cited
    as ``[citations[i]]`` (same day, or undated: a conflict, not an update)."""

    values: tuple[str, ...]
    citations: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"values": list(self.values), "citations": list(self.citations)}


@dataclass(frozen=True)
class Superseded:
    """An earlier value the answer replaced: by a later report (``reason="update"``) or
    by a correction notice (``"correction"``); dates are the articles' ISO dates."""

    value: str
    citation: int
    date: str | None
    by_value: str
    by_citation: int
    by_date: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a timeline: the day it happened (ISO; ``until`` ends a range such as
    "last week"), the quoted sentence or clause that says so, and its citation numbers."""

    date: str
    text: str
    citations: tuple[int, ...]
    until: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "until": self.until,
            "text": self.text,
            "citations": list(self.citations),
        }


@dataclass(frozen=True)
class Answer:
    """A cited answer, or an honest refusal that still shows the closest passages."""

    text: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    question: str = ""  # the standalone question actually answered (after condensing)
    short: str = ""  # the answer phrase alone, without the sentence around it
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: Calibrated probability (0-1) that the answer is right; None when the answerer
    #: cannot tell (LLM answerers). For a refusal: how sure the best reading was.
    confidence: float | None = None
    #: True when ``question`` is a rewrite of what the user typed (a follow-up resolved
    #: with the conversation); False when it was searched exactly as typed.
    rewritten: bool = False

    #: Outlets that disagree on the asked fact (qa.news), each side cited.
    disagreements: tuple[Disagreement, ...] = ()
    #: Earlier values a later report or a correction replaced (qa.news), with citations.
    superseded: tuple[Superseded, ...] = ()
    #: A timeline question's events, oldest first (qa.timeline); empty otherwise.
    timeline: tuple[TimelineEvent, ...] = ()
    #: The date of the newest evidence, set when it is older than the day asked about
    #: (a "latest" question answered from old articles: "as of 12 March 2023").
    evidence_as_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "refused": self.refused,
            "short": self.short,
            "confidence": self.confidence,
            "question": self.question,
            "rewritten": self.rewritten,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "timings_ms": dict(self.timings_ms),
            "disagreements": [d.to_dict() for d in self.disagreements],
            "superseded": [s.to_dict() for s in self.superseded],
            "timeline": [e.to_dict() for e in self.timeline],
            "evidence_as_of": self.evidence_as_of,
        }


@dataclass(frozen=True)
class Timeline:
    """What ``Assistant.timeline`` returns: the events, oldest first, and the checked
    answer they were drawn from (its text lists them, its citations number them)."""

    events: tuple[TimelineEvent, ...]
    answer: Answer

    def to_dict(self) -> dict[str, Any]:
        return {"events": [e.to_dict() for e in self.events], "answer": self.answer.to_dict()}
