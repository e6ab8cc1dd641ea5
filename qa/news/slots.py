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
#: Dependents of a verb that are clauses of their own ("Since the recall began, …").
_OTHER_CLAUSES = frozenset({"advcl", "ccomp", "parataxis", "conj", "relcl"})


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
def _governed(sentence: str, value: str) -> tuple[frozenset[str], frozenset[str]]:
    """For ``value`` in ``sentence``: the content lemmas on the parse path from it up to
    its verb, and those of that verb's own clause (the verb's subtree without the
    subordinate or coordinated clauses hanging off it)."""
    at = sentence.find(value)
    if at < 0 or not value:
        return frozenset(), frozenset()
    doc = get_nlp()(sentence)
    span = doc.char_span(at, at + len(value), alignment_mode="expand")
    if span is None:
        return frozenset(), frozenset()
    path, token = set(), span.root
    for _ in range(_MAX_STEPS):
        if token.head is token:
            break
        token = token.head
        if _content(token):
            path.add(token.lemma_.lower())
        if token.pos_ in ("VERB", "AUX"):
            break
    outside = {t.i for c in token.children if c.dep_ in _OTHER_CLAUSES for t in c.subtree}
    clause = {t.lemma_.lower() for t in token.subtree if t.i not in outside and _content(t)}
    return frozenset(path), frozenset(clause)


def _content(token) -> bool:
    return token.is_alpha and token.lower_ not in STOP_WORDS


def predicate(sentence: str, value: str) -> frozenset[str]:
    """Content lemmas on the parse path from ``value`` (in ``sentence``) up to its verb."""
    return _governed(sentence, value)[0]


def _stem(lemma: str) -> str:
    """One form for a lemma and its participle ("flood" / "flooded" as an adjective)."""
    return next(iter(terms(lemma)), lemma)


def restates(anchor: Claim, rival: Claim) -> bool:
    """Does ``rival``'s value stand in a clause that names the anchor's whole predicate?
    "The number of flooded homes has risen to 140" restates "flooding 80 homes" (its own
    path, "risen", shares nothing with "flooding homes"); "Since the recall began, the
    company received 35 reports" does not restate "recalled 40,000 kettles": the recall
    is in another clause than the 35."""
    wanted = {_stem(w) for w in predicate(anchor.sentence, anchor.value)}
    return bool(wanted) and wanted <= {_stem(w) for w in _governed(rival.sentence, rival.value)[1]}


def _keeps_numbers(question: str, anchor: Claim, rival: Claim) -> bool:
    asked = set(_DIGITS.findall(question)) & set(_DIGITS.findall(anchor.sentence))
    held = set(_DIGITS.findall(rival.passage.title + " " + rival.sentence))
    return asked <= held


def alike(question: str, anchor: Claim, rival: Claim, titles: bool = False) -> bool:
    """Does ``rival``'s sentence (with its headline, when ``titles``) state as much of
    the question as ``anchor``'s does?"""

    def told(c: Claim) -> int:
        return len(asked & set(terms(f"{c.passage.title} {c.sentence}" if titles else c.sentence)))

    asked = set(terms(question))
    return told(rival) >= ALIKE * told(anchor)


def reports_same_fact(question: str, anchor: Claim, rival: Claim) -> bool:
    """Could ``rival`` be a later report of ``anchor``'s fact? As ``same_slot``, but a
    later report may also say the fact in other words around its new value
    (``restates``): "now stands at 16" after "injuring 14 passengers"."""
    return _fills(question, anchor, rival, restated=True)


def same_slot(question: str, anchor: Claim, rival: Claim) -> bool:
    """Does ``rival``'s value fill the slot ``anchor``'s value fills (see the module)?"""
    return _fills(question, anchor, rival, restated=False)


def _fills(question: str, anchor: Claim, rival: Claim, restated: bool) -> bool:
    if rival.parallel:
        return True
    if not same_kind(anchor, rival):
        return False
    # a later report often names the place or the people only in its headline
    if not _keeps_numbers(question, anchor, rival) or not alike(
        question, anchor, rival, titles=restated
    ):
        return False
    shared = predicate(anchor.sentence, anchor.value) & predicate(rival.sentence, rival.value)
    return bool(shared) or (restated and restates(anchor, rival))
