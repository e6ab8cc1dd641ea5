"""Does a near-copy change a fact? A reprint that alters a figure or a name is news.

Two texts a near-duplicate test calls the same (a syndicated wire copy, a lightly
edited reprint) may still differ where it matters: "Twelve people died" / "15 people
died", "in Tampa, Florida" / "in Glendale, Arizona", "on Tuesday" / "on Friday". Such a
pair is an update or a conflicting report, and folding one into the other hides the
very thing a reader asks about. This module finds those changes: the word diff
(``difflib``) of the two texts, kept where one run of words is replaced by another
and both runs hold a *value* — a number (digits or a number word) or a name (a
capitalised word that is not just a sentence's opening function word) — and the
values differ. Added or dropped words (a byline, a copyright line, "Updated.") and
the outlets' own names are not changes of fact.

It decides nothing about which text is right, or what a caller does with the pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from index.number_words import SCALES, SMALL, TENS

_TOKEN = re.compile(r"\w+(?:[.'’-]\w+)*\.?|[^\w\s]")
_NUMBER_WORDS = frozenset(SMALL + TENS + SCALES)
#: Capitalised only because they open a sentence: not names.
_OPENERS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "after",
        "before",
        "as",
        "but",
        "and",
        "or",
        "so",
        "if",
        "when",
        "while",
        "there",
        "here",
        "some",
        "many",
        "most",
        "all",
        "no",
        "not",
    ]
)
_SENTENCE_END = frozenset('.!?"“”—:;')
#: Most words a replaced run may hold to count as one changed fact, not a rewrite.
MAX_RUN = 8


def _is_value(token: str, opens: bool) -> bool:
    low = token.lower().rstrip(".")
    if any(ch.isdigit() for ch in token) or low in _NUMBER_WORDS:
        return True
    if not token[:1].isupper():
        return False
    return not (opens and low in _OPENERS)


def _values(tokens: list[str], start: int, end: int, ignore: frozenset[str]) -> set[str]:
    out = set()
    for i in range(start, end):
        token = tokens[i]
        opens = i == 0 or tokens[i - 1] in _SENTENCE_END or tokens[i - 1].endswith(".")
        if token[:1].isalnum() and token.lower() not in ignore and _is_value(token, opens):
            out.add(token.lower().rstrip("."))
    return out


def changed_values(a: str, b: str, ignore: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The (a-side, b-side) phrases where ``b`` states another value than ``a``.

    Args:
        ignore: names that may differ without changing a fact (the outlets' own).
    """
    skip = frozenset(w.lower() for name in ignore for w in _TOKEN.findall(name or ""))
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    matcher = SequenceMatcher(None, [t.lower() for t in ta], [t.lower() for t in tb], False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > MAX_RUN or j2 - j1 > MAX_RUN:
            continue
        va, vb = _values(ta, i1, i2, skip), _values(tb, j1, j2, skip)
        if va and vb and va != vb:
            out.append((" ".join(ta[i1:i2]), " ".join(tb[j1:j2])))
    return out
