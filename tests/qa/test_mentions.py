"""Short names grow into the fullest form the article itself uses."""

from __future__ import annotations

import pytest

from qa.mentions import fullest_mention

ARTICLE = [
    "Bills safety Damar Hamlin collapsed. The Buffalo Bills said he was stable.",
    "On Tuesday McCarthy lost a vote. House Republican leader Kevin McCarthy tried again.",
    "Former Pope Benedict XVI was buried on Thursday. Benedict XVI resigned in 2013.",
    "Vladimir Putin's Russia denied it. Russia said nothing more.",
    "She got her start with Three 6 Mafia. In 2022 Mafia bosses were jailed.",
    "Moscow backed Assad. Moscow said so. U.S. Army Gen. Mark Milley agreed.",
]


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Bills", "Buffalo Bills"),  # "The" opens the sentence, it is not part of the name
        ("McCarthy", "Kevin McCarthy"),  # "On Tuesday" is a date, "leader" is lower case
        ("Benedict XVI", "Pope Benedict XVI"),
        ("Russia", "Russia"),  # a possessive before it is another name
        ("sesame seeds", "sesame seeds"),  # not a name: left alone
        ("Hamlin", "Damar Hamlin"),
        ("Lakers", "Lakers"),  # not in the article: left alone
        ("Mafia", "Three 6 Mafia"),  # number words and short numbers belong to names
        ("Moscow", "Moscow"),  # "Assad. Moscow" runs across a sentence end
        ("Mark Milley", "U.S. Army Gen. Mark Milley"),  # abbreviations are no sentence end
    ],
)
def test_fullest_mention(short, full):
    assert fullest_mention(short, ARTICLE) == full
