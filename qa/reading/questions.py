"""Turn an article sentence into wh-questions whose answer is a phrase of that sentence.

The reader learns from questions the archive writes for itself (no human labels):
spaCy marks a phrase (a named entity, a date, a number, an object noun phrase), and
the phrase is swapped for a wh-phrase that fits its type ("who", "which team",
"how many people", "when"). Subject phrases are replaced in place; an object or a
dated/placed adjunct is moved to the front with the auxiliary inverted ("What did
the council approve?"), or left in place the way news quizzes often ask ("He is a
member of which team?"). This module only writes questions; pairing them with other
sentences and negatives is ``qa.reading.pairs``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from qa.dates import MONTHS, WEEKDAYS

#: Entity labels the reader is taught to find, with the generic wh-phrase of each.
WH_BY_LABEL = {
    "PERSON": ("who",),
    "ORG": ("which organization", "what group", "which company", "what"),
    "GPE": ("which country", "which city", "what place", "where"),
    "LOC": ("what place", "which region", "where"),
    "FAC": ("which building", "what place", "which facility"),
    "NORP": ("which nationality", "what group", "which country's"),
    "DATE": ("when", "on what date", "in what year"),
    "TIME": ("at what time", "when"),
    "CARDINAL": ("how many", "what number"),
    "MONEY": ("how much money", "how much"),
    "PERCENT": ("what percentage", "what share"),
    "QUANTITY": ("how much", "what amount"),
    "EVENT": ("which event", "what"),
    "WORK_OF_ART": ("which work", "what title"),
    "PRODUCT": ("which product", "what"),
    "LAW": ("which law", "what measure"),
}
_LOCATIVE_PREPS = {"in", "at", "to", "from", "into", "near", "across"}
_TEMPORAL_PREPS = {"on", "in", "since", "until", "by", "during", "before", "after"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}


@dataclass(frozen=True)
class Question:
    """A generated question and the answer phrase it asks for.

    ``start``/``end`` are character offsets of the answer into the sentence's document.
    """

    text: str
    answer: str
    start: int
    end: int
    label: str  # entity label, or "NP" for a plain noun phrase
    form: str  # "subject", "fronted" or "in-place": how it was written


def answer_phrases(sent: Span) -> list[tuple[Span, str]]:
    """Phrases of ``sent`` worth asking about: entities of a known type, object noun phrases."""
    found = []
    for ent in sent.ents:
        label = ent.label_
        if label in WH_BY_LABEL:
            if len(ent) > 1 and ent[-1].tag_ == "POS":  # "Hamlin’s" asks for "Hamlin"
                ent = ent[:-1]
            found.append((ent, label))
    taken = {t.i for ent, _ in found for t in ent}
    for chunk in sent.noun_chunks:
        root = chunk.root
        coordinated = any(c.dep_ == "conj" for c in root.children)  # "winds, surge and rain"
        if (
            root.dep_ in ("dobj", "pobj", "attr")
            and not coordinated
            and not taken & {t.i for t in chunk}
            and root.pos_ == "NOUN"
            and len(chunk) >= 2
            and root.tag_ != "PRP"
        ):
            found.append((chunk, "NP"))
    return found


def class_noun(phrase: Span) -> str | None:
    """A common noun the text itself uses to say what the phrase is: "automaker" in
    "automaker Ford", "team" in "the Bills, the team …", "city" in "the city of Kherson"."""
    root = phrase.root
    before = phrase.doc[phrase.start - 1] if phrase.start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.dep_ == "compound":
        return before.lemma_.lower()
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return child.lemma_.lower()
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        return root.head.lemma_.lower()
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        return root.head.head.lemma_.lower()  # "the city of Kherson"
    return None


def wh_phrase(phrase: Span, label: str, rng: random.Random) -> str:
    """The wh-phrase that asks for ``phrase``: the text's own class noun when it has one."""
    if label == "NP":
        return "what"
    if label == "DATE":
        return _date_wh(phrase.text, rng)
    if (
        label in ("GPE", "LOC", "FAC")
        and phrase.root.dep_ == "pobj"
        and phrase.root.head.lower_ in _LOCATIVE_PREPS
        and rng.random() < 0.5
    ):
        return "where"
    if label in ("CARDINAL", "QUANTITY") and phrase.root.dep_ == "nummod":
        noun = phrase.root.head
        if noun.pos_ == "NOUN" and noun.i == phrase.end:
            return f"how many {noun.text.lower()}"
    noun = class_noun(phrase)
    if noun and label not in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "PERSON"):
        return f"which {noun}"
    if label == "PERSON" and noun and rng.random() < 0.4:
        return f"which {noun}"
    return rng.choice(WH_BY_LABEL[label])


def _date_wh(text: str, rng: random.Random) -> str:
    """ "in what year" for 2019, "on what day" for Tuesday, "how long" for "two days"."""
    low = text.lower()
    if low.startswith(("this ", "last ", "next ", "early ", "late ")):
        return "when"
    if re.fullmatch(r"(in )?\d{4}", low):
        return rng.choice(("in what year", "when"))
    if any(w in low for w in WEEKDAYS) or (any(m in low for m in MONTHS) and re.search(r"\d", low)):
        return rng.choice(("on what day", "when"))
    if re.search(r"\b(days?|weeks?|months?|years?|hours?|decades?)\b", low) and "ago" not in low:
        return "how long"
    return "when"


def _extent(phrase: Span, label: str, wh: str) -> tuple[int, int]:
    """Token range that the wh-phrase replaces: "20 people" for "how many people",
    "in 2013" for "when", "to Paris" for "where"."""
    start, end = phrase.start, phrase.end
    prep = phrase.doc[start - 1] if start > 0 else None
    if prep is not None and prep.dep_ == "prep":
        temporal = wh in ("when", "on what day", "in what year") and prep.lower_ in _TEMPORAL_PREPS
        if temporal or (wh == "where" and prep.lower_ in _LOCATIVE_PREPS):
            return start - 1, end
    if label in ("CARDINAL", "QUANTITY") and phrase.root.dep_ == "nummod":
        noun = phrase.root.head
        if noun.i == end:
            end = noun.i + 1
    before = phrase.doc[start - 1] if start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.dep_ == "compound":
        start -= 1  # "automaker Ford" → "which automaker"
    if before is not None and before.lower_ == "the" and label not in ("DATE", "PERSON"):
        start -= 1
    return start, end


def _text(tokens: list[Token]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _finish(words: str) -> str:
    # Quote marks of a quoted sentence are noise in a question about it
    words = re.sub(r"[“”\"]", "", words)
    words = words.strip().lstrip("‘'( ").rstrip(".,;:!?'’ ").strip()
    if not words:
        return ""
    return words[0].upper() + words[1:] + "?"


def _fronted(sent: Span, start: int, end: int, wh: str) -> str | None:
    """ "What did X approve?" for an object or adjunct of the main verb, else None."""
    doc = sent.doc
    root = sent.root
    if root.pos_ not in ("VERB", "AUX") or start <= root.i:
        return None  # only phrases after the verb move to the front
    head = doc[start:end].root
    prep = head.head if head.dep_ == "pobj" else None
    if head.head != root and (prep is None or prep.head != root):
        return None
    subjects = [c for c in root.children if c.dep_ in _SUBJECTS and c.i < root.i]
    if not subjects:
        return None
    subject = subjects[0]
    first = doc[subject.left_edge.i]
    if first.i != sent.start:
        return None  # a clause before the subject ("After the vote, …") stays declarative
    drop = set(range(start, end))
    if prep is not None:
        drop.add(prep.i)
        if wh not in ("where", "when", "how long") and not wh.startswith(("in what", "on what")):
            wh = f"{prep.lower_} {wh}"  # "with which company did …"
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i]
    subj = _text(list(doc[subject.left_edge.i : subject.right_edge.i + 1]))
    if first.pos_ != "PROPN" and first.text != "I":
        subj = subj[0].lower() + subj[1:]
    middle = [t for t in doc[subject.right_edge.i + 1 : root.i] if t not in auxes]
    tail = [t for t in doc[root.i + 1 : sent.end] if t.i not in drop]
    if auxes:
        aux, verb = auxes[0].lower_, _text(auxes[1:] + middle + [root])
    elif root.lemma_ == "be":
        aux, verb = root.lower_, _text(middle)
    else:
        aux = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(root.tag_)
        if aux is None:
            return None
        verb = " ".join(w for w in (_text(middle), root.lemma_) if w)
    return _finish(" ".join(w for w in (wh, aux, subj, verb, _text(tail)) if w))


def _in_place(sent: Span, start: int, end: int, wh: str) -> str:
    """The sentence with tokens [start, end) swapped for ``wh``, spacing kept."""
    doc = sent.doc
    pieces = []
    for t in sent:
        if t.i == start:
            pieces.append(wh + doc[end - 1].whitespace_)
        elif not start < t.i < end:
            pieces.append(t.text_with_ws)
    return _finish("".join(pieces))


def questions_for(sent: Span, rng: random.Random, per_sentence: int = 2) -> list[Question]:
    """Up to ``per_sentence`` questions about different phrases of ``sent``."""
    if len(sent) < 6 or len(sent) > 60 or sent.text.count('"') % 2:
        return []
    # News questions mostly ask for names, dates and numbers: plain noun phrases only
    # now and then
    phrases = [p for p in answer_phrases(sent) if p[1] != "NP" or rng.random() < 0.3]
    rng.shuffle(phrases)
    out: list[Question] = []
    for phrase, label in phrases[:per_sentence]:
        wh = wh_phrase(phrase, label, rng)
        start, end = _extent(phrase, label, wh)
        text, form = None, "in-place"
        if start == sent.start and any(t.dep_ in _SUBJECTS for t in sent.doc[start:end]):
            form = "subject"
        elif rng.random() < 0.6:
            text, form = _fronted(sent, start, end, wh), "fronted"
        if not text:
            text = _in_place(sent, start, end, wh)
            form = "subject" if form == "subject" else "in-place"
        answer = phrase.text
        if not text or len(text.split()) < 4 or answer.lower() in text.lower():
            continue
        out.append(Question(text, answer, phrase.start_char, phrase.end_char, label, form))
    return out
