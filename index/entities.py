"""Light named-entity keys for story grouping: the proper names an article leads with.

Story grouping (``index.stories``) asks whether two articles name the same people,
places and organisations. ``index/`` must not import the spaCy pipeline that ``qa/``
owns, and a key set needs no entity types, so this reads names off capitalisation: a
capitalised word (or ``U.S.``-style initialism) of the headline or the lead counts as
a name unless the same text also uses it in lower case (``But``, ``The``, ``Officials``
open sentences; a name is never written in lower case) or it is a calendar word,
which every dated article capitalises. Keys are lower-cased single words, so
"Damar Hamlin" and a later "Hamlin" share a key. It does not type, link or
disambiguate entities: two different Smiths share a key, and the embedding
similarity that goes with it in ``index.stories`` has to tell them apart.
"""

from __future__ import annotations

import re

#: Characters of the body read after the headline: the lead names what the story is about.
LEAD_CHARS = 1200
#: Keys kept per article, most frequent first (names repeated in the lead matter most).
MAX_KEYS = 12

_WORD = re.compile(r"[A-Za-z][\w'’.-]*\w|[A-Za-z]")
#: Words every dated article capitalises (and titles of address): never a story's name.
_CALENDAR = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|june|july"
    r"|august|september|october|november|december|i|mr|mrs|ms|dr"
)


def _key(word: str) -> str:
    """The word as compared: lower case, without a possessive or trailing dots."""
    word = re.sub(r"['’]s$", "", word)
    return word.lower().strip(".")


def entity_keys(title: str, text: str) -> tuple[str, ...]:
    """Lower-cased name words of the headline and lead, most frequent first (ties by
    first appearance), at most ``MAX_KEYS``."""
    lead = f"{title}\n{text[:LEAD_CHARS]}"
    # subtle: the common-word test reads the whole body, where "Senate" stays capitalised
    # but "the" and "officials" show up in lower case somewhere
    lower = {w for w in _WORD.findall(text) if w[0].islower()}
    lower_keys = {_key(w) for w in lower}
    counts: dict[str, int] = {}
    for word in _WORD.findall(lead):
        if not word[0].isupper():
            continue
        key = _key(word)
        if len(key) < 2 or _CALENDAR.fullmatch(key) or key in lower_keys:
            continue
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts, key=lambda k: -counts[k])  # sorted is stable: first seen wins ties
    return tuple(ranked[:MAX_KEYS])
