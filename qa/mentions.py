"""Grow a short name into the fullest form the same article uses for it.

News copy names someone in full once ("Speaker Kevin McCarthy", "the Buffalo
Bills") and then by a short form ("McCarthy", "the Bills"). The sentence that
answers a question often holds only the short form, while a reader (and a quiz
answer key) expects the full one. This module finds, in the article's own text,
capitalised words written directly before the short form and returns the longest
such form; it invents nothing, every word comes from the article.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable

from qa.nlp import STOP_WORDS, like_num

# Capitalised words that open sentences or date a clause rather than belong to a name.
_NOT_NAME = frozenset(name.lower() for name in [*calendar.day_name, *calendar.month_name] if name)
# A capitalised word, "&", or a short number inside a name ("Three 6 Mafia", "Apollo 11")
_NAME_WORD = r"(?:[A-Z][\w&.'’-]*|&|\d{1,3})"


def fullest_mention(phrase: str, texts: Iterable[str]) -> str:
    """The longest name in ``texts`` that ends with ``phrase``; ``phrase`` if none does.

    Only a phrase that starts with a capital letter is grown, by up to three
    capitalised words; leading stopwords ("The", "But") and day or month names
    are dropped from the grown form.
    """
    if not phrase[:1].isupper():
        return phrase
    pattern = re.compile(rf"(?<![\w&])((?:{_NAME_WORD}\s+){{1,3}}){re.escape(phrase)}(?![\w-])")
    forms: Counter[str] = Counter()
    for text in texts:
        for m in pattern.finditer(text):
            words = m.group(1).split()
            # "Putin's Russia" is not a longer name for Russia, and "Assad. Moscow" crosses
            # a sentence end: keep only what follows such a word
            cut = [i for i, w in enumerate(words) if _ends_name(w)]
            words = words[cut[-1] + 1 :] if cut else words
            while words and _not_part_of_name(words[0]):
                words.pop(0)
            if words and not any(w.lower() in _NOT_NAME for w in words):
                forms[" ".join([*words, phrase])] += 1
    if not forms:
        return phrase
    return max(forms, key=lambda form: (len(form.split()), forms[form]))


def _not_part_of_name(word: str) -> bool:
    """A sentence opener ("The", "But") or a date word, but not a number ("Three 6 Mafia")."""
    low = word.lower()
    return low in _NOT_NAME or (low in STOP_WORDS and not like_num(word))


def _ends_name(word: str) -> bool:
    """A possessive, or a word closing a sentence (not an abbreviation like "U.S." or "St.")."""
    if word.endswith(("'s", "’s", "'", "’")):
        return True
    return word.endswith(".") and word.count(".") == 1 and len(word) > 4
