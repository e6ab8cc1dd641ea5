"""Turn a follow-up question into a standalone one, offline.

Method (no LLM needed):

1. **Is it a follow-up?** Only when there is history. A question is a
   follow-up if it (a) refers back with a pronoun or demonstrative ("it",
   "they", "there", "that base" …; spaCy's dependency parse skips the
   expletive "it"/"there" of "is there a ceasefire"), or (b) is a bare
   fragment (at most one content word: "And Russia?"), or (c) names nothing of its own
   (no named entity and no proper noun: "Where is the equipment going?").
2. **Rewrite**: take the key noun phrases of the last two turns, most recent
   first — named entities (people, organisations, places …) and noun chunks
   (with a prepositional phrase that follows: "base near Qamishli")
   of the user's previous question, then named entities of the assistant's
   previous answer outside quoted article text — drop those the question already contains, keep up to
   ``MAX_PHRASES``, and append them: "Where is the equipment going (about:
   the base near Qamishli, SDF)?". Retrieval (dense and keyword) and the
   extractive answerer then see the topic the user is still talking about.

It does not resolve which referent a pronoun means, and never drops words of
the user's question. When the configured answerer can condense (an LLM),
``Assistant`` uses that rewrite instead of this one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.citations import MARKERS
from qa.nlp import get_nlp
from qa.support import content_stems

MAX_PHRASES = 4
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_ANAPHORA = {
    "it", "its", "they", "them", "their", "theirs", "there", "he", "him", "his",
    "she", "her", "hers", "this", "that", "these", "those", "the latter", "the former",
}  # fmt: skip
_NAME_LABELS = {
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
}  # fmt: skip


def is_follow_up(question: str) -> bool:
    """True when ``question`` probably leans on the conversation before it."""
    doc = get_nlp()(question)
    for tok in doc:
        refers_back = tok.lower_ in _ANAPHORA and tok.pos_ in {"PRON", "DET", "ADV"}
        if refers_back and tok.dep_ != "expl":
            return True
    if len(content_stems(question)) <= 1:  # "And Assad?", "Why?"
        return True
    names_something = any(ent.label_ in _NAME_LABELS for ent in doc.ents) or any(
        tok.pos_ == "PROPN" for tok in doc
    )
    return not names_something


def key_phrases(text: str, with_chunks: bool = True) -> list[str]:
    """Named entities (and noun chunks with their prepositional phrases) of ``text``.

    Leading determiners and wh-words are dropped ("Who", "the").

    Quoted article text (“…”) is skipped: it is evidence shown to the user, not
    the topic of the answer.
    """
    doc = get_nlp()(_QUOTED.sub(" ", MARKERS.sub("", text)))
    phrases = [ent.text for ent in doc.ents if ent.label_ in _NAME_LABELS]
    if with_chunks:
        for chunk in doc.noun_chunks:
            if chunk.root.pos_ == "PRON":
                continue
            tokens = list(chunk)
            while tokens and (tokens[0].pos_ in {"DET", "PRON"} or tokens[0].tag_.startswith("W")):
                tokens = tokens[1:]
            if not tokens:
                continue
            end = tokens[-1].i + 1
            for prep in (t for t in chunk.root.rights if t.dep_ == "prep"):  # "base near Qamishli"
                end = max(end, prep.right_edge.i + 1)
            phrases.append(doc[tokens[0].i : end].text)
    return phrases


def condense(question: str, history: Sequence[tuple[str, str]]) -> str:
    """``question`` as a standalone question, given [(user question, answer), ...] oldest first."""
    if not history or not is_follow_up(question):
        return question
    have = content_stems(question)
    chosen: list[str] = []
    for user, answer in reversed(history[-2:]):
        for phrase in [*key_phrases(user), *key_phrases(answer, with_chunks=False)]:
            stems = content_stems(phrase)
            if not stems or stems <= have:
                continue
            if any(phrase.lower() in c.lower() for c in chosen):
                continue
            chosen = [c for c in chosen if c.lower() not in phrase.lower()] + [phrase]
            have |= stems
            if len(chosen) == MAX_PHRASES:
                break
        if len(chosen) == MAX_PHRASES:
            break
    if not chosen:
        return question
    stem = question.rstrip().rstrip("?").rstrip()
    return f"{stem} (about: {', '.join(chosen)})?"
