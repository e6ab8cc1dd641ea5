"""The default offline answerer: picks the passage sentence that answers and quotes it.

No generative or reading-comprehension model ships offline, so this answerer works by
selection, never by writing: every word it shows comes from an article. It scores each
sentence of the retrieved passages by meaning (embedding cosine with the question),
wording (stemmed term overlap), retrieval rank and whether it holds a phrase of the
kind the question asks for (answer_types), then leads with that phrase and quotes the
sentence with its exact article span. When nothing scores above
``settings.refusal_threshold`` it refuses instead of quoting something merely related.
Weights and the threshold were fitted on evals/seed and a news quiz set (see
evals/seed/README.md). It reads only the top ``settings.extractive_reads`` passages:
on realtimeqa (302 questions, whole archive, same retrieval) reading the top 2, 3, 4,
5 or 8 answered 75, 74, 70, 69 and 69 right; the seed set gains one answer at 3.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from index.settings import Settings
from qa import dates
from qa.answer_heads import NAMES, PLACES
from qa.answer_types import (
    Candidate,
    Expected,
    asks_for_subject,
    candidates,
    expected_type,
    is_subject,
    proximity,
)
from qa.answerers.base import Answerer, Draft
from qa.answerers.listing import compose_list, list_expected
from qa.citations import escape_markers, refusal_text
from qa.mentions import fullest_mention
from qa.models import Passage
from qa.nlp import get_nlp, terms
from qa.reading import Reader, Reading
from qa.reading.calibrate import overlaps
from qa.reading.reader import Calibration
from qa.text_cache import TextCache

if TYPE_CHECKING:  # spaCy is imported by qa.nlp, without torch
    from spacy.tokens import Doc

Encode = Callable[[list[str]], np.ndarray]
#: all-MiniLM-L6-v2 cosine of two nouns above which one names a kind of the other:
#: aircraft/plane 0.71, weapon/rifle 0.66, pet/cat 0.67; aircraft/equipment 0.48.
KIND_COSINE = 0.6
_NAMED_BY_NAME = PLACES | {"PERSON", "NORP"}
# Candidate labels that are names (or may hold one), so may be grown to a fuller mention
_NAMES = NAMES | {"NP", "PROPN"}


@dataclass(frozen=True)
class Weights:
    """How the sentence features combine; defaults measured on the dev sets."""

    cos: float = 0.30  # question↔sentence embedding cosine
    lex: float = 0.40  # share of the question's (idf-weighted) terms in the sentence
    ask: float = 0.3  # share of lex taken from the question's last sentence alone
    rank: float = 0.10  # 1/n for the n-th passage
    type: float = 0.25  # best candidate phrase of the expected type
    strict_penalty: float = 0.30  # numbers/dates asked for, none in the sentence
    proximity: float = 0.3  # candidate near the question's words in the sentence
    vote: float = 0.5  # candidate named again in other top sentences
    role: float = 0.1  # candidate is the sentence's subject when the question asks for one
    # The trained reader (qa.reading) reads each spaCy-checked sentence with the question
    reader: float = 0.0  # its calibrated P(the sentence answers), added to the score
    reader_span: float = 0.0  # candidate overlapping the reader's answer span, added to fit
    # P(right) = sigmoid(a * score + b) of the combined score (used when ``reader`` > 0)
    calibration: tuple[float, float] = (1.0, 0.0)
    top_n: int = 8  # sentences given to spaCy
    # Intercept: shifts scores so that settings.refusal_threshold (0.35) is the measured cut
    offset: float = 0.18


#: The reader as a feature (``NEWSDESK_READER_MIX``): the best of a grid over (reader,
#: reader_span) on the 361 answerable held-out generated groups (qa.reading.mix: 0.662 of
#: phrases right against 0.560 for the rules alone), with that fit's calibration.
MIXED = Weights(reader=1.2, reader_span=0.6, calibration=(3.270, -3.859))


@dataclass(frozen=True)
class Pick:
    """The sentence a set of passages answers with, and its answer phrase."""

    n: int  # 1-based passage number in the list given
    start: int  # (start, end) offsets of the sentence in its article
    end: int
    sentence: str
    value: str  # the answer phrase as the sentence writes it
    phrase: str  # the same, as an answer shows it (fullest name, resolved date)
    score: float  # on the refusal_threshold scale
    label: str = ""  # the phrase's entity label ("PERSON", "CARDINAL", "NP" …)


@dataclass
class _Sentence:
    n: int  # 1-based passage number, as cited
    start: int  # (start, end) offsets into the article
    end: int
    text: str
    passage: Passage
    base: float = 0.0
    lex: float = 0.0
    score: float = 0.0
    rules: float = 0.0  # score without the reader's relevance: what refusals are judged by
    best: Candidate | None = None
    cands: list[Candidate] = field(default_factory=list)  # spaCy-checked sentences only
    doc: Doc | None = None  # their parse


class ExtractiveAnswerer(Answerer):
    """Answers with the best sentence of the passages, led by its answer phrase."""

    name = "extractive"

    def __init__(
        self,
        encode: Encode,
        settings: Settings,
        weights: Weights | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.encode = encode
        self.settings = settings
        self.weights = weights or (MIXED if settings.reader_mix else Weights())
        # The trained reader's calibrated P(this sentence answers the question) becomes
        # Answer.confidence; it does not choose the sentence (it measured worse at that)
        self.reader = reader
        # Follow-up questions meet the same sentences again: keep their parses so only
        # new text pays for spaCy (pass a qa.text_cache.CachedEncode to keep vectors too).
        self._docs: TextCache[Doc] = TextCache(2_000)

    def draft(self, question: str, passages: Sequence[Passage]) -> Draft:
        listed = list_expected(self._parse([question])[0])
        if listed is not None:
            # A question asking for several things reads every passage it was given: k
            # bounds the reading, and the items are spread over articles
            drafted = self._draft_list(question, passages, listed)
            if drafted is not None:
                return drafted
        # Past the top few passages, extra sentences mislead more often than they answer
        passages = passages[: self.settings.extractive_reads]
        sentences = _sentences(passages)
        if not sentences:
            return _refusal(question)
        ranked = self.rank(question, sentences)
        best = ranked[0]
        confidence = self._confidence(question, best)
        # The reader chooses among the sentences; whether any answers stays the rules' call
        # (the held-out-calibrated cut refuses most real questions: qa/reading/MODEL.md)
        if max(s.rules for s in ranked) < self.settings.refusal_threshold:
            return replace(_refusal(question), confidence=confidence)
        return replace(_compose(best, passages), confidence=confidence)

    def _draft_list(
        self, question: str, passages: Sequence[Passage], expected: Expected
    ) -> Draft | None:
        """A list of the names the passages give, or None (fewer than two found: the
        question is then answered like any other)."""
        sentences = _sentences(passages)
        if not sentences:
            return None
        most = self.settings.list_items
        ranked = self.rank(
            question, sentences, expected, top_n=max(self.weights.top_n, 2 * most), read=False
        )
        subjects = asks_for_subject(self._parse([question])[0])
        drafted = compose_list(
            ranked, passages, self.settings.refusal_threshold, most, expected, subjects
        )
        if drafted is None:
            return None
        return replace(drafted, confidence=self._confidence(question, ranked[0]))

    def pick(
        self, question: str, passages: Sequence[Passage], skip: Callable[[str], bool] | None = None
    ) -> Pick | None:
        """What ``passages`` alone would answer with (sentences ``skip`` flags are not read),
        or None when no sentence holds a phrase; the caller judges ``score``."""
        sentences = [s for s in _sentences(passages) if skip is None or not skip(s.text)]
        if not sentences:
            return None
        best = self.rank(question, sentences, read=False)[0]
        if best.best is None:
            return None
        phrase = _phrase(best, passages)
        return Pick(
            best.n,
            best.start,
            best.end,
            best.text,
            best.best.text,
            phrase,
            best.score,
            best.best.label,
        )

    def _confidence(self, question: str, best: _Sentence) -> float | None:
        if self.reader is None:
            return None
        if self.weights.reader:
            return Calibration(*self.weights.calibration)(best.score)
        return self.reader.confidence(self.reader.read(question, [best.text])[0])

    def rank(
        self,
        question: str,
        sentences: list[_Sentence],
        expected: Expected | None = None,
        top_n: int | None = None,
        read: bool = True,
    ) -> list[_Sentence]:
        """Score every sentence (cheap features), then re-score the top few with spaCy
        and the reader.

        Args:
            expected: the answer type, when the caller knows better than the question's
                parse (a list question's plural head).
            top_n: how many sentences spaCy reads (default ``Weights.top_n``).
            read: let the reader weigh in (lists and news-check picks were not measured
                with it, so they keep the rules alone).
        """
        w = self.weights
        texts = [s.text for s in sentences]
        cos = _cosines_to_first(self.encode([question, *texts]))
        lex = _lexical(question, texts)
        ask = _ask(question)
        if ask != question:
            lex = [(1 - w.ask) * a + w.ask * b for a, b in zip(lex, _lexical(ask, texts))]
        for s, c, x in zip(sentences, cos, lex, strict=True):
            s.base = w.cos * float(c) + w.lex * x + w.rank / s.n
            s.lex = x
            s.score = s.base - w.strict_penalty - w.offset  # below every spaCy-checked one
            s.rules = s.score
        top = sorted(sentences, key=lambda s: -s.base)[: top_n or w.top_n]
        # the question's parse is kept too: the news check asks it of every article
        qdoc = self._parse([question])[0]
        expected = expected or expected_type(qdoc)
        subject_wanted = asks_for_subject(qdoc)
        qlemmas = {t.lemma_.lower() for t in qdoc if not t.is_stop} | {t.lower_ for t in qdoc}
        qterms = set(terms(question))
        docs = self._parse([s.text for s in top])
        kinds = self._kinds_of(expected, docs)
        per_sentence = [candidates(doc, qlemmas, expected, kinds) for doc in docs]
        readings = self._readings(question, top) if read else [None] * len(top)
        for s, doc, cands, reading in zip(top, docs, per_sentence, readings, strict=True):
            s.cands, s.doc = cands, doc
            matched = [t.i for t in doc if t.lower_ in qterms or _stem(t.lower_) in qterms]
            scored = [
                (
                    c.fit
                    + w.proximity * proximity(c, doc, matched)
                    + w.vote * (_mentions(c, top) - 1) / max(1, len(top) - 1)
                    + (w.role if subject_wanted and is_subject(c, doc) else 0.0)
                    + (w.reader_span if reading and _overlaps(c, reading.span) else 0.0),
                    c,
                )
                for c in cands
            ]
            fit, s.best = max(scored, key=lambda x: x[0], default=(0.0, None))
            if expected.kind == "yesno":
                # No phrase fits a yes/no question: the sentence is the answer ("Is the
                # ceasefire holding?" → "A ceasefire is now in place and largely
                # maintained."), and it fits as far as it restates the ask
                fit = s.lex
            s.score = s.base + w.type * min(fit, 1.0) - w.offset
            if expected.strict and (s.best is None or s.best.fit < 1.0):
                s.score -= w.strict_penalty * (1.0 - (s.best.fit if s.best else 0.0))
            s.rules = s.score
            if reading is not None:
                s.score += w.reader * self.reader.confidence(reading)
        return sorted(sentences, key=lambda s: -s.score)

    def _parse(self, texts: list[str]) -> list[Doc]:
        """spaCy's parse of each text, kept for the next reading of the same text."""
        return self._docs.fill(texts, lambda missing: list(get_nlp().pipe(missing)))

    def _readings(self, question: str, top: list[_Sentence]) -> list[Reading | None]:
        """The reader's reading of each sentence, when the weights use the reader."""
        if self.reader is None or not (self.weights.reader or self.weights.reader_span):
            return [None] * len(top)
        return self.reader.read(question, [s.text for s in top])

    def _kinds_of(self, expected: Expected, docs: list[Doc]) -> frozenset[str]:
        """Noun-phrase heads in ``docs`` that name a kind of the asked noun ("plane" for
        "what aircraft", "rifle" for "what weapon"), by embedding cosine of the two words.
        Only where a common noun can answer: a number, a person or a place is wanted by
        name, and cosine cannot tell a kind from a synonym ("the nation" for "which
        country", "the area" for "which region")."""
        if expected.head is None or expected.strict or expected.labels & _NAMED_BY_NAME:
            return frozenset()
        lemmas = sorted(
            {chunk.root.lemma_.lower() for doc in docs for chunk in doc.noun_chunks}
            - {expected.head}
        )
        if not lemmas:
            return frozenset()
        cos = _cosines_to_first(self.encode([expected.head, *lemmas]))
        return frozenset(w for w, c in zip(lemmas, cos, strict=True) if c >= KIND_COSINE)

    def expected(self, question: str) -> Expected:
        """The answer type read off ``question`` (exposed for evaluation reports)."""
        return expected_type(self._parse([question])[0])


def _overlaps(candidate: Candidate, span: tuple[int, int] | None) -> bool:
    """The candidate and the reader's span (both sentence offsets) share half the longer."""
    return span is not None and overlaps((candidate.start, candidate.end), span)


def _cosines_to_first(vectors: np.ndarray) -> np.ndarray:
    """Cosine of every vector after the first to the first (any ``Encode`` may be plugged
    in, so its vectors are not assumed to be normalised)."""
    vecs = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1)
    return vecs[1:] @ vecs[0] / (norms[1:] * norms[0] + 1e-9)


def _sentences(passages: Sequence[Passage]) -> list[_Sentence]:
    """Candidate sentences; a span holding line breaks (a headline glued to a paragraph by
    the splitter) becomes one candidate per line, so a quote never runs across lines."""
    out = []
    for n, p in enumerate(passages, 1):
        for start, end in p.sentences or ((p.start, p.end),):
            offset = start - p.start
            for line in re.finditer(r"[^\n]+", p.text[offset : end - p.start]):
                text = line.group().strip()
                if len(text.split()) < 3:
                    continue
                s = start + line.start() + line.group().index(text)
                out.append(_Sentence(n, s, s + len(text), text, p))
    return out


def _lexical(question: str, texts: list[str]) -> list[float]:
    """idf-weighted share of the question's terms found in each text (idf over ``texts``)."""
    q = set(terms(question))
    bags = [set(terms(t)) for t in texts]
    if not q:
        return [0.0] * len(texts)
    n = len(bags)
    idf = {
        t: math.log(1 + (n - df + 0.5) / (df + 0.5))
        for t in q
        for df in [sum(t in b for b in bags)]
    }
    total = sum(idf.values()) or 1.0
    return [sum(idf[t] for t in q & b) / total for b in bags]


def _ask(question: str) -> str:
    """The last sentence of a question with a preamble ("X happened this week. Which
    team …?"): the preamble's words match every sentence of the story, the ask does not."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", question.strip())
    return parts[-1] if len(parts) > 1 and len(parts[-1].split()) >= 3 else question


def _mentions(candidate: Candidate, sentences: list[_Sentence]) -> int:
    """How many of ``sentences`` mention the candidate; a name by its last word, so that
    "Bills" and "Buffalo Bills", "McCarthy" and "Kevin McCarthy" count as one."""
    key = candidate.text.split()[-1] if candidate.label in _NAMES else candidate.text
    pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)", re.IGNORECASE)
    return sum(bool(pattern.search(s.text)) for s in sentences)


def _stem(word: str) -> str:
    found = terms(word)
    return found[0] if found else word


def _compose(best: _Sentence, passages: Sequence[Passage]) -> Draft:
    # One sentence, one marker: "SDF fighters: “… guarded by SDF fighters …” [1]". The
    # citation check scores the text before a marker against the quote, so a date note
    # inside the lead ("on Tuesday (Jan 20, 2026, …)") rides on the quote's support.
    quote = escape_markers(best.text)
    phrase = _phrase(best, passages)
    n = best.n
    lead = f"{phrase}: " if phrase and phrase.lower() != best.text.lower() else ""
    text = f"{lead}“{quote}” [{n}]"
    return Draft(text=text, short=phrase or quote, quotes={n: [(best.start, best.end)]})


def _phrase(best: _Sentence, passages: Sequence[Passage]) -> str:
    """The answer phrase: a name in its fullest form in the same article ("McCarthy" →
    "Kevin McCarthy"), a relative date pinned to the calendar."""
    cand = best.best
    if cand is None:
        return ""
    if cand.label in _NAMES:
        same = [best.passage.title] + [
            p.text for p in passages if p.article_id == best.passage.article_id
        ]
        return escape_markers(fullest_mention(cand.text, same))
    phrase = escape_markers(cand.text)
    if cand.label in ("DATE", "TIME"):
        for hit in dates.find_relative_dates(best.text, best.passage.date):
            if hit.start < cand.end and cand.start < hit.end:
                return f"{phrase} ({hit.describe()}, counting from the article date)"
    return phrase


def _refusal(question: str) -> Draft:
    return Draft(text=refusal_text(question), refused=True)
