"""List answers: a question that asks for several things gets several, each quoted.

"Which companies announced layoffs?", "Who are the candidates …?", "What countries …",
"Name the …", "List the …": the question names a plural kind of thing (its head noun)
that the answer should enumerate. This module tells such questions apart
(``list_expected``, from the spaCy parse: a wh-word or "name"/"list" before a plural
common noun) and turns the extractive answerer's ranked sentences into a list draft:
every name of the asked kind in a sentence that scores as an answer, once each (a
shorter name of an entity already listed is the same entity), led by its fullest form in
its article and quoting the sentence that names it.

It does not score sentences (the extractive answerer does) nor check citations
(``qa.citations`` does); it only lists names, never plain noun phrases, because "the
company" and "its rivals" cannot be told apart from items by their shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.outlets import outlet_keys
from qa.answer_heads import HEAD_LABELS, NAMES, PEOPLE
from qa.answer_types import (
    Candidate,
    Expected,
    _after_copula,
    _next_noun,
    _relative,
    _wh_possessor,
    is_subject,
)
from qa.answerers.base import Draft
from qa.citations import escape_markers
from qa.mentions import fullest_mention
from qa.models import Passage

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token  # spaCy is loaded through qa.nlp (see its docstring)

    from qa.answerers.extractive import _Sentence

#: Least type fit of a listed name: an entity of the asked label (1.0), a name standing
#: beside the asked noun (1.2), or a proper-noun run the recogniser left unlabelled (0.7).
ITEM_FIT = 0.7
#: How far below the refusal threshold a sentence that names further items may score:
#: the score counts the question's words a sentence holds, and a sentence naming one of
#: several items ("Lyft announced it was cutting 13% of its workforce") holds fewer of
#: them than one answer would. Set by eye on evals/lists (see its README).
ITEM_MARGIN = 0.15
#: Lower-case words that may join the capitalised words of one name ("Bank of America").
_NAME_JOINERS = {"of", "de", "du", "la", "von", "van", "al", "for"}
_SENTENCE_BREAK = re.compile(r"\w\w[.!?]\s+[A-Z]")
_NAME_LABELS = NAMES | {"PROPN"}
_IMPERATIVES = {"name", "list"}
# "What are the tournaments called?" asks for one name, not a list of tournaments
_NAMING = re.compile(r"\b(?:called|named|known as)\s*\?\s*$")
_WORD = re.compile(r"\w+")


def list_expected(question: Doc) -> Expected | None:
    """The answer type of a question asking for several names, or None for any other.

    A list question puts a plural common noun after its wh-word ("which companies",
    "what countries", "who are the candidates") or opens with "Name"/"List" ("Name the
    films …"); the noun must name a kind of named thing (company, country, player …),
    or the question asks "who" (then people or groups). "How many companies" asks for a
    number, "which company" and "which of these companies" for one.
    """
    low = question.text.lower()
    if re.search(r"\bhow (many|much)\b", low) or _NAMING.search(low):
        return None
    head = _plural_head(question)
    if head is None:
        return None
    lemma = head.lemma_.lower()
    labels = HEAD_LABELS.get(lemma)
    if labels is None and any(t.lower_ == "who" for t in question):
        labels = PEOPLE
    if not labels or not labels & NAMES:
        return None
    people = "PERSON" in labels  # like "which leader": a sentence naming nobody cannot answer
    return Expected("who" if people else "what", frozenset(labels), lemma, people)


def _plural_head(question: Doc) -> Token | None:
    """The plural common noun the question asks to enumerate, if it asks for a list."""
    if len(question) > 1 and question[0].lower_ in _IMPERATIVES:
        return _plural(_next_noun(question, 1))
    for tok in question:
        if tok.lower_ in ("which", "what", "who") and not _relative(tok):
            nxt = question[tok.i + 1] if tok.i + 1 < len(question) else None
            if nxt is None or nxt.lower_ == "of" or _wh_possessor(question, tok.i + 1):
                return None  # "Which of these teams …" picks one; "which team's players"
            after = _after_copula(question, tok.i + 1)
            if tok.lower_ == "who" and after == tok.i + 1:
                return None  # "Who won …" names no noun to enumerate
            return _plural(_next_noun(question, after))
    return None


def _plural(noun: Token | None) -> Token | None:
    # NNS only: a plural proper noun ("Who are the Bills playing?") is one team's name
    return noun if noun is not None and noun.tag_ == "NNS" else None


@dataclass(frozen=True)
class _Item:
    name: str
    words: frozenset[str]
    sentence: _Sentence
    start: int  # the name's offset in its sentence (items of one sentence keep its order)


def compose_list(
    ranked: Sequence[_Sentence],
    passages: Sequence[Passage],
    threshold: float,
    most: int,
    expected: Expected,
    subjects: bool = False,
) -> Draft | None:
    """A draft listing up to ``most`` distinct names from the sentences of ``ranked``
    (best first), or None when fewer than two are found.

    The best sentence must reach ``threshold`` (the question is answerable at all); the
    others may score up to ``ITEM_MARGIN`` below it, since each names only some of the
    items and so matches less of the question. With ``subjects`` (the question asks who
    or what did something: "Which companies announced …") only subjects of their
    sentences are listed, not the other names they mention ("… told CNN", "… beat
    Dunmore Town"). Each line names the items one sentence gives and quotes it:
    ``- Meta: “Meta said it would lay off 11,000 employees.” [1]``.
    """
    if not ranked or ranked[0].score < threshold:
        return None
    items: list[_Item] = []
    for s in ranked:
        if s.score < threshold - ITEM_MARGIN or len(items) >= most:
            break
        for c in s.cands:
            if len(items) >= most:
                break
            if subjects and (s.doc is None or not is_subject(c, s.doc)):
                continue
            name = _item_name(c, s, passages, expected)
            if name is None:
                continue
            words = frozenset(w.lower() for w in _WORD.findall(name))
            if any(words <= it.words or it.words <= words for it in items):
                continue  # "Meta" after "Meta Platforms": the same entity, listed once
            items.append(_Item(name, words, s, c.start))
    if len(items) < 2:
        return None
    lines: list[str] = []
    quotes: dict[int, list[tuple[int, int]]] = {}
    by_sentence: dict[tuple[int, int], list[_Item]] = {}
    for it in items:  # (passage number, start): one line per quoted sentence
        by_sentence.setdefault((it.sentence.n, it.sentence.start), []).append(it)
    for group in by_sentence.values():
        s = group[0].sentence
        names = [it.name for it in sorted(group, key=lambda it: it.start)]
        lines.append(f"- {', '.join(names)}: “{escape_markers(s.text)}” [{s.n}]")
        quotes.setdefault(s.n, []).append((s.start, s.end))
    return Draft(text="\n".join(lines), short="; ".join(it.name for it in items), quotes=quotes)


def _item_name(
    c: Candidate, s: _Sentence, passages: Sequence[Passage], expected: Expected
) -> str | None:
    """The listed form of a candidate phrase, or None when it is no item: not a name of
    the asked kind, or the outlet that reports the story ("told CNN")."""
    if not c.text[:1].isupper():
        return None  # "harbour" tagged a proper noun
    if not (_is_name(c) and c.fit >= ITEM_FIT) and not _name_shaped(c, s.doc, expected):
        return None
    same = [s.passage.title] + [p.text for p in passages if p.article_id == s.passage.article_id]
    name = escape_markers(fullest_mention(c.text, same)).strip()
    if _SENTENCE_BREAK.search(name):  # grown across a sentence end: "Baltic Sea. Estonia"
        name = escape_markers(c.text).strip()
    if not name or outlet_keys(name) & outlet_keys(s.passage.source or ""):
        return None
    return name


def _is_name(c: Candidate) -> bool:
    # A lone capitalised word opening its sentence is no evidence of a name ("Debut
    # novelist Sun Li …" tags "Debut" a proper noun)
    return c.label in _NAME_LABELS and not (
        c.label == "PROPN" and c.start == 0 and " " not in c.text
    )


def _name_shaped(c: Candidate, doc: Doc | None, expected: Expected) -> bool:
    """A noun phrase written like one name ("Riverton United", "Harbor City FC"), which
    the small entity recogniser misses in names of things it has not seen; it is
    reliable on people's names, so this is not used when people are asked for. Not a
    run of several ("Kelso Athletic and Port Elm Rovers"), a lone sentence-initial word,
    nor a phrase holding an entity of another kind ("Sunday", "President Joe Biden")."""
    if c.label != "NP" or "," in c.text or "PERSON" in expected.labels or doc is None:
        return False
    words = c.text.split()
    if c.start == 0 and len(words) == 1:
        return False
    if not all(w[:1].isupper() or w in _NAME_JOINERS for w in words) or not words[-1][:1].isupper():
        return False
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    return span is not None and not any(e.label_ not in expected.labels for e in span.ents)
