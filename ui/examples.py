"""Example questions for an empty conversation, from the archive's own recent headlines.

Each question names the topic of one recent story: the headline's main part,
cut to its first clause ("X happens, officials say" → "X happens"). What a
headline is not, it must not become:

- a series label ("The Short List", "News from around our 50 states",
  "Tuesday's news"): a headline part that recurs in other headlines of the
  sample, or that names nothing (no capitalised word besides weekdays, months
  and question words), is dropped, and the rest of the headline is used;
- a digest of several stories ("Kevin McCarthy, California rain, Damar
  Hamlin, …", "Coal miners, crawfish offer: News from around our 50 states"):
  a part listing three or more items, or two beside a dropped label, makes the
  article skipped.

Stories are distinct: a topic that shares a name with one already chosen is
skipped. Nothing here knows any particular corpus or outlet.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from qa.dates import MONTHS, WEEKDAYS

if TYPE_CHECKING:  # heavy (chromadb): only the loaded Assistant's index is passed in
    from index import Access, NewsIndex

SAMPLE = 200  # newest headlines looked at
_MAX_WORDS = 12
_CLAUSE = re.compile(r",\s|[;—–]|\s-\s")  # not the comma of "10,000"
_WORD = re.compile(r"[\w'’.-]+")
_NOT_NAMES = frozenset(
    [
        *WEEKDAYS,
        *MONTHS,
        "the",
        "a",
        "an",
        "this",
        "these",
        "that",
        "how",
        "what",
        "why",
        "when",
        "where",
        "who",
        "which",
        "here",
        "here's",
        "is",
        "are",
        "do",
        "does",
        "can",
        "will",
        "should",
    ]
)


def _names(part: str) -> set[str]:
    """Capitalised words of a headline part that could be names (casefolded)."""
    words = (w.strip("'’.-") for w in _WORD.findall(part))
    return {
        w.casefold()
        for w in words
        if w[:1].isupper() and w.casefold().removesuffix("'s").removesuffix("’s") not in _NOT_NAMES
    }


def _label_key(part: str) -> str:
    """A headline part with digits and spacing ignored, to spot series labels."""
    return " ".join(re.sub(r"\d+", "", part).casefold().split())


def _topic(title: str, labels: Counter[str]) -> str | None:
    """The topic of one headline, or None for a series label or a digest."""
    parts = [p.strip(" .?!…") for p in title.split(":")]
    kept = [p for p in parts if p and labels[_label_key(p)] < 2 and _names(p)]
    # a digest: a part listing 3+ items, or 2+ items beside a series label
    items = 2 if len(kept) < len(parts) else 3
    if not kept or any(len(_CLAUSE.split(p)) >= items for p in kept):
        return None
    parts = kept
    words = _CLAUSE.split(max(parts, key=lambda p: len(p.split())))[0].split()
    if not words or not _names(" ".join(words)):
        return None
    return " ".join(words[:_MAX_WORDS]) + ("…" if len(words) > _MAX_WORDS else "")


def example_questions(index: NewsIndex, limit: int = 3, access: Access | None = None) -> list[str]:
    """Up to ``limit`` questions about distinct recent stories the reader may see."""
    recent = index.recent_headlines(SAMPLE, access)
    titles = [" ".join(title.split()) for _, title, _, _ in recent]
    labels = Counter(_label_key(p) for t in titles for p in set(t.split(":")))
    questions: list[str] = []
    used: set[str] = set()
    for title in titles:
        topic = _topic(title, labels)
        if topic is None or _names(topic) & used:
            continue
        used |= _names(topic)
        questions.append(f"What do the articles say about “{topic}”?")
        if len(questions) == limit:
            break
    return questions
