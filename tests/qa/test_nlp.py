"""How qa.nlp loads spaCy: without its command line, without a second tokenizer build.

Both shortcuts save a cold `newsdesk ask` time only if they change nothing: the
tokenizer ``get_nlp`` keeps must split exactly as the package's saved one, and
spaCy's CLI must still work for whoever imports it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import spacy

from qa.nlp import SPACY_MODEL, get_nlp

#: Where tokenizers differ if they differ at all: abbreviations, contractions,
#: emoticons, URLs, numbers with units, hyphens and quotes.
TRICKY = (
    "Gov. Kathy Hochul didn't say. U.S. troops (about 1,200) left at 5:30 p.m. on Jan. 3rd.",
    "She's 'sure' it's fine :) — see https://example.com/a-b?c=1 or e-mail a.b@c.org!",
    "The $4.5bn deal, 20km north-east of Kyiv, was 'N.Y.C.-style'... wasn't it?!",
)


def test_the_kept_tokenizer_splits_as_the_saved_one() -> None:
    kept = get_nlp().tokenizer
    saved = spacy.load(SPACY_MODEL, exclude=["tagger", "parser", "ner", "lemmatizer"]).tokenizer
    assert kept.rules == saved.rules
    for name in ("prefix_search", "suffix_search", "infix_finditer", "url_match"):
        assert getattr(kept, name).__self__.pattern == getattr(saved, name).__self__.pattern
    for text in TRICKY:
        assert [t.text for t in kept(text)] == [t.text for t in saved(text)]


FRESH_IMPORT = textwrap.dedent(
    """
    import sys
    import qa.nlp
    print(sorted(m for m in ("typer", "weasel", "httpx", "jinja2", "requests") if m in sys.modules))
    import spacy
    print(spacy.info(silent=True)["spacy_version"] == spacy.__version__)
    from spacy.cli import download
    print(callable(download))
    """
)


def test_spacy_comes_without_its_cli_which_still_works_when_asked_for() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FRESH_IMPORT], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["[]", "True", "True"]
