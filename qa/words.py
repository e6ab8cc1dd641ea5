"""Counts in messages: "1 chunk", "2 chunks", never "1 chunks" or "article(s)".

English plurals of the few nouns newsdesk counts (articles, chunks, questions, errors,
duplicates, files) add an "s"; a noun that does not takes its plural as an argument.
An inflection library would be a dependency for that one rule, so there is none.
"""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun`` agreeing: ``plural(1, "chunk")`` → "1 chunk",
    ``plural(1200, "new chunk")`` → "1,200 new chunks".

    Args:
        count: how many; shown with thousands separators.
        noun: the singular, possibly with words before it ("new chunk").
        many: the plural when it is not ``noun + "s"`` ("matches", "entries").
    """
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"
