"""Report what boilerplate detection would keep out of the chunks of a set of articles.

``python -m index.boilerplate_report FILE_OR_FOLDER... [--examples 20]`` reads
the articles as ingest does, counts every line across each outlet's articles
(all of them first, as a full ingest of the set ends up doing), and prints the
lines and characters dropped by kind, with examples. It writes nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path

import click

from index.boilerplate import KINDS, find_boilerplate, fingerprints
from index.loading import iter_articles
from index.models import Article
from index.settings import Settings


def _size(path: Path) -> int:
    return (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        if path.is_dir()
        else path.stat().st_size
    )


def _outlet(article: Article) -> str:
    return article.source or ""


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--examples", default=20, show_default=True, help="Dropped lines to show.")
@click.option("--seed", default=0, show_default=True, help="Seed for choosing the examples.")
def main(paths: tuple[Path, ...], examples: int, seed: int) -> None:
    """Print how many lines and characters boilerplate detection drops, by kind."""
    settings = Settings()
    # No file-size limit: this reads local files to report on them, it stores nothing.
    items = iter_articles(list(paths), max_file_bytes=sum(_size(p) for p in paths))
    articles = [a for a in items if isinstance(a, Article)]
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for a in articles:
        counts[_outlet(a)].update(fingerprints(a.text))
    lines: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    dropped: list[tuple[str, str, str]] = []  # (kind, outlet, line)
    total_lines = total_chars = 0
    for a in articles:
        total_lines += sum(1 for line in a.text.split("\n") if line.strip())
        total_chars += len(a.text)
        for ex in find_boilerplate(a.text, counts[_outlet(a)], settings.boilerplate_min_articles):
            lines[ex.kind] += 1
            chars[ex.kind] += ex.end - ex.start
            dropped.append((ex.kind, _outlet(a), a.text[ex.start : ex.end]))
    click.echo(f"{len(articles)} articles, {total_lines} lines, {total_chars} characters")
    click.echo(f"{'kind':<10}{'lines':>8}{'chars':>10}{'% chars':>9}")
    for kind in (*KINDS, "total"):
        n = sum(lines.values()) if kind == "total" else lines[kind]
        c = sum(chars.values()) if kind == "total" else chars[kind]
        click.echo(f"{kind:<10}{n:>8}{c:>10}{100 * c / max(total_chars, 1):>8.1f}%")
    # Examples: distinct lines, spread over the kinds in proportion to how often they drop.
    distinct = list(dict.fromkeys(dropped))
    for kind, outlet, line in random.Random(seed).sample(distinct, min(examples, len(distinct))):
        click.echo(f"[{kind}] {outlet or '-'}: {line[:140]}")


if __name__ == "__main__":
    main()
