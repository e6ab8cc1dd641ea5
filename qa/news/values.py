"""When are two answer phrases the same value, written differently?

"12" and "twelve", "1,200" and "1.2 thousand", "U.S." and "United States",
"McCarthy" and "Kevin McCarthy", "Tampa, Florida" and "Tampa Bay, Florida" name the
same value; "12" and "15", "Apple" and "Facebook", "April 3" and "April 5" do not.
Dates compare by the parts both name ("September 2019" = "September 10, 2019";
"2015" and "late April" share no part, so they cannot disagree), numbers by value,
everything else by its words: one phrase's words all found in the other's
(granularity is not disagreement), or an acronym of the other. A name spelt another
way ("Hadad" / "Haddad") is another value: a correction may be just that. It does not
judge which value is right.
"""

from __future__ import annotations

import re

from index.number_words import SMALL, TENS
from qa.dates import MONTHS

WORD_NUMBERS = {w: i for i, w in enumerate(SMALL)} | {w: 10 * (i + 2) for i, w in enumerate(TENS)}
WORD_NUMBERS |= {"a dozen": 12, "dozen": 12, "a hundred": 100, "a thousand": 1000}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6}
_SCALES |= {"billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_DIGITS = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(hundred|thousand|million|billion|trillion|bn|mn|tn|[kmb])?\b"
)
_WORDS = re.compile(
    r"\b((?:"
    + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
    + r")(?:[- ](?:"
    + "|".join(SMALL[1:10])
    + r"))?)(?:\s+(hundred|thousand|million|billion))?\b"
)
_MONTHS = {m[:3]: m for m in MONTHS}
_FILLER = {
    "the",
    "a",
    "an",
    "of",
    "about",
    "around",
    "some",
    "nearly",
    "almost",
    "over",
    "more",
    "than",
    "at",
    "least",
    "approximately",
    "roughly",
    "in",
    "on",
    "and",
    "s",
}
_TOKEN = re.compile(r"[a-z0-9]+")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_DAY = re.compile(r"\b([1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b")
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")


def number(phrase: str) -> float | None:
    """The first number a phrase states ("US$19.3 billion" → 1.93e10, "twelve" → 12)."""
    low = phrase.lower()
    m = _DIGITS.search(low)
    if m:
        return float(m.group(1).replace(",", "")) * _SCALES.get(m.group(2) or "", 1.0)
    m = _WORDS.search(low)
    if not m:
        return None
    said = m.group(1)
    if said in WORD_NUMBERS:
        value = WORD_NUMBERS[said]
    else:  # "eighty-one", "eighty one"
        head, _, tail = said.replace("-", " ").partition(" ")
        value = WORD_NUMBERS[head] + WORD_NUMBERS.get(tail, 0)
    return value * _SCALES.get(m.group(2) or "", 1.0)


def words(phrase: str) -> frozenset[str]:
    """The phrase's content words, casefolded; month abbreviations spelled out."""
    found = _TOKEN.findall(phrase.lower().replace("’", "'").replace("'s", ""))
    return frozenset(_MONTHS.get(w[:3], w) if w[:3] in _MONTHS else w for w in found) - _FILLER


def _acronym(a: str, b: str) -> bool:
    """ "U.S." or "UN" against "United States" or "the United Nations"."""
    letters = a.replace(".", "").strip()
    wb = [w for w in _TOKEN.findall(b.lower()) if w not in _FILLER]
    return (
        _ACRONYM.fullmatch(a.strip()) is not None
        and len(wb) > 1
        and letters.lower() == "".join(w[0] for w in wb)
    )


def _month(name: str) -> str:
    """ "september", "sept", "sep." — not "mayor" or "marine"."""
    return rf"\b{name[:3]}(?:{name[3:]}|t\.?|\.)?(?!\w)"


def date_parts(phrase: str) -> dict[str, int] | None:
    """The year, month and day a phrase names ("Sept. 10th, 2019" → all three, "late April"
    → the month), or None when it names no month and no year."""
    low = phrase.lower()
    parts: dict[str, int] = {}
    months = [i for i, m in enumerate(MONTHS, 1) if re.search(_month(m), low)]
    if len(months) == 1:
        parts["month"] = months[0]
    years = _YEAR.findall(low)
    if len(years) == 1:
        parts["year"] = int(years[0])
    days = _DAY.findall(_YEAR.sub(" ", low))
    if "month" in parts and len(days) == 1:
        parts["day"] = int(days[0])
    return parts or None


def _same_date(a: dict[str, int], b: dict[str, int]) -> bool | None:
    """Dates agree when every part both name agrees (granularity is not disagreement);
    None when they share no part to compare ("2015" / "late April")."""
    shared = a.keys() & b.keys()
    return all(a[k] == b[k] for k in shared) if shared else None


def same_value(a: str, b: str) -> bool:
    """True when two answer phrases state the same value (see the module docstring)."""
    da, db = date_parts(a), date_parts(b)
    if da is not None and db is not None:
        same = _same_date(da, db)
        return True if same is None else same
    na, nb = number(a), number(b)
    if na is not None and nb is not None:
        return abs(na - nb) <= 1e-9 * max(abs(na), abs(nb))
    if _acronym(a, b) or _acronym(b, a):
        return True
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return a.strip().lower() == b.strip().lower()
    return wa <= wb or wb <= wa
