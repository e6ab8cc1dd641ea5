"""What kind of phrase a question asks for, and which phrases of a sentence could be it.

The extractive answerer has no reading-comprehension model (none ships offline), so it
leans on the question's shape: "who" wants a person or group, "how many" a number,
"which airline" an organisation, and so on. This module maps a parsed question to an
``Expected`` answer type and lists the candidate phrases (named entities and noun
phrases) of a parsed sentence, each with how well it fits. It does not pick sentences.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.answer_heads import HEAD_LABELS, NAMES, NUMBERS, PEOPLE, PLACES, TIMES

if TYPE_CHECKING:  # spaCy is imported by qa.nlp, without torch
    from spacy.tokens import Doc, Span

_CAUSE = re.compile(
    r"\b(?:because(?: of)?|due to|after|since|as a result of|in support of|"
    r"in order to|in response to|amid|following|so that|to(?= [a-z]+))\b",
    re.IGNORECASE,
)
# "QAMISHLI, Syria (AP) — " opens wire copy; its names are never the answer.
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+(?:,[A-Za-z .]+)?\s*(?:\([A-Za-z .]+\))?\s*[—–-]+\s*")
_LOCATIVE_PREPS = {"in", "at", "to", "near", "from", "into", "inside", "outside", "across", "on"}
_MANNER_PREPS = {"via", "by", "with", "through", "using"}
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}


@dataclass(frozen=True)
class Expected:
    """The answer a question asks for.

    ``kind``: who | when | where | how_many | how_much | why | how | what | yesno.
    ``labels``: spaCy entity labels that fit; empty means any phrase may do.
    ``head``: lemma of the question's head noun ("airline" in "Which airline …"), if any.
    ``strict``: True when a sentence without a fitting phrase cannot answer (numbers, dates).
    """

    kind: str
    labels: frozenset[str] = frozenset()
    head: str | None = None
    strict: bool = False


@dataclass(frozen=True)
class Candidate:
    """A phrase of a sentence that may answer the question; offsets are within the sentence."""

    text: str
    start: int
    end: int
    label: str  # entity label, or "NP" for a plain noun phrase, "CLAUSE" for a reason
    fit: float  # 0..1: how well the phrase matches the expected type


def expected_type(question: Doc) -> Expected:
    """Read the expected answer type off a parsed question (spaCy Doc with tagger+parser)."""
    low = question.text.lower()
    head = _head_noun(question)
    if re.search(r"\bhow (many|much)\b", low):
        unit = head or ""
        labels = set(NUMBERS)
        if unit in _TIME_UNITS:
            labels |= TIMES
        return Expected("how_many" if "many" in low else "how_much", frozenset(labels), head, True)
    if re.search(r"\bhow (old|long)\b|\bwhat age\b", low):
        return Expected("how_many", frozenset(NUMBERS | TIMES), head, True)
    if re.search(r"\bwhat (percentage|share|proportion)\b", low):
        return Expected("how_much", frozenset({"PERCENT"}), head, True)
    if re.match(
        r"\s*(is|are|was|were|has|have|had|did|does|do|will|would|can|could|should)\b", low
    ):
        return Expected("yesno")  # the sentence itself is the answer
    if re.search(r"\bwhen\b|\b(what|which) (year|day|date|month|time)\b", low):
        return Expected("when", frozenset(TIMES), head, True)
    if re.search(r"\bwhy\b|\bwhat (was|is) the reason\b|\bwhat reason\b", low):
        return Expected("why", frozenset(), head, True)  # no reason clause, no answer
    if re.search(
        r"^\s*where\b|\bwhere (is|are|was|were|did|do|does|will|might|can)\b|\bwhere\s*\?\s*$",
        low,
    ):
        return Expected("where", frozenset(PLACES), head, True)
    if re.search(r"\bwho(m|se)?\b", low) and not head:
        return Expected("who", frozenset(PEOPLE), None, True)
    if re.search(r"^\s*how\b", low):
        return Expected("how", frozenset(), head)
    if head and head in HEAD_LABELS:
        labels = HEAD_LABELS[head]
        # "which leader" cannot be answered by a sentence that names nobody
        people = labels == {"PERSON"}
        return Expected("who" if people else "what", frozenset(labels), head, people)
    return Expected("what", frozenset(), head)


def _head_noun(question: Doc) -> str | None:
    """Lemma of the noun the question's wh-word (or "this X") is about."""
    for tok in question[:-2]:  # "what is the name of the fighter …" → fighter
        if tok.lower_ in ("name", "names") and question[tok.i + 1].lower_ == "of":
            inner = _next_noun(question, tok.i + 2)
            if inner is not None:
                return inner.lemma_.lower()
    for tok in question:
        low = tok.lower_
        if _relative(tok):
            continue  # "A balloon, which officials said …, was downed off which state?"
        if low in ("which", "what", "whose", "this", "these") or (
            low == "many" and tok.i > 0 and question[tok.i - 1].lower_ == "how"
        ):
            owner = _wh_possessor(question, tok.i + 1)
            if owner is not None:
                return owner.lemma_.lower()  # "which country's troops" asks for a country
            nxt = _next_noun(question, _after_copula(question, tok.i + 1))
            if nxt is None:
                continue
            lemma = nxt.lemma_.lower()
            if (
                lemma in ("name", "kind", "type", "sort")
                and nxt.i + 2 < len(question)
                and (question[nxt.i + 1].lower_ == "of")
            ):
                inner = _next_noun(question, nxt.i + 2)
                return inner.lemma_.lower() if inner is not None else lemma
            if low in ("this", "these") and tok.i < len(question) - 1 and not _is_pointer(question):
                continue
            return lemma
    return None


def _relative(tok) -> bool:
    """A "which" that opens a relative clause about the noun before it, not a question."""
    if tok.lower_ not in ("which", "that") or tok.i == 0:
        return False
    before = tok.doc[tok.i - 1]
    return before.text == "," or before.pos_ in ("NOUN", "PROPN")


def _after_copula(question: Doc, i: int) -> int:
    """Skip "is the" in "What is the most important base …" and "of these" in "Which of
    these musicians …": the noun after them is the head."""
    if i + 1 < len(question) and (
        (question[i].lemma_ == "be" and question[i + 1].lower_ in ("the", "a", "an"))
        or (question[i].lower_ == "of" and question[i + 1].lower_ in ("the", "these", "those"))
    ):
        return i + 2
    return i


def _is_pointer(question: Doc) -> bool:
    # "... held talks with this leader, his Mexican counterpart:" — a quiz-style blank.
    return question.text.rstrip().endswith((":", "?")) and not re.search(
        r"\b(who|what|which|when|where|why|how)\b", question.text.lower()
    )


def _wh_possessor(question: Doc, i: int):
    """The noun right after a wh-word when it owns what follows ("which country's troops",
    "whose"-like): the question asks for the owner, not the thing owned."""
    for tok in question[i : i + 4]:
        if tok.pos_ in ("NOUN", "PROPN"):
            return tok if _is_possessor(tok) else None
        if tok.pos_ not in ("ADJ", "ADV", "DET"):
            return None
    return None


def _is_possessor(tok) -> bool:
    """True for the "country" of "country's troops"."""
    return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].tag_ == "POS"


def _next_noun(doc: Doc, i: int):
    """The last noun of the nominal group starting at ``i`` ("Covid-19 variant" → variant);
    a possessor is skipped ("Rishi Sunak's new Brexit deal" → deal)."""
    last = None
    for tok in doc[i : i + 8]:
        if tok.tag_ == "POS":
            continue
        if tok.pos_ in ("NOUN", "PROPN"):
            last = tok
            if _is_possessor(tok):
                last = None
                continue
            if tok.i + 1 >= len(doc) or doc[tok.i + 1].pos_ not in ("NOUN", "PROPN"):
                return last
        elif tok.pos_ in ("ADJ", "ADV", "NUM", "DET", "PUNCT") or tok.dep_ == "compound":
            if last is not None:
                return last
            continue
        else:
            return last
    return last


#: Fit of a plain noun phrase whose head is a kind of the asked noun ("a cargo plane"
#: for "what aircraft"): as good as an entity of the asked label.
KIND_FIT = 1.0


def candidates(
    sentence: Doc,
    question_lemmas: set[str],
    expected: Expected,
    kinds: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Phrases of ``sentence`` that could answer, excluding ones the question already says.

    ``kinds``: lemmas known to name a kind of the asked head noun (the caller judges
    meaning; the parser cannot); a noun phrase headed by one fits like a right entity.
    """
    found: dict[tuple[int, int], Candidate] = {}
    base = sentence[:].start_char
    dateline = _DATELINE.match(sentence.text)
    skip_before = base + (dateline.end() if dateline else 0)
    spans: list[tuple[Span, str]] = [(e, e.label_) for e in sentence.ents]
    spans += _name_runs(sentence)
    if sentence.has_annotation("DEP"):
        spans += [(np, "NP") for np in sentence.noun_chunks]
    for span, label in spans:
        before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
        span = _trim(span)
        if span is None or span.start_char < skip_before:
            continue
        # the head noun itself may repeat: "a pragmatic approach" for "what kind of approach"
        asked = _asked_share(span, question_lemmas - {expected.head})
        if asked >= 1.0:
            continue
        fit = _fit(span, label, before, expected)
        if label == "NP" and span.root.lemma_.lower() in kinds:
            fit = max(fit, KIND_FIT)
        fit *= 1.0 - 0.7 * asked
        key = (span.start_char, span.end_char)
        if fit > 0 and (key not in found or found[key].fit < fit):
            found[key] = Candidate(
                span.text, span.start_char - base, span.end_char - base, label, fit
            )
    if expected.kind == "why":
        clause = _reason_clause(sentence)
        if clause is not None:
            found[(clause.start, clause.end)] = clause
    return sorted(found.values(), key=lambda c: -c.fit)


def _name_runs(sentence: Doc) -> list[tuple[Span, str]]:
    """Runs of proper nouns that are not exactly an entity, with a label for each.

    The small spaCy model misses many names in scraped news ("Buffalo Bills" inside
    "Buffalo Bills player Damar Hamlin" is tagged PROPN but is no entity), and cuts
    others short ("Tuesday" of "Fat Tuesday", "Jill Biden" of "Dr. Jill Biden"). A run
    that holds a whole name entity takes that entity's label; any other is "PROPN".
    """
    entities = {(e.start, e.end): e.label_ for e in sentence.ents}
    runs: list[tuple[Span, str]] = []
    start = None
    for tok in [*sentence, None]:
        if tok is not None and tok.pos_ == "PROPN":
            start = tok.i if start is None else start
            continue
        if start is not None:
            run = sentence[start : tok.i if tok is not None else len(sentence)]
            inside = [
                label
                for (s, e), label in entities.items()
                if run.start <= s and e <= run.end and label in NAMES
            ]
            within_one = any(s <= run.start and run.end <= e for s, e in entities)
            if not within_one:
                runs.append((run, inside[-1] if inside else "PROPN"))
        start = None
    return runs


def _trim(span: Span) -> Span | None:
    """Drop leading determiners/pronouns and trailing punctuation or possessive "'s";
    None if nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].pos_ in ("DET", "PRON", "PUNCT")
        or (doc[start].is_stop and not (doc[start].like_num or doc[start].pos_ == "PROPN"))
    ):
        start += 1
    while end > start and (
        doc[end - 1].pos_ == "PUNCT" or doc[end - 1].is_space or doc[end - 1].tag_ == "POS"
    ):
        end -= 1
    # subtle: spaCy lists number words ("twelve", "forty") as stop words; they still count
    if start >= end or all(
        (t.is_stop and not t.like_num) or t.pos_ == "PRON" for t in doc[start:end]
    ):
        return None
    return doc[start:end]


def _asked_share(span: Span, question_lemmas: set[str]) -> float:
    """Share of the phrase's content words that the question already uses."""
    words = [t.lemma_.lower() for t in span if t.like_num or not (t.is_stop or t.is_punct)]
    return sum(_said(w, question_lemmas) for w in words) / len(words) if words else 1.0


def _said(word: str, question_lemmas: set[str]) -> bool:
    """``word`` or a form built on it ("Russia" → "Russian", "Iraq" → "Iraqi") is asked."""
    if word in question_lemmas:
        return True
    return len(word) >= 4 and any(
        q.startswith(word) and len(q) - len(word) <= 2 for q in question_lemmas
    )


def _fit(span: Span, label: str, before: str, expected: Expected) -> float:
    """0..1 fit of a phrase to the expected type; ``before`` is the word preceding it."""
    head_lemma = span.root.lemma_.lower()
    if expected.kind == "yesno":
        return 0.0
    if expected.kind in ("how_many", "how_much") and not any(t.like_num for t in span):
        return 0.0  # "Saturday" is a DATE, but not an answer to "how many days"
    if expected.kind == "how_many" and expected.head in _TIME_UNITS and label in TIMES:
        # "how many years" wants "600 years", not "2007" or "December 25, 2007"
        return 1.0 if _counts(span, expected.head) else 0.2
    if expected.head == "year" and not any(t.shape_ == "dddd" for t in span):
        return 0.0  # "what year" wants a year, not "five days ago"
    if label == "NORP" and expected.head in ("country", "nation"):
        return 0.8  # "Russian troops" answers "which country's troops"
    if label == "NORP" and span.root.pos_ == "ADJ":
        return 0.0  # "Syrian" in "Syrian coast" names no one
    if label == "NORP" and expected.kind == "who":
        return 0.5  # "Czech" is rarely who did it when "Jakub Jankto" is named beside it
    if expected.head and _names_an_instance(span, head_lemma, expected.head):
        # a named instance of what was asked for: "Khmeimim Air Base" for "which base",
        # "the drug Narcan" for "what drug"; it beats a mere entity of the right label
        # ("Russia") in the same sentence, and the entity recogniser's label, often
        # wrong on names it has not seen ("Narcan" as a place)
        return 1.2
    if expected.labels:
        if expected.kind == "when" and label in TIMES and _modifies_noun(span):
            return 0.3  # "four-day" in "the four-day truce" is a length, not a date
        if label in expected.labels:
            return 1.0
        if label == "PROPN":  # a name of unknown kind: right when a name is wanted
            return 0.7 if expected.labels & NAMES else 0.0
        if label == "NP":
            return _np_fit(span, head_lemma, before, expected)
        # an entity of another type: weak unless the question type is strict, and never
        # a date or number when a name is asked for ("Monday" for "which chain")
        unasked_quantity = label in TIMES | NUMBERS | {"ORDINAL"}
        return 0.0 if expected.strict or unasked_quantity else 0.2
    if expected.kind == "how":
        return 0.8 if before in _MANNER_PREPS else 0.3
    if expected.head and head_lemma == expected.head:
        # "a pragmatic approach" answers "what kind of approach"; "the airline" alone does not
        return 0.8 if len(span) > 1 else 0.3
    if label in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"):
        return 0.2  # a number or date nobody asked for
    return 0.6 if label != "NP" else 0.4


def _names_an_instance(span: Span, head_lemma: str, asked: str) -> bool:
    """True for a name of the asked-for kind: headed by that noun or standing beside it."""
    named = any(t.pos_ == "PROPN" and _singular(t.lemma_) != _singular(asked) for t in span)
    return named and (_singular(head_lemma) == _singular(asked) or _beside_head(span, asked))


def _singular(word: str) -> str:
    return word.lower().rstrip("s")


def _beside_head(span: Span, head: str) -> bool:
    """True when the asked-for noun stands right next to the phrase ("drug Narcan",
    "cartoon series "The Simpsons"", "Apollo Theater venue"), punctuation aside."""
    doc = span.doc
    near = [t for t in doc[max(0, span.start - 4) : span.start] if not t.is_punct][-2:]
    near += [t for t in doc[span.end : span.end + 3] if not t.is_punct][:1]
    return any(_singular(t.lemma_) == _singular(head) for t in near)


def _counts(span: Span, unit: str) -> bool:
    """True when the phrase counts ``unit``s ("nearly 600 years", "six centuries")."""
    return any(t.lemma_.lower() in (unit, f"{unit}s") for t in span) and not any(
        t.shape_ == "dddd" for t in span
    )


def _modifies_noun(span: Span) -> bool:
    """True when the phrase only describes a noun outside it ("four-day truce")."""
    root = span.root
    return root.dep_ in ("amod", "compound", "nmod") and not (span.start <= root.head.i < span.end)


def _np_fit(span: Span, head_lemma: str, before: str, expected: Expected) -> float:
    if expected.kind == "where" and before in _LOCATIVE_PREPS:
        return 0.7
    if (
        expected.kind == "who"
        and expected.head is None
        and HEAD_LABELS.get(head_lemma) == {"PERSON"}
    ):
        return 0.7  # "SDF fighters", "the reporters" answer a bare "who"
    if expected.kind in ("who", "what") and any(e.label_ in expected.labels for e in span.ents):
        return 0.8
    if not expected.strict:
        return 0.3
    return 0.0


def _reason_clause(sentence: Doc) -> Candidate | None:
    """The words after a causal marker ("after talks … collapsed") as the reason.

    A bare "to" counts only before a verb ("to transfer militants": a purpose), not
    before a noun ("an approach to relations").
    """
    text = sentence.text
    base = sentence[:].start_char
    verbs_after_to = {
        t.idx - base for t in sentence[:-1] if t.lower_ == "to" and t.nbor().tag_ == "VB"
    }
    m = next(
        (
            m
            for m in _CAUSE.finditer(text)
            if m.start() > 0  # "After X, Y" is a time, not a reason
            and (m.group().lower() != "to" or m.start() in verbs_after_to)
        ),
        None,
    )
    if m is None:
        return None
    rest = text[m.end() :].strip().rstrip(".")
    if len(rest.split()) < 2:
        return None
    start = text.index(rest, m.end())
    return Candidate(rest, start, start + len(rest), "CLAUSE", 1.0)


def proximity(candidate: Candidate, sentence: Doc, matched: list[int]) -> float:
    """1 next to a question word matched in the sentence, decaying with token distance.

    Matches inside the candidate itself do not count: a phrase made of the question's own
    words is not near the answer, it is the question.
    """
    base = sentence[:].start_char
    inside = {t.i for t in sentence if candidate.start <= t.idx - base < candidate.end}
    outside = [j for j in matched if j not in inside]
    if not inside or not outside:
        return 0.0
    return math.exp(-min(abs(i - j) for i in inside for j in outside) / 6)


_SUBJECTS = ("nsubj", "nsubjpass")


def asks_for_subject(question: Doc) -> bool:
    """True when the wh-phrase is the question's subject ("Who won …", "Which athlete
    became …"): the answer is then most often the subject of the matching sentence too."""
    for tok in question:
        if tok.lower_ in ("who", "which", "what") and not _relative(tok):
            phrase_root = tok if tok.dep_ in _SUBJECTS else tok.head
            return phrase_root.dep_ in _SUBJECTS and phrase_root.head.pos_ in ("VERB", "AUX")
    return False


def is_subject(candidate: Candidate, sentence: Doc) -> bool:
    """True when the phrase is (or is coordinated with) a subject of its sentence."""
    span = sentence.char_span(candidate.start, candidate.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    while root.dep_ == "conj":
        root = root.head
    return root.dep_ in _SUBJECTS
