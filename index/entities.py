"""Light named-entity keys for story grouping: the proper names an article leads with.

Story grouping (``index.stories``) asks whether two articles name the same people,
places and organisations. ``index/`` must not import the spaCy pipeline that ``qa/``
owns, and a key set needs no entity types, so this reads names off capitalisation: a
capitalised word (or ``U.S.``-style initialism) of the headline or the lead counts as
a name when the body also capitalises it inside a sentence and never writes it in
lower case (``But``, ``The``, ``Officials`` only open sentences; a name is never
written in lower case), and is not a calendar word, which every dated article
capitalises. Keys are lower-cased single words, so
"Damar Hamlin" and a later "Hamlin" share a key. It does not type, link or
disambiguate entities: two different Smiths share a key, and the embedding
similarity that goes with it in ``index.stories`` has to tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Characters of the body read after the headline: the lead names what the story is about.
LEAD_CHARS = 1200
#: Keys kept per article, most frequent first (names repeated in the lead matter most).
MAX_KEYS = 12

_WORD = re.compile(r"[A-Za-z][\w'’.-]*\w|[A-Za-z]")
#: What may stand before a word that opens a sentence, a line or a quote.
_OPENERS = frozenset(".!?:;\"“‘'(—–-•*")
#: Words every dated article capitalises (and titles of address): never a story's name.
_CALENDAR = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|june|july"
    r"|august|september|october|november|december|i|mr|mrs|ms|dr"
)


def _key(word: str) -> str:
    """The word as compared: lower case, without a possessive or trailing dots."""
    word = re.sub(r"['’]s$", "", word)
    return word.lower().strip(".")


def _mid_sentence_caps(text: str) -> set[str]:
    """Keys of capitalised words that do not open a sentence, line or quote: a name is
    capitalised there, a common word only at the start."""
    found = set()
    for m in _WORD.finditer(text):
        if not m.group()[0].isupper():
            continue
        before = text[: m.start()].rstrip()
        if before and before[-1] not in _OPENERS:
            found.add(_key(m.group()))
    return found


def entity_keys(title: str, text: str, outlets: Iterable[str] = ()) -> tuple[str, ...]:
    """Lower-cased name words of the headline and lead, most frequent first (ties by
    first appearance), at most ``MAX_KEYS``; the words of ``outlets`` are left out (a
    dateline's "CNN" says who wrote it, not what it is about)."""
    lead = f"{title}\n{text[:LEAD_CHARS]}"
    # subtle: both tests read the whole body, where "Senate" turns up mid-sentence and
    # "the" or "officials" show up in lower case somewhere; a Title Case headline
    # ("Flash Floods Kill 14") is judged by how the body writes its words
    names = _mid_sentence_caps(text) - {_key(w) for w in _WORD.findall(text) if w[0].islower()}
    names -= {w.lower() for o in outlets for w in re.findall(r"[A-Za-z]+", o)}
    counts: dict[str, int] = {}
    for word in _WORD.findall(lead):
        key = _key(word)
        if word[0].isupper() and key in names and len(key) >= 2 and not _CALENDAR.fullmatch(key):
            counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts, key=lambda k: -counts[k])  # sorted is stable: first seen wins ties
    return tuple(ranked[:MAX_KEYS])
