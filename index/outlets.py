"""Match the outlet a user names to the outlet names the index holds.

Scraped articles name their outlet by site ("cnn.com", "theweek.co.uk"), wire copy
by full name ("Associated Press"), and users type neither: ``--source CNN`` or
``--source AP``. An exact filter would silently find nothing. Each name is reduced
to a few comparison keys: the name in lower case without punctuation, spaces or a
leading "the" ("usatoday"; "theweek" and "week"); for a domain, its name before the suffix
("cnn.com" → "cnn"); for a name of several words, its initials ("Associated
Press" → "ap", "Agence France-Presse" → "afp"). Two names match when they share a
key. No alias table: what is not derivable from the name itself (a brand and its
owner's name) is not matched. A name that matches nothing gets the known names that
are spelled most like it (``close_outlets``), for an error message to offer.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+)(?:\.[a-z]{2,})+/?$")
_WORD = re.compile(r"[a-z0-9]+")


def outlet_keys(name: str) -> frozenset[str]:
    """The comparison keys of an outlet name (empty for a name with no letters or digits)."""
    low = name.strip().lower()
    domain = _DOMAIN.match(low)
    if domain:
        low = domain.group(1).replace("-", " ")
    words = _WORD.findall(low)
    if not words:
        return frozenset()
    core = words[1:] if words[0] == "the" and len(words) > 1 else words
    keys = {"".join(words), "".join(core)}  # "The Week" meets both "theweek.co.uk" and "Week"
    if len(core) > 1:
        keys.add("".join(w[0] for w in core))
    return frozenset(keys)


def matching_outlets(wanted: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    """Every name in ``known`` that shares a key with one in ``wanted``, plus ``wanted``
    itself (so a name the index does not list yet still filters exactly)."""
    wanted = tuple(wanted)
    keys = frozenset().union(*(outlet_keys(w) for w in wanted))
    found = [name for name in known if outlet_keys(name) & keys]
    return tuple(dict.fromkeys([*wanted, *found]))


def unknown_outlets(wanted: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    """The names in ``wanted`` that match no name in ``known`` (in the order given)."""
    known_keys = frozenset().union(*(outlet_keys(k) for k in known))
    return tuple(w for w in wanted if not outlet_keys(w) & known_keys)


def close_outlets(name: str, known: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """Up to ``n`` names of ``known`` spelled most like ``name`` (difflib ratio of their
    comparison keys, at least 0.6), best first: "Reuter" → "Reuters", "CNBC" → "cnbc.com"."""
    keys = outlet_keys(name) or {name.lower()}
    scored = []
    for other in dict.fromkeys(known):
        ratio = max(
            difflib.SequenceMatcher(None, a, b).ratio()
            for a in keys
            for b in outlet_keys(other) or {other.lower()}
        )
        if ratio >= 0.6:
            scored.append((-ratio, other))
    return tuple(other for _, other in sorted(scored)[:n])
