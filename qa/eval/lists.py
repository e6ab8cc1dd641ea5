"""Item recall and precision of list answers (``evals/lists/``): pure, no I/O.

A list question's gold is a set of items, each a tuple of aliases ("Meta", "Meta
Platforms"). An answer's listed items are read off its lines, whatever answerer wrote
them: citation markers and bullets are dropped, a line shaped ``Name, Name: “quote”``
(the extractive answerer's) lists the names before the quote, any other line is one
item. An item is found when one of its aliases is contained (``metrics.contains``) in a
listed item. It does not parse free prose into items: an LLM's "Meta and Amazon both…"
counts as one listed item that names two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.eval.metrics import contains_any

_MARKERS = re.compile(r"\s*(?:\[\d+(?:\s*,\s*\d+)*\])+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def listed_items(answer: str) -> list[str]:
    """The items an answer lists, one or more per line (see the module docstring)."""
    items: list[str] = []
    for line in answer.splitlines():
        line = _BULLET.sub("", _MARKERS.sub("", line)).strip()
        if not line:
            continue
        lead, quoted, _ = line.partition(": “")
        names = lead.split(", ") if quoted else [line]
        items += [n.strip() for n in names if n.strip()]
    return items


def item_scores(
    gold: Sequence[Sequence[str]], answer: str, refused: bool
) -> tuple[float, float | None]:
    """(recall, precision): the share of gold items the answer lists, and the share of
    listed items that are gold (None when it lists nothing, e.g. a refusal)."""
    listed = [] if refused else listed_items(answer)
    recall = sum(any(contains_any(x, aliases) for x in listed) for aliases in gold)
    right = sum(any(contains_any(x, aliases) for aliases in gold) for x in listed)
    return recall / len(gold) if gold else 0.0, right / len(listed) if listed else None
