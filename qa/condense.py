"""Turn a follow-up question into a standalone one, offline — and leave other questions alone.

Method (spaCy parse, no LLM):

1. **Does it depend on the conversation?** Only then is it rewritten; a
   standalone question is searched exactly as typed. It depends when it
   - refers back with a pronoun or demonstrative ("he", "it", "they", "those
     vehicles", "there", "then") that nothing earlier in the question itself
     can mean ("How old was Pelé when he died?" is standalone; the expletive
     "it"/"there" and dates such as "this year" do not count);
   - continues a list: "other", "else", "another", "also", "next", "more"
     (unless it names what it excludes: "other than Meta");
   - is a fragment: "And in France?", "What about Ford?", "Why?", "Who won?"
     (no verb, a leading "and"/"what about", or one content word and no name);
   - or names nothing of its own (no name) but shares topic words with a recent
     turn ("How much severance will the laid-off workers get?").
2. **Which turn?** Only one of the last ``MAX_TURNS``: the turn whose topic
   words (its standalone question and answer) the question shares most (ties:
   the most recent), else the last turn. Earlier turns are resolved first, so "And in France?" after "And in
   Germany?" carries the first question's topic.
3. **Rewrite** into a readable question, in this order of preference:
   substitute the new name into that turn's question ("What was inflation in
   Germany…" + "And in France?" → "What was inflation in France…"); swap the
   wh-word ("Why?" after "What will Germany send to Ukraine?" → "Why will
   Germany send to Ukraine?"); replace a pronoun with
   the name it stands for ("Where was he treated?" → "Where was Pelé
   treated?"); say what "other" excludes ("…, besides Meta?"); else append that
   turn's key names: "Who won (Donovan Mitchell, Bulls)?".

It is heuristic: it does not do full coreference and may pick the wrong name
of a turn. When the configured answerer can condense (an LLM), ``Assistant``
uses that rewrite instead, under the same rule (standalone questions are never
sent to it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from qa.citations import MARKERS
from qa.nlp import get_nlp

MAX_TURNS = 3  # how far back a follow-up may reach
MAX_PHRASES = 3  # names appended when nothing can be substituted
_ANSWER_CHARS = 1500  # an answer's opening states what it is about; parse no more
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
_THING_PRONOUNS = {"it", "its"}
_REFERENCES = {
    *_PERSON_PRONOUNS, *_THING_PRONOUNS, "they", "them", "their", "theirs",
    "this", "that", "these", "those", "there", "then",
}  # fmt: skip
_CONTINUATIONS = {"other", "else", "another", "also", "next", "more"}
_EXCLUDING = {"other", "else", "another"}  # "…, besides X?" says what they leave out
_NAME_LABELS = {
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART",
}  # fmt: skip
_PLACES = {"GPE", "LOC", "FAC"}
_TIMES = {"DATE", "TIME"}
_GROUPS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "DATE": "time"}
_TOPIC_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


@dataclass(frozen=True)
class Name:
    """A name in a text: its words and spaCy label (None for an unlabelled proper noun)."""

    text: str
    label: str | None

    @property
    def group(self) -> str:
        return _GROUPS.get(self.label or "", "thing")


@dataclass(frozen=True)
class _Turn:
    """One earlier turn, its question already made standalone."""

    question: Doc
    answer_names: tuple[Name, ...]  # names the answer states outside quoted article text
    quoted_names: tuple[Name, ...]  # names inside the quotes it cites
    topic: frozenset[str]  # content lemmas of question and answer

    def names(self) -> list[Name]:
        """Names this turn is about, the answer's first when the question asked for them."""
        asked = _names(self.question)
        answer = [n for n in self.answer_names if n.label != "NORP"] + [
            n for n in self.answer_names if n.label == "NORP"
        ]  # "Republican Kevin McCarthy": the person, then the party
        if answer and self.question[:1].text.lower() in {"who", "whom", "whose"}:
            answer[0] = Name(answer[0].text, "PERSON")  # "Who …?" is answered with a person
        first = [*answer, *asked] if _asks_for_subject(self.question) else [*asked]
        ordered = [*first, *answer, *self.quoted_names]
        return list(dict.fromkeys(ordered))


@lru_cache(maxsize=256)
def _parse(text: str) -> Doc:
    return get_nlp()(text)


def _names(doc: Doc | Span) -> list[Name]:
    """Runs of proper nouns and name-entity tokens, in order, labelled by their first entity.

    A run may cross an entity edge ("Novak" tagged ORG + "Djokovic" untagged is one name):
    the small model often splits unusual names.
    """
    found: list[Name] = []
    run: list[Token] = []
    for tok in [*doc, None]:
        namey = tok is not None and (
            (tok.pos_ == "PROPN" and not tok.ent_type_) or tok.ent_type_ in _NAME_LABELS
        )  # not "Tuesday" (a DATE)
        new_entity = (
            bool(run) and tok is not None and tok.ent_iob_ == "B" and run[-1].ent_iob_ != "O"
        )
        if namey and not new_entity:
            run.append(tok)
            continue
        if run:
            label = next((t.ent_type_ for t in run if t.ent_type_ in _NAME_LABELS), None)
            found.append(Name(run[0].doc[run[0].i : run[-1].i + 1].text, label))
            run = [tok] if namey else []
    return found


def _in_entity(tok: Token, labels: set[str]) -> bool:
    return tok.ent_type_ in labels


def _references(doc: Doc) -> list[Token]:
    """Pronouns and demonstratives that point outside the question itself."""
    out = []
    for tok in doc:
        if _is_pro_one(tok):
            out.append(tok)  # "Which other country is sending one?"
            continue
        if tok.lower_ not in _REFERENCES or tok.pos_ not in {"PRON", "DET", "ADV"}:
            continue
        if tok.lower_ == "it" and tok.head.lemma_ == "take":
            continue  # "how many ballots did it take him": "it" stands for nothing
        if tok.dep_ == "expl" or tok.tag_.startswith("W") or _in_entity(tok, _TIMES):
            continue  # "is there a ceasefire", relative "that", "this year"
        named_before = any(t.pos_ == "PROPN" for t in doc[: tok.i])
        # "What percentage of its workforce is Meta laying off?": the owner is named after it
        possessive_of_subject = tok.tag_ == "PRP$" and bool(_names(doc))
        if not (named_before or possessive_of_subject):
            out.append(tok)
    return out


def _is_pro_one(tok: Token) -> bool:
    """ "one" standing for a noun phrase ("sending one"), not a number ("one of the …")."""
    nominal = {"dobj", "nsubj", "nsubjpass", "pobj", "attr"}
    return tok.lower_ == "one" and tok.dep_ in nominal and not list(tok.children)


def _continuations(doc: Doc) -> list[Token]:
    """ "other", "else", "also" … that continue an earlier answer (not "more than 11,000")."""
    out = []
    for i, tok in enumerate(doc):
        if tok.lower_ not in _CONTINUATIONS or _in_entity(tok, {*_TIMES, "CARDINAL", "QUANTITY"}):
            continue
        following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if following == "than" or any(t.lower_ in {"besides", "except"} for t in doc):
            continue
        out.append(tok)
    return out


def _is_fragment(doc: Doc) -> bool:
    """ "And in France?", "What about Ford?", "Why?", "Who won?"."""
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    if not words:
        return False
    lead = " ".join(t.lower_ for t in words[:2])
    if words[0].pos_ == "CCONJ" or lead in {"what about", "how about"}:
        return True
    if not any(t.pos_ in {"VERB", "AUX"} for t in words):
        return True
    content = [t for t in words if not t.is_stop and t.is_alpha]
    return len(content) <= 1 and not _names(doc)


def _topic(doc: Doc | Span) -> set[str]:
    """Content lemmas; a phrasal verb also as one word, so "laying off" meets "layoffs"."""
    words = set()
    for t in doc:
        if t.pos_ in _TOPIC_POS and not t.is_stop and t.is_alpha and not t.tag_.startswith("W"):
            words.add(t.lemma_.lower())
            words.update(t.lemma_.lower() + p.lower_ for p in t.children if p.dep_ == "prt")
    return words


def _asks_for_subject(doc: Doc) -> bool:
    """ "Who bought Twitter?", "Which country will send…": the answer is what it is about."""
    first = next((t for t in doc if not t.is_punct), None)
    if first is None or not first.tag_.startswith("W"):
        return False
    head = first if first.dep_ != "det" else first.head
    return head.dep_ in {"nsubj", "nsubjpass", "attr"} or first.lower_ in {"who", "which"}


def _make_turn(question: str, answer: str) -> _Turn:
    answer = MARKERS.sub("", answer[:_ANSWER_CHARS])
    outside = _parse(_QUOTED.sub(" ", answer))
    inside = _parse(" ".join(m.group(0).strip('“”"') for m in _QUOTED.finditer(answer)))
    asked = _parse(question)
    topic = _topic(asked) | _topic(outside) | _topic(inside)
    return _Turn(asked, tuple(_names(outside)), tuple(_names(inside)), frozenset(topic))


def _pick(doc: Doc, turns: Sequence[_Turn]) -> tuple[_Turn, int]:
    """The turn the question refers to and how many topic words they share."""
    words = _topic(doc)
    best, overlap = turns[-1], 0
    for turn in reversed(turns):  # most recent first: ties go to it
        shared = len(words & turn.topic)
        if shared > overlap:
            best, overlap = turn, shared
    return best, overlap


def _stem(text: str) -> str:
    return text.rstrip().rstrip("?").rstrip()


def _substitute_name(doc: Doc, turn: _Turn) -> str | None:
    """ "And in France?" + "What was inflation in Germany…?" → "What was inflation in France…?"."""
    new = _names(doc) or [
        Name(e.text, e.label_) for e in doc.ents if e.label_ in _TIMES
    ]  # "And after 1975?"
    if not new:
        return None
    prev = turn.question
    old_names = _names(prev) + [Name(e.text, e.label_) for e in prev.ents if e.label_ in _TIMES]
    same = [n for n in old_names if n.group == new[0].group and n.text != new[0].text]
    if same:
        return prev.text.replace(same[0].text, new[0].text, 1)
    core = [t for t in doc if not (t.is_punct or t.pos_ == "CCONJ")]
    if core and core[0].pos_ == "ADP":  # a time or place phrase to add: "after 1975"
        return f"{_stem(prev.text)} {doc[core[0].i : core[-1].i + 1].text}?"
    return None


def _swap_wh(doc: Doc, turn: _Turn) -> str | None:
    """ "Why?" after "What will Germany send to Ukraine?" → "Why will Germany send to Ukraine?"."""
    words = [t for t in doc if not t.is_punct]
    if not words or any(t.pos_ in {"VERB", "AUX", "PROPN", "NOUN"} for t in words):
        return None
    if not any(t.tag_.startswith("W") for t in words):
        return None
    prev = turn.question
    if not prev or not prev[0].tag_.startswith("W"):
        return None
    aux = next((t for t in prev[1:] if t.pos_ == "AUX" or t.lemma_ in {"do", "be", "have"}), None)
    if aux is None or any(t.pos_ == "VERB" and t.lemma_ not in {"do", "be", "have"}
                          for t in prev[1 : aux.i]):  # fmt: skip
        return None  # "Who bought Twitter?" has no auxiliary to keep
    return f"{_stem(doc.text)} {prev[aux.i :].text}"


def _resolve_pronouns(doc: Doc, refs: list[Token], turn: _Turn) -> tuple[str, bool]:
    """Put the name a "he"/"his"/"it"/"there"/"one" stands for in its place.

    Returns the text and whether every reference was resolved.
    """
    names = [n for n in turn.names() if n.label != "NORP"]  # "Republican" is no referent
    replaced: dict[int, str] = {}
    for tok in refs:
        lower = tok.lower_
        if _is_pro_one(tok):
            objects = [c for c in turn.question.noun_chunks if c.root.dep_ == "dobj"]
            if objects and not objects[0][0].tag_.startswith("W"):
                replaced[tok.i] = objects[0].text  # "one" → "a Patriot system"
            continue
        if lower in _PERSON_PRONOUNS:
            fits = [n for n in names if n.label == "PERSON"]
        elif lower in _THING_PRONOUNS:
            fits = [n for n in names if n.label != "PERSON"]
        elif lower == "there":
            fits = [n for n in names if n.label in _PLACES]
        else:
            fits = []
        if not fits:
            continue
        text = fits[0].text
        if tok.tag_ == "PRP$" or (lower == "her" and tok.dep_ == "poss"):
            text += "'s"
        elif lower == "there":
            text = f"in {text}"
        replaced[tok.i] = text
    if not replaced:
        return doc.text, False
    out = "".join(replaced.get(t.i, t.text) + t.whitespace_ for t in doc)
    return out, len(replaced) == len(refs)


def _with_names(text: str, turn: _Turn) -> str:
    """``text`` with the turn's key names appended: "Who won (Donovan Mitchell, Bulls)?"."""
    have = text.lower()
    picked: list[str] = []
    for name in turn.names():
        if name.text.lower() not in have and not any(
            name.text in p or p in name.text for p in picked
        ):
            picked.append(name.text)
        if len(picked) == MAX_PHRASES:
            break
    if not picked:
        return text
    return f"{_stem(text)} ({', '.join(picked)})?"


def _rewrite(question: str, turns: Sequence[_Turn]) -> str:
    doc = _parse(question)
    refs, more, fragment = _references(doc), _continuations(doc), _is_fragment(doc)
    turn, overlap = _pick(doc, turns)
    if not (refs or more or fragment):
        if _names(doc) or overlap == 0:
            return question  # standalone: searched exactly as typed
        return _with_names(question, turn)
    if fragment:
        rewritten = _substitute_name(doc, turn) or _swap_wh(doc, turn)
        if rewritten:
            return rewritten
    text, resolved = _resolve_pronouns(doc, refs, turn)
    excluding = [t for t in more if t.lower_ in _EXCLUDING]
    names = [n for n in turn.names() if n.label != "NORP" and n.text.lower() not in text.lower()]
    if excluding and names and all(_is_pro_one(t) for t in refs):
        return f"{_stem(text)}, besides {names[0].text}?"  # "which other …", "who else …"
    if resolved and text != question:
        return text
    return _with_names(text, turn)


def condense(question: str, history: Sequence[tuple[str, str]]) -> str:
    """``question`` as a standalone question, given [(user question, answer), ...] oldest first.

    Returns ``question`` itself (the same string) when it does not depend on the
    conversation.
    """
    turns: list[_Turn] = []
    for asked, answer in history[-MAX_TURNS:]:
        standalone = _rewrite(asked, turns) if turns else asked
        turns.append(_make_turn(standalone, answer))
    return _rewrite(question, turns) if turns else question
