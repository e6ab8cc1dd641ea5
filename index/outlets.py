"""Match the outlet a user names to the outlet names the index holds.

Scraped articles name their outlet by site ("cnn.com", "theweek.co.uk"), wire copy
by full name ("Associated Press"), and users type neither: ``--source CNN`` or
``--source AP``. An exact filter would silently find nothing. Each name is reduced
to a few comparison keys: the name in lower case without punctuation, spaces or a
leading "the" ("usatoday"; "theweek" and "week"); for a domain, its name before the suffix
("cnn.com" → "cnn"); for a name of several words, its initials ("Associated
Press" → "ap", "Agence France-Presse" → "afp"). Two names match when they share a
key. No alias table: what is not derivable from the name itself (a brand and its
owner's name) is not matched.
"""

from __future__ import annotations

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
