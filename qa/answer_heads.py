"""Which entity labels the head noun of a "which X" / "what X" question asks for.

Pure data, kept apart from the logic in answer_types: "which airline" wants an ORG,
"which capital" a GPE. A head noun not listed here leaves the answer type open.
"""

from __future__ import annotations

PEOPLE = {"PERSON", "ORG", "NORP"}
PLACES = {"GPE", "LOC", "FAC"}
NUMBERS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
TIMES = {"DATE", "TIME"}
# Labels of entities that name something (not a date, number or amount)
NAMES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART"})

# Head nouns of "which X" / "what X" questions → the entity labels an answer would carry.
HEAD_LABELS: dict[str, set[str]] = {}
for _labels, _words in (
    (
        {"PERSON"},
        (
            "person man woman people leader president republican democrat player actor actress singer star rapper "
            "politician official executive ceo senator governor lawmaker judge athlete coach quarterback "
            "musician artist author writer director founder billionaire celebrity figure candidate pope "
            "king queen prince princess minister chancellor spokesperson comedian host footballer golfer "
            "chef journalist reporter fighter soldier general commander lawyer scientist doctor "
            "representative congressman congresswoman mayor shortstop pitcher guard rookie winner "
            "counterpart successor predecessor suspect victim owner boss manager emperor monarch "
            "dictator premier chairman chairwoman nominee speaker secretary"
        ),
    ),
    (
        {"ORG"},
        (
            "company firm airline bank brand team club organization organisation group agency "
            "network retailer chain automaker carmaker manufacturer giant startup party university "
            "college school outlet newspaper band maker store restaurant platform service union league "
            "corporation business conglomerate broadcaster publisher studio lab laboratory channel "
            "label exchange department ministry force militia court committee franchise operator "
            "provider insurer lender developer"
        ),
    ),
    (
        {"GPE"},
        (
            "country nation state city town capital province county territory kingdom republic "
            "village municipality neighborhood borough"
        ),
    ),
    (
        {"LOC", "GPE", "FAC"},
        (
            "place region area location river mountain sea ocean continent lake "
            "island coast border site venue stadium airport base port park destination part"
        ),
    ),
    ({"NORP"}, "nationality religion"),
    ({"DATE", "TIME"}, "year day month date time decade century season week"),
    (
        {"PRODUCT", "ORG"},
        (
            "product vehicle car phone device model app drug vaccine software game "
            "console aircraft plane ship weapon missile system"
        ),
    ),
    (
        {"WORK_OF_ART", "EVENT"},
        (
            "film movie show song album book series award prize event "
            "festival ceremony tournament championship race storm"
        ),
    ),
    ({"LAW"}, "law act bill treaty amendment"),
    ({"MONEY"}, "price cost fee salary fine amount sum budget"),
    ({"PERCENT"}, "percentage percent rate"),
    (
        {"CARDINAL", "QUANTITY"},
        (
            "population number total count score tally magnitude temperature height length "
            "distance depth weight speed size"
        ),
    ),
):
    for _w in _words.split():
        HEAD_LABELS[_w] = set(_labels)
