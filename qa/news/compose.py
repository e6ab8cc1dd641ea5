"""Write conflicts and updates into an answerer's draft, and brief a generative one.

A pinned draft (the extractive answerer's) is rewritten from quoted sentences only:
a conflict gives each value with its outlet and quote ("Sources disagree: 12 (Coastal
Times, 8 March 2025): “…” [1]; 15 (National Radio, 8 March 2025): “…” [2]."); an update
leads with the newest value and its date and then the value it replaced ("15
(Associated Press, 4 March 2025): “…” [1]; earlier reports said 12 (Associated Press,
2 March 2025): “…” [2]."). A draft without pinned quotes (an LLM's) keeps its words and gains a quoted
sentence for each side it did not cite. The citation check (``qa.citations``) then
verifies every marker as usual.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answerers.base import Draft
from qa.citations import escape_markers
from qa.news.claims import Claim
from qa.news.disagreements import Findings
from qa.news.values import WORD_NUMBERS

_MARKER = re.compile(r"\[(\d+)\]")


def _day(claim: Claim) -> str:
    d = claim.day
    return f"{d.day} {d:%B %Y}" if d else ""


def _gloss(claim: Claim, *extra: str) -> str:
    """ "(Associated Press, 4 March 2025)": in parentheses, so the citation check reads
    it as the answer's gloss, not as names the quote must contain."""
    parts = [p for p in (claim.passage.source, *extra, _day(claim)) if p]
    return f" ({escape_markers(', '.join(parts))})" if parts else ""


def _quote(claim: Claim) -> str:
    return f"“{escape_markers(claim.sentence)}” [{claim.n}]"


def _value(claim: Claim) -> str:
    phrase = escape_markers(claim.phrase)
    # "Twelve" opened its sentence; mid-answer it reads "twelve"
    return phrase.lower() if phrase.lower().split("-")[0] in WORD_NUMBERS else phrase


def _lead(f: Findings) -> str:
    c = f.lead
    if f.conflicts:
        return f"Sources disagree: {_value(c)}{_gloss(c)}: {_quote(c)}"
    corrected = any(r.reason == "correction" and r.new is c for r in f.superseded)
    return f"{_value(c)}{_gloss(c, 'correction') if corrected else _gloss(c)}: {_quote(c)}"


def _others(f: Findings) -> list[str]:
    out = [f"{_value(c)}{_gloss(c)}: {_quote(c)}" for c in f.conflicts]
    for r in f.superseded:
        said = "first reported" if r.reason == "correction" else "earlier reports said"
        out.append(f"{said} {_value(r.old)}{_gloss(r.old)}: {_quote(r.old)}")
    return out


def sides(f: Findings) -> list[Claim]:
    """Every claim the answer cites: the lead, the conflicting ones, the replaced ones."""
    return [f.lead, *f.conflicts, *(r.old for r in f.superseded)]


def rewrite(draft: Draft, f: Findings) -> Draft:
    """``draft`` telling both sides of ``f`` (unchanged when ``f`` is empty)."""
    if f.empty:
        return draft
    everyone = sides(f)
    if draft.quotes is not None:
        text = "; ".join([_lead(f), *_others(f)]) + "."
        quotes: dict[int, list[tuple[int, int]]] = {}
        for c in everyone:
            quotes.setdefault(c.n, []).append((c.start, c.end))
        return replace(draft, text=text, short=escape_markers(f.lead.value), quotes=quotes)
    cited = {int(n) for n in _MARKER.findall(draft.text)}
    missing = [c for c in everyone if c.n not in cited]
    if not missing:
        return draft
    extra = [f"{_value(c)}{_gloss(c)}: {_quote(c)}." for c in missing]
    return replace(draft, text=" ".join([draft.text.rstrip(), *extra]))


def notes(f: Findings) -> list[str]:
    """What a generative answerer is told about ``f`` (passage numbers as it sees them)."""
    out = []
    if f.conflicts:
        said = "; ".join(
            f"passage [{c.n}] ({c.passage.source or 'unknown outlet'}, {c.passage.date or 'undated'}) "
            f"says {c.value}"
            for c in (f.lead, *f.conflicts)
        )
        out.append(f"The sources disagree on this: {said}. Say so and cite each side.")
    for r in f.superseded:
        how = "corrects" if r.reason == "correction" else "is later than and revises"
        out.append(
            f"Passage [{r.new.n}] ({r.new.passage.date or 'undated'}: {r.new.value}) {how} "
            f"passage [{r.old.n}] ({r.old.passage.date or 'undated'}: {r.old.value}). Lead with "
            "the latest value and its date, then mention the earlier one, citing both."
        )
    return out
