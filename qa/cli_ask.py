"""``newsdesk ask "QUESTION"``: one cited answer on the terminal, or JSON for scripts.

Prints the answer, then its numbered sources (title, outlet, date, quote).
Filters (--source, --since, --until) narrow what is searched; --as-of asks about a past
day (nothing later is read; "latest", "now" mean that day). A timeline question ("How
did the strike unfold?") prints one dated, cited line per event, oldest first. Errors a
user can fix surface through the error boundary in ``qa.cli`` (one line, exit code).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import click

from index.models import SearchFilter
from qa.cli import AppContext, cli, iso_date, pass_app
from qa.models import Answer


def render(answer: Answer, low_confidence: float = 0.0) -> str:
    """The answer and its sources as plain text for a terminal; an answer under
    ``low_confidence`` is flagged as uncertain."""
    lines = [answer.text]
    if answer.timeline:
        lines.insert(0, f"Timeline, oldest first ({len(answer.timeline)} events):")
    if not answer.refused and answer.confidence is not None and answer.confidence < low_confidence:
        lines.insert(0, f"(uncertain: confidence {answer.confidence:.0%} — check the source)")
    lines += news_lines(answer)
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            meta = ", ".join(x for x in (c.source, c.date) if x)
            lines.append(f"[{c.n}] {c.title}" + (f" — {meta}" if meta else ""))
            lines += textwrap.wrap(
                f"“{c.quote}”", width=88, initial_indent="    ", subsequent_indent="    "
            )
            if c.url:
                lines.append(f"    {c.url}")
    elif answer.refused and answer.passages:
        lines += ["", "Closest passages:"]
        for i, p in enumerate(answer.passages[:3], start=1):
            meta = ", ".join(x for x in (p.source, p.date) if x)
            lines.append(f"  {i}. {p.title}" + (f" — {meta}" if meta else ""))
    return "\n".join(lines)


def news_lines(answer: Answer) -> list[str]:
    """What the news check found, one line each: the sides of a disagreement, and each
    value a later report or a correction replaced (blank-line separated from the text)."""
    lines = []
    for d in answer.disagreements:
        sides = " · ".join(f"{v} [{n}]" for v, n in zip(d.values, d.citations, strict=True))
        lines.append(f"! Sources disagree: {sides}")
    for s in answer.superseded:
        how = "Corrected" if s.reason == "correction" else "Updated"
        new = f"{s.by_value}" + (f" ({s.by_date})" if s.by_date else "") + f" [{s.by_citation}]"
        old = f"{s.value}" + (f" ({s.date})" if s.date else "") + f" [{s.citation}]"
        lines.append(f"! {how}: {new} replaces {old}")
    return ["", *lines] if lines else []


@cli.command("ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print Answer.to_dict() as JSON.")
@click.option("--k", type=int, default=None, help="Passages given to the answerer (1..max_k).")
@click.option(
    "--source",
    "sources",
    multiple=True,
    help="Only this outlet (repeatable); AP also matches Associated Press, CNN cnn.com.",
)
@click.option("--since", callback=iso_date, help="Only articles dated on/after YYYY-MM-DD.")
@click.option("--until", callback=iso_date, help="Only articles dated on/before YYYY-MM-DD.")
@click.option(
    "--as-of",
    "as_of",
    callback=iso_date,
    help="Ask as of YYYY-MM-DD: nothing later is read; 'latest', 'now' mean that day.",
)
@click.option(
    "--answerer", default=None, help="extractive | reader | local | llm (default: settings)."
)
@pass_app
def ask(
    app: AppContext,
    question: str,
    as_json: bool,
    k: int | None,
    sources: tuple[str, ...],
    since: str | None,
    until: str | None,
    as_of: str | None,
    answerer: str | None,
) -> None:
    """Answer QUESTION from the indexed articles, citing the exact sentences."""
    from qa.assistant import Assistant

    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    settings = app.settings
    if answerer:
        settings = settings.model_copy(update={"answerer": answerer})
    flt = SearchFilter(sources=tuple(sources), since=since, until=until)
    day = dt.date.fromisoformat(as_of) if as_of else None
    result = Assistant.from_settings(settings).ask(question, filters=flt, k=k, as_of=day)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(result, settings.low_confidence))
