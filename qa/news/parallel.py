"""Two near-identical sentences that differ in one phrase: one report, edited apart.

Outlets rewrite the same wire copy, and a reprint may change the one figure or name
that matters ("…at Raymond James Stadium in Tampa, Florida" / "…in Glendale,
Arizona"). Such a pair disagrees exactly where the words differ, whatever phrase an
answerer picked out of it. This module finds the differing phrase of two sentences
(``difflib`` over words); it does not decide whether the difference matters.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

#: Share of words two sentences must have in common to count as one report edited.
MIN_RATIO = 0.7
#: Longest differing phrase, in words, on either side.
MAX_WORDS = 6
_GAP = 2  # differing runs this close (", " between "Tampa" and "Florida") are one phrase
_TOKEN = re.compile(r"\w+(?:[.'’-]\w+)*\.?|[^\w\s]")
# Where scraped snippets and listings join unrelated pieces: "Feb 5, 2022 ... Norway …"
_JOINS = re.compile(r"\s(?:\.\.\.|…|·|;|\|)\s")

Span = tuple[int, int]  # (start, end) offsets into a sentence


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, piece) of the parts of a sentence between snippet joins."""
    cuts = [0, *(x for m in _JOINS.finditer(text) for x in (m.start(), m.end())), len(text)]
    return [(cuts[i], text[cuts[i] : cuts[i + 1]]) for i in range(0, len(cuts), 2)]


def differing_phrase(a: str, b: str) -> tuple[Span, Span] | None:
    """The one phrase in which ``a`` and ``b`` differ, as spans of each; None when they
    are not one sentence edited (too different, or differing in more than one way).
    Pieces joined by "…", "·", ";" or "|" are compared piece by piece."""
    for oa, pa in _pieces(a):
        for ob, pb in _pieces(b):
            found = _one_phrase(pa, pb)
            if found is not None:
                (s1, e1), (s2, e2) = found
                return (oa + s1, oa + e1), (ob + s2, ob + e2)
    return None


def _one_phrase(a: str, b: str) -> tuple[Span, Span] | None:
    ta, tb = _tokens(a), _tokens(b)
    if len(ta) < 4 or len(tb) < 4:
        return None
    wa, wb = [t.group().lower() for t in ta], [t.group().lower() for t in tb]
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    if not wa or not wb or matcher.ratio() < MIN_RATIO:
        return None
    runs: list[list[int]] = []  # [i1, i2, j1, j2] of merged differing runs
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if runs and i1 - runs[-1][1] <= _GAP and j1 - runs[-1][3] <= _GAP:
            runs[-1][1], runs[-1][3] = i2, j2
        else:
            runs.append([i1, i2, j1, j2])
    pairs = {(" ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for i1, i2, j1, j2 in runs}
    if len(pairs) != 1:  # a reprint changes every mention the same way, or it is no reprint
        return None
    i1, i2, j1, j2 = runs[0]
    if not (0 < i2 - i1 <= MAX_WORDS and 0 < j2 - j1 <= MAX_WORDS):
        return None
    if not any(c.isalnum() for c in a[ta[i1].start() : ta[i2 - 1].end()]):
        return None
    return (ta[i1].start(), ta[i2 - 1].end()), (tb[j1].start(), tb[j2 - 1].end())
