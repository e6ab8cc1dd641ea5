"""A small hand-made story for the timeline tests: a tram derailment told by three
outlets over two weeks, with a syndicated copy, the same fact in a second outlet, and an
article from the same town about something else."""

from __future__ import annotations

TOPIC = "the Harbin Lane tram derailment"
RECORDS = [
    {
        "title": "Tram derails on Harbin Lane",
        "source": "Rivet Gazette",
        "date": "2024-09-03",  # a Tuesday
        "url": "https://example.test/harbin-1",
        "body": "OSSBURY — A tram derailed on Harbin Lane in Ossbury on Monday, injuring 14 "
        "passengers. The line was closed while engineers inspected the track.",
    },
    {  # a syndicated copy: one article with two outlets (index.dedup)
        "title": "Tram derails on Harbin Lane",
        "source": "Metro Wire",
        "date": "2024-09-03",
        "url": "https://example.test/harbin-1-copy",
        "body": "OSSBURY — A tram derailed on Harbin Lane in Ossbury on Monday, injuring 14 "
        "passengers. The line was closed while engineers inspected the track.",
    },
    {
        "title": "Broken rail behind Harbin Lane derailment",
        "source": "Ossbury Times",
        "date": "2024-09-05",  # a Thursday
        "url": "https://example.test/harbin-2",
        "body": "Investigators said on Wednesday that a broken rail caused the Harbin Lane tram "
        "derailment. The tram operator apologised to passengers.",
    },
    {  # the same fact, the same day, another outlet
        "title": "Rail fault caused Harbin Lane crash",
        "source": "Ossbury Post",
        "date": "2024-09-05",
        "url": "https://example.test/harbin-3",
        "body": "A broken rail caused the Harbin Lane tram derailment, investigators said on "
        "Wednesday.",
    },
    {
        "title": "Harbin Lane trams run again",
        "source": "Rivet Gazette",
        "date": "2024-09-16",  # a Monday
        "url": "https://example.test/harbin-4",
        "body": "Trams returned to Harbin Lane on Saturday after crews replaced 300 metres of "
        "rail. The number of passengers injured in the Harbin Lane derailment now stands at 16.",
    },
    {  # the same town, another story
        "title": "Ossbury approves new library",
        "source": "Ossbury Times",
        "date": "2024-09-10",
        "url": "https://example.test/ossbury-library",
        "body": "Ossbury council approved a new central library on Tuesday.",
    },
]
#: (day, phrase) of each event, oldest first, as a reader counts them on a calendar.
EVENTS = [
    ("2024-09-02", "tram derailed on Harbin Lane"),
    ("2024-09-04", "broken rail caused"),
    ("2024-09-14", "Trams returned to Harbin Lane"),
]
