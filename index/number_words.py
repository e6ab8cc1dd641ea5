"""English number words, shared by ingest (a near-copy that changes a number is a revision,
``index.revisions``) and reading (``qa.news.values`` turns them into numbers)."""

#: zero … nineteen, in order, so that a word's position is its value.
SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
#: twenty … ninety, in order (value = 10 × (position + 2)).
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
#: Words that scale or count a number ("three million", "dozens").
SCALES = ["hundred", "thousand", "million", "billion", "trillion", "dozen", "dozens"]
