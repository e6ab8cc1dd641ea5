"""The one interface every answerer implements (extractive, local, llm, or a user's).

An answerer turns a question and numbered passages into a *draft*: text with
``[n]`` markers where ``n`` is the 1-based position of a passage in the list it
was given. It never builds ``Citation`` objects itself: ``qa.citations`` maps
markers to exact sentence spans, drops markers that point nowhere, checks each
sentence against what it cites and renumbers in order of first use. That keeps
the trust logic in one place for every answerer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qa.models import Passage


@dataclass(frozen=True)
class Draft:
    """An answerer's output before citation checking.

    ``text`` cites passages as ``[n]`` (1-based index into the passages given).
    ``refused`` is the answerer's own judgement that the passages do not answer.
    ``short`` is the bare answer phrase when the answerer knows it.
    ``quotes`` optionally pins a marker to exact article spans: {n: [(start, end), ...]}
    (the extractive answerer knows which sentence it used; LLM answerers don't).
    ``confidence`` is the answerer's calibrated probability that it is right, if it has one.
    """

    text: str
    refused: bool = False
    short: str = ""
    quotes: dict[int, list[tuple[int, int]]] | None = None
    confidence: float | None = None


class Answerer(ABC):
    """Writes a cited draft from passages. Implementations live one per file."""

    name: str = "base"
    #: True when ``draft``/``stream`` accept ``notes=[...]``: facts the Assistant found
    #: about the passages (conflicting outlets, later corrections) for the prompt.
    takes_notes: bool = False

    @abstractmethod
    def draft(self, question: str, passages: Sequence[Passage]) -> Draft:
        """Answer ``question`` from ``passages`` only, citing them as ``[n]``."""

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Draft]:
        """Yield text pieces as they are produced, then the final ``Draft``.

        The default produces the whole draft at once; generative answerers
        override this to stream tokens.
        """
        result = self.draft(question, passages)
        yield result.text
        yield result

    def condense(self, question: str, history: Sequence[tuple[str, str]]) -> str | None:
        """Rewrite a follow-up as a standalone question, or None to use the offline method.

        ``history`` is [(user question, assistant answer), ...], oldest first. The
        ``Assistant`` calls it only for questions that ``qa.condense`` found to depend
        on the conversation; standalone ones are searched as typed.
        """
        return None
