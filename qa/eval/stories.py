"""Story grouping measured: RealTimeQA's stories and labelled article pairs.

``evals/stories/pairs.jsonl`` holds article pairs (by url) labelled by hand as the same
event or ongoing story or not (``evals/stories/README.md``). Against the stories the
index holds now, a pair is *predicted* together when both articles are in one story:
precision is the share of predicted pairs labelled same, recall the share of same
pairs predicted together. Besides, the report gives the number of stories, their
size distribution and a sample of 20 stories with their headlines. The grouping
itself is ``index.stories``'; this module only reads and scores it.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.errors import DatasetError

#: Stories shown with their headlines in the report.
SAMPLE = 20


@dataclass(frozen=True)
class Pair:
    a: str  # article url
    b: str
    same: bool


def load_pairs(path: Path) -> list[Pair]:
    """The labelled pairs of a JSONL file (``a``, ``b``: urls; ``same``: bool).

    Raises:
        DatasetError: a line is not such an object (names the file and line).
    """
    pairs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not (isinstance(row["a"], str) and isinstance(row["b"], str)):
                raise TypeError("a and b must be urls")
            if not isinstance(row["same"], bool):
                raise TypeError("same must be true or false")
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(
                f"{path}:{n}: not a labelled pair ({exc}) — write "
                '{"a": URL, "b": URL, "same": true|false} on each line'
            ) from exc
        pairs.append(Pair(row["a"], row["b"], row["same"]))
    return pairs


def pair_scores(pairs: list[Pair], story_of: dict[str, str]) -> dict[str, Any]:
    """Precision and recall of "in one story" on the labelled pairs; ``story_of`` maps
    an article url to its story id (pairs with an unknown url are counted as missing)."""
    counts = Counter()
    for p in pairs:
        if p.a not in story_of or p.b not in story_of:
            counts["missing"] += 1
            continue
        together = story_of[p.a] == story_of[p.b]
        counts[("t" if together == p.same else "f") + ("p" if together else "n")] += 1
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "pairs": len(pairs),
        "labelled_same": sum(p.same for p in pairs),
        "predicted_together": tp + fp,
        "true_positive": tp,
        "false_positive": fp,
        "false_negative": fn,
        "true_negative": counts["tn"],
        "missing": counts["missing"],
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
    }


def corpus_figures(stories: list, titles: dict[str, str]) -> dict[str, Any]:
    """Number of stories, size distribution, and ``SAMPLE`` multi-article stories
    (seeded draw) with every member's headline."""
    sizes = Counter(len(s.article_ids) for s in stories)
    grouped = [s for s in stories if len(s.article_ids) > 1]
    sample = random.Random(15).sample(grouped, min(SAMPLE, len(grouped)))
    return {
        "stories": len(stories),
        "articles": sum(len(s.article_ids) for s in stories),
        "sizes": {str(k): sizes[k] for k in sorted(sizes)},
        "multi_outlet": sum(len(s.outlets) > 1 for s in stories),
        "largest": max(sizes) if sizes else 0,
        "sample": [
            {
                "id": s.id,
                "label": s.label,
                "dates": [s.first_date, s.last_date],
                "outlets": list(s.outlets),
                "headlines": [titles[a] for a in s.article_ids],
            }
            for s in sample
        ],
    }


def measure(index: Any, pairs_path: Path) -> dict[str, Any]:
    """Both measurements on an index (``index.NewsIndex``) whose stories are placed."""
    stories = index.stories()
    story_of_article = {a: s.id for s in stories for a in s.article_ids}
    pairs = load_pairs(pairs_path)
    story_of: dict[str, str] = {}
    for url in {u for p in pairs for u in (p.a, p.b)}:
        found = [story_of_article[i] for i in index.catalog.resolve([url]) if i in story_of_article]
        if found:
            story_of[url] = found[0]
    titles = {r.article_id: r.title for r in index.catalog.story_rows()}
    return {"pairs": pair_scores(pairs, story_of), **corpus_figures(stories, titles)}


def write_report(result: dict[str, Any], out: Path) -> Path:
    """``report.json`` and a readable ``report.md`` in ``out``; returns the latter."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    p = result["pairs"]
    lines = [
        "# Story grouping (RealTimeQA 2023-Q1)",
        "",
        (
            f"{result['stories']} stories of {result['articles']} articles; "
            f"{result['multi_outlet']} span several outlets; the largest has {result['largest']}."
        ),
        "",
        "Sizes (articles: stories): " + ", ".join(f"{k}: {v}" for k, v in result["sizes"].items()),
        "",
        (
            f"Labelled pairs: {p['pairs']} ({p['labelled_same']} same), "
            f"precision {fmt_share(p['precision'])}, recall {fmt_share(p['recall'])} "
            f"(tp {p['true_positive']}, fp {p['false_positive']}, fn {p['false_negative']}, "
            f"tn {p['true_negative']}, missing {p['missing']})"
        ),
        "",
        f"## {len(result['sample'])} stories drawn at random (of those with 2+ articles)",
    ]
    for s in result["sample"]:
        lines += [
            "",
            (
                f"**{s['label']}** — {' … '.join(dict.fromkeys(d or '?' for d in s['dates']))}, "
                f"{', '.join(s['outlets'])}"
            ),
        ]
        lines += [f"- {h}" for h in s["headlines"]]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def fmt_share(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
