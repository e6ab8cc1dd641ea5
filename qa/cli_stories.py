"""``newsdesk stories``: list the archive's story threads (``index.stories``).

A thin wrapper over ``NewsIndex.stories``: a table for people (newest story first),
``--json`` for scripts. It lists every desk's stories with embargoes kept, as the
other local commands search; it does not group anything itself.
"""

from __future__ import annotations

import json

import click

from qa.cli import AppContext, cli, iso_date, pass_app
from qa.words import plural

#: Outlets named in a table row before "+N".
SHOWN_OUTLETS = 3


def _dates(first: str | None, last: str | None) -> str:
    if first is None:
        return "undated"
    return first if first == last else f"{first} … {last}"


def _outlets(outlets: tuple[str, ...]) -> str:
    shown = ", ".join(outlets[:SHOWN_OUTLETS])
    more = len(outlets) - SHOWN_OUTLETS
    return shown + (f" +{more}" if more > 0 else "") if outlets else "?"


def table(stories: list) -> str:
    """The stories as aligned text columns: id, dates, articles, outlets, label."""
    rows = [("STORY", "DATES", "ARTICLES", "OUTLETS", "HEADLINE")] + [
        (
            s.id,
            _dates(s.first_date, s.last_date),
            str(len(s.article_ids)),
            _outlets(s.outlets),
            s.label,
        )
        for s in stories
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths)) + "  " + r[4] for r in rows
    )


@cli.command()
@click.option(
    "--since", callback=iso_date, help="Only stories with an article on/after YYYY-MM-DD."
)
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON.")
@pass_app
def stories(app: AppContext, since: str | None, as_json: bool) -> None:
    """List story threads: articles about one event across outlets and days, newest first."""
    from index import NewsIndex

    with NewsIndex.open(app.settings) as index:
        found = index.stories(since=since)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no stories" + (f" since {since}" if since else "") + " (the archive is empty?)")
        return
    click.echo(table(found))
    articles = sum(len(s.article_ids) for s in found)
    click.echo(f"{plural(len(found), 'story', 'stories')} of {plural(articles, 'article')}")
