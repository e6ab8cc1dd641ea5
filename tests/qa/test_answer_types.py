"""Question → expected answer type, and the candidate phrases a sentence offers."""

from __future__ import annotations

import pytest

from qa.answer_types import KIND_FIT, asks_for_subject, candidates, expected_type, is_subject
from qa.nlp import get_nlp, terms


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


@pytest.mark.parametrize(
    ("question", "kind", "label", "head"),
    [
        ("Who is guarding the base?", "who", "PERSON", None),
        ("Whom will Sala meet in Moscow?", "who", "ORG", None),
        ("When did the truce expire?", "when", "DATE", None),
        ("In what year was Assad ousted?", "when", "DATE", "year"),
        ("Where are the militants being moved?", "where", "GPE", None),
        ("How many days was the ceasefire extended by?", "how_many", "DATE", "day"),
        ("How many points did he score?", "how_many", "CARDINAL", "point"),
        ("How much did the grant rise?", "how_much", "MONEY", None),
        ("How old was she?", "how_many", "DATE", None),
        ("What percentage of voters backed the plan?", "how_much", "PERCENT", "percentage"),
        ("Why was the truce extended?", "why", None, None),
        ("Which airline will give passengers 25,000 miles?", "what", "ORG", "airline"),
        ("He is a valued member of which team?", "what", "ORG", "team"),
        ("Which country gave Assad asylum?", "what", "GPE", "country"),
        ("Which leader will Sala meet?", "who", "PERSON", "leader"),
        ("What is the name of the SDF fighter quoted?", "who", "PERSON", "fighter"),
        ("Biden held talks with this leader, his Mexican counterpart:", "who", "PERSON", "leader"),
        ("How are the Russians moving equipment out?", "how", None, None),
        ("What color is the comet?", "what", None, "color"),
        ("What is the most important Russian base on the coast?", "what", "FAC", "base"),
        ("The rocket launched from where?", "where", "GPE", None),
        # a relative "which" in the preamble is not the question's wh-word
        ("A drone, which officials said was Iranian, fell in which city?", "what", "GPE", "city"),
        ("Which of these singers sang at the gala?", "who", "PERSON", "singer"),
        ("What is the name of Anna Berg’s new trade deal?", "what", None, "deal"),
        # the wh-word's noun owns what follows: the owner is asked for
        ("Which country’s leader resigned this week?", "what", "GPE", "country"),
        ("Too many of which broadcaster's reporters lack training?", "what", "ORG", "broadcaster"),
    ],
)
def test_expected_type(nlp, question, kind, label, head):
    exp = expected_type(nlp(question))
    assert exp.kind == kind
    assert exp.head == head
    if label is None:
        assert not exp.labels
    else:
        assert label in exp.labels


def test_numbers_and_dates_are_strict_but_open_questions_are_not(nlp):
    assert expected_type(nlp("How many troops were there?")).strict
    assert expected_type(nlp("When did it start?")).strict
    assert not expected_type(nlp("What did Russia do?")).strict


def _cands(nlp, sentence: str, question: str):
    q = nlp(question)
    lemmas = {t.lemma_.lower() for t in q if not t.is_stop} | {t.lower_ for t in q}
    return candidates(nlp(sentence), lemmas, expected_type(q))


def test_candidate_offsets_slice_the_sentence(nlp):
    sentence = (
        "Ahmed Ali, a SDF fighter deployed at the facility, said forces left via a cargo plane."
    )
    found = _cands(nlp, sentence, "Who said the forces left?")
    assert found, "a person is named"
    assert all(sentence[c.start : c.end] == c.text for c in found)
    assert found[0].text == "Ahmed Ali"


def test_phrases_the_question_already_names_are_not_answers(nlp):
    sentence = "Sala is expected to visit Moscow on Wednesday and meet with Putin."
    found = [c.text for c in _cands(nlp, sentence, "Whom will Sala meet in Moscow?")]
    assert "Putin" in found
    assert "Sala" not in found and "Moscow" not in found


def test_whole_number_phrases_are_kept(nlp):
    sentence = "Russian forces began evacuating positions five or six days ago."
    found = [c.text for c in _cands(nlp, sentence, "When did Russian forces begin evacuating?")]
    assert found[0] == "five or six days ago"


def test_how_many_wants_a_number_not_any_entity(nlp):
    sentence = "They are still stationed in Qamishli and are gradually withdrawing, Russia said."
    found = _cands(nlp, sentence, "How many Russian troops are stationed in Qamishli?")
    assert found == []


def test_wire_dateline_names_are_skipped(nlp):
    sentence = "QAMISHLI, Syria (AP) — Russian troops left an area controlled by the Syrian Democratic Forces."
    found = [c.text for c in _cands(nlp, sentence, "Which group controls the area?")]
    assert "AP" not in found and "QAMISHLI" not in found
    assert found[0] == "the Syrian Democratic Forces" or found[0] == "Syrian Democratic Forces"


@pytest.mark.parametrize(
    ("sentence", "question", "best"),
    [
        # a named instance of the asked noun beats an entity of the right label ("Russia")
        (
            "The destination is Khmeimim Air Base, Russia's main base on the coast.",
            "Which base is Russia's most important on the coast?",
            "Khmeimim Air Base",
        ),
        # "four-day" in "the four-day truce" is a length, not the date asked for
        (
            "After the four-day truce expired on Saturday, both sides extended it.",
            "On what day did the truce expire?",
            "Saturday",
        ),
        # a name right beside the asked noun fits like a named instance
        (
            "A Health Ministry panel approved sales of the allergy drug Zyrtexa on Monday.",
            "A panel approved sales of what drug?",
            "Zyrtexa",
        ),
        # a nationality answers a country question ("Which country's troops …")
        (
            "Russian troops have begun withdrawing from the Kurdish-held northeast.",
            "Which country's troops are pulling out?",
            "Russian",
        ),
        # "May" is a stop word, but the month survives trimming
        (
            "The agency plans to end the emergency on May 11.",
            "In which month will the emergency end?",
            "May 11",
        ),
    ],
)
def test_best_candidate(nlp, sentence, question, best):
    assert _cands(nlp, sentence, question)[0].text == best


def test_why_offers_the_reason_clause(nlp):
    sentence = "Fighting broke out after talks between the SDF and government forces collapsed."
    found = _cands(nlp, sentence, "Why did fighting break out?")
    assert any(c.label == "CLAUSE" and c.text.startswith("talks between") for c in found)


def test_a_name_the_question_gives_as_an_adjective_is_not_the_answer(nlp):
    # "Russian" in the question already says Russia; the base is the new information
    sentence = "Its destination is Russia or Khmeimim Air Base."
    found = [c.text for c in _cands(nlp, sentence, "Which Russian base is the destination?")]
    assert "Russia" not in found
    assert found[0] == "Khmeimim Air Base"


def test_to_before_a_noun_is_no_reason(nlp):
    sentence = "Damascus's new rulers have taken a pragmatic approach to relations with Moscow."
    found = _cands(nlp, sentence, "Why did Damascus change course?")
    assert not any(c.label == "CLAUSE" for c in found)
    purpose = "The truce was extended to transfer militants to Iraq."
    found = _cands(nlp, purpose, "Why was the truce extended?")
    assert any(c.label == "CLAUSE" and c.text.startswith("transfer militants") for c in found)


def test_how_many_years_wants_a_count_of_years(nlp):
    sentence = "Benedict, who resigned on February 28, 2013, was the first pope in nearly 600 years to do so."
    found = _cands(nlp, sentence, "He was the first pope to resign in how many years?")
    assert found[0].text.endswith("600 years")


def test_a_question_about_a_person_needs_a_person(nlp):
    assert expected_type(nlp("What is the name of the Russian commander?")).strict


def test_a_name_the_recogniser_missed_is_still_a_candidate(nlp):
    # the small model tags no entity in "Buffalo Sabres"; the noun chunk around it holds
    # the question's own words, so only the proper-noun run can offer the team
    sentence = "Buffalo Sabres winger Lena Okoro was carried off the ice on Sunday."
    found = _cands(nlp, sentence, "Lena Okoro plays for which team?")
    assert any(c.text == "Buffalo Sabres" for c in found)


def test_a_name_the_recogniser_cut_short_is_offered_whole(nlp):
    found = {
        c.text: c.label
        for c in _cands(nlp, "Mardi Gras is French for Fat Tuesday.", "What does Mardi Gras mean?")
    }
    assert "Fat Tuesday" in found
    sentence = "The cast met first lady Dr. Jill Biden at the White House."
    found = {c.text: c.label for c in _cands(nlp, sentence, "Whom did the cast meet?")}
    assert found.get("Dr. Jill Biden") == "PERSON"


def test_a_possessive_is_not_part_of_the_answer(nlp):
    sentence = "Steven Spielberg's film won best director at the awards."
    found = [c.text for c in _cands(nlp, sentence, "Who won best director?")]
    assert "Steven Spielberg" in found
    assert not any(t.endswith("'s") for t in found)


def test_who_prefers_a_person_to_a_nationality(nlp):
    sentence = "Tomas Havel, a 27-year-old Czech striker, became the first player to do so."
    found = {c.text: c.fit for c in _cands(nlp, sentence, "Who became the first player to do so?")}
    assert found["Tomas Havel"] > found["Czech"]


def test_subject_questions_and_subject_phrases(nlp):
    assert asks_for_subject(nlp("Which athlete became the league's top scorer?"))
    assert not asks_for_subject(nlp("What team does he play for?"))
    doc = nlp("Maria Lopez passed Ann Webb to become the top scorer.")
    found = {c.text: c for c in _cands(nlp, doc.text, "Who became the top scorer?")}
    assert is_subject(found["Maria Lopez"], doc)
    assert not is_subject(found["Ann Webb"], doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian troops are withdrawing", ["russian", "troop", "withdraw"]),
        ("The troops' withdrawal, [1] said he.", ["troop", "withdraw", "1", "said"]),
        ("", []),
    ],
)
def test_terms_are_content_stems(text, expected):
    assert terms(text) == expected


def test_a_noun_phrase_named_as_a_kind_of_the_asked_noun_fits_like_a_right_entity(nlp):
    sentence = nlp("The crew loaded the equipment onto a cargo plane at dawn.")
    question = nlp("What aircraft carried the equipment?")
    lemmas = {t.lemma_.lower() for t in question if not t.is_stop}
    plain = {c.text: c.fit for c in candidates(sentence, lemmas, expected_type(question))}
    kinds = frozenset({"plane"})
    told = {c.text: c.fit for c in candidates(sentence, lemmas, expected_type(question), kinds)}
    assert plain["cargo plane"] < KIND_FIT
    assert told["cargo plane"] == KIND_FIT
    assert told["dawn"] == plain["dawn"]  # only the named kind changes
