"""Do two claims answer the same slot of the asked fact? Only then can they disagree.

Two articles "disagree" only when their values are rival fillers of one slot: "Twelve
people died" / "Fifteen people died" (two counts of the dead), "Luca Moretti scored the
winning goal" / "Sami Okoro scored …". A count of the dead against a year, a person
against a company, or a name that fills another role in its sentence ("Meta owns
Instagram" beside "Instagram was founded by Kevin Systrom") is no disagreement, just two
facts. A rival claim fills the anchor's slot when:

* its value is of the same kind (``family``: a person, a group, a place, a time, a
  number, a named thing; a plain noun phrase is never a value to dispute);
* its sentence states it with the same predicate (``predicate``: the content lemmas on
  the parse path from the value up to its verb share one with the anchor's: "died",
  "scored", "paid");
* its sentence keeps the question's own numbers the anchor's sentence holds (asked
  "in 2018", a sentence about 2022 answers another question);
* its sentence states as much of the question as the anchor's does (``ALIKE``).

A one-phrase edit of the anchor's sentence (``Claim.parallel``) fills the slot by
construction and skips these tests. This module judges claims pairwise; it does not
decide what is an update and what a conflict (``qa.news.disagreements``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.answer_heads import NUMBERS, PLACES, TIMES
from qa.dates import WEEKDAYS
from qa.news.claims import Claim
from qa.news.values import date_parts
from qa.nlp import STOP_WORDS, get_nlp, terms

#: A rival's sentence must hold this share of the question words the anchor's holds.
ALIKE = 0.75
_FAMILIES = {"PERSON": "person", "ORG": "group", "NORP": "group"}
_FAMILIES |= dict.fromkeys(PLACES, "place") | dict.fromkeys(TIMES, "time")
_FAMILIES |= dict.fromkeys(NUMBERS, "number")
_FAMILIES |= dict.fromkeys(("PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"), "thing")
_DIGITS = re.compile(r"\d+")
_SPECIFIC = re.compile(
    rf"\d|\b(?:{'|'.join(WEEKDAYS)}|today|yesterday|tomorrow|tonight)\b", re.IGNORECASE
)
#: Steps up the parse from the value's head to its governing verb.
_MAX_STEPS = 4


def family(label: str, value: str = "") -> str | None:
    """The kind of value an entity label names. A phrase the tagger left unlabelled
    ("NP") is a ``name`` when every word is capitalised ("Ash Hollow"), else None: a
    plain noun phrase ("the business") is no value to dispute."""
    if label in _FAMILIES:
        kind = _FAMILIES[label]
        # "annual", "years", "the following year": a date, but none one could dispute
        # (a time of day, "morning", is one)
        vague = label == "DATE" and date_parts(value) is None and not _SPECIFIC.search(value)
        return None if vague else kind
    words = value.split()
    if label and words and all(w[:1].isupper() for w in words) and value.lower() not in STOP_WORDS:
        return "name"
    return None


def same_kind(a: Claim, b: Claim) -> bool:
    """Values of one kind; an unlabelled ``name`` may be a person, group, place or thing."""
    ka, kb = family(a.label, a.value), family(b.label, b.value)
    if ka is None or kb is None:
        return False
    named = {"person", "group", "place", "thing", "name"}
    return ka == kb or ("name" in (ka, kb) and {ka, kb} <= named)


@lru_cache(maxsize=256)
def predicate(sentence: str, value: str) -> frozenset[str]:
    """Content lemmas on the parse path from ``value`` (in ``sentence``) up to its verb."""
    at = sentence.find(value)
    if at < 0 or not value:
        return frozenset()
    doc = get_nlp()(sentence)
    span = doc.char_span(at, at + len(value), alignment_mode="expand")
    if span is None:
        return frozenset()
    out, token = set(), span.root
    for _ in range(_MAX_STEPS):
        if token.head is token:
            break
        token = token.head
        if token.is_alpha and token.lower_ not in STOP_WORDS:
            out.add(token.lemma_.lower())
        if token.pos_ in ("VERB", "AUX"):
            break
    return frozenset(out)


def _keeps_numbers(question: str, anchor: Claim, rival: Claim) -> bool:
    asked = set(_DIGITS.findall(question)) & set(_DIGITS.findall(anchor.sentence))
    held = set(_DIGITS.findall(rival.passage.title + " " + rival.sentence))
    return asked <= held


def alike(question: str, anchor: Claim, rival: Claim) -> bool:
    """Does ``rival``'s sentence state as much of the question as ``anchor``'s does?"""
    asked = set(terms(question))
    need = len(asked & set(terms(anchor.sentence)))
    return len(asked & set(terms(rival.sentence))) >= ALIKE * need


def same_slot(question: str, anchor: Claim, rival: Claim) -> bool:
    """Does ``rival``'s value fill the slot ``anchor``'s value fills (see the module)?"""
    if rival.parallel:
        return True
    if not same_kind(anchor, rival):
        return False
    if not _keeps_numbers(question, anchor, rival) or not alike(question, anchor, rival):
        return False
    return bool(predicate(anchor.sentence, anchor.value) & predicate(rival.sentence, rival.value))
