"""Where the conflicting-sources check loses a case: one bucket per question.

For a question with two sides (an RGB counterfactual item: its true and its fake
answer; a dev-set conflict: its gold values), the first stage at which one side is
lost names the bucket:

* ``merged_at_ingest``: no stored article states that side (the near-duplicate merge
  folded it into its twin);
* ``not_retrieved``: no fused candidate states it;
* ``dropped_by_diversity``: a candidate states it, but diversity left it out of the top k;
* ``not_read``: it is in the top k, but not among the ``news_reads`` passages read;
* ``not_extracted``: it was read, but no claim (nor the aligned reprint) has it as value;
* ``not_judged``: claims hold both values, but the check found no conflict between them;
* ``lost_at_citation``: the check found it, the final answer does not list it cited;
* ``ok``.

For a question with nothing to flag (RGB noise, dev controls), a flag is bucketed by
the two values' kinds (``number``/``year``/``date``/``name``/``other``):
``false_flag_same_kind`` or ``false_flag_mixed_kinds`` (a count against a year is not
a disagreement about one fact). Usage:

    python -m qa.eval.news_diagnose rgb-counterfactual rgb-noise-flags [--limit N]

It measures only; it changes nothing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from index.settings import Settings
from qa.eval.metrics import contains
from qa.eval.news import ask_filter, news_assistant, score_news
from qa.news.values import number

_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE
)


def kind(value: str) -> str:
    """A coarse type of an answer phrase."""
    v = value.strip()
    if _DATE.search(v):
        return "date"
    if _YEAR.match(v):
        return "year"
    if number(v) is not None:
        return "number"
    if v[:1].isupper():
        return "name"
    return "other"


def sides(q: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """The two sides' spellings of a question that has a conflict, else None."""
    if q["type"] == "counterfactual":
        return list(q["answers"]), list(q["fake"])
    if q["type"] == "conflict":
        return [q["values"][0]], list(q["values"][1:])
    return None


def _states(texts: Sequence[str], side: Sequence[str]) -> bool:
    return any(contains(t, v) for t in texts for v in side)


def _both(texts: Sequence[str], two: tuple[list[str], list[str]]) -> bool:
    return _states(texts, two[0]) and _states(texts, two[1])


def diagnose(assistant, q: dict[str, Any], corpus: Sequence[dict]) -> dict[str, Any]:
    """The bucket of one question, and what the check saw."""
    flt = ask_filter(q)
    question = q["question"]
    answer = assistant.ask(question, filters=flt)
    row: dict[str, Any] = {"id": q["id"], "type": q["type"], "question": question}
    row["disagreements"] = [d.to_dict() for d in answer.disagreements]
    row["superseded"] = [s.to_dict() for s in answer.superseded]
    two = sides(q)
    if q["type"] in ("update", "correction"):
        row["bucket"] = "n/a"  # scored by qa.eval.news; no two sides to trace
        return row
    if two is None:
        flagged = [d["values"] for d in row["disagreements"]]
        if not flagged and not row["superseded"]:
            row["bucket"] = "ok"
        elif not flagged:
            row["bucket"] = "false_supersession"
        else:
            kinds = {kind(v) for v in flagged[0]}
            row["bucket"] = "false_flag_same_kind" if len(kinds) == 1 else "false_flag_mixed_kinds"
        return row
    scores = score_news(q, answer)
    if scores["both_cited"]:
        row["bucket"] = "ok"
        return row
    index = assistant.index
    urls = [r["url"] for r in corpus if r["source"] == q.get("source", r["source"])]
    stored = [a.text for i in index.catalog.resolve(urls) if (a := index.get_article(i))]
    retriever = assistant.retriever
    candidates = retriever.candidates(question, flt)
    top = retriever.retrieve(question, assistant.settings.k, flt)
    reads = top[: assistant.news.reads]
    claims = assistant.news.claims(question, top)
    draft = assistant.answerer.draft(question, top)
    _, found = assistant.news.apply(question, top, draft, claims)
    found_values = [c.value for c in (found.lead, *found.conflicts)] if found else []
    row["claims"] = [c.value for c in claims]
    row["found"] = found_values
    if not _both(stored, two):
        row["bucket"] = "merged_at_ingest"
    elif not _both([p.text for p in candidates], two):
        row["bucket"] = "not_retrieved"
    elif not _both([p.text for p in top], two):
        row["bucket"] = "dropped_by_diversity"
    elif not _both([p.text for p in reads], two):
        row["bucket"] = "not_read"
    elif not (_both([c.value for c in claims], two) or _both(found_values, two)):
        row["bucket"] = "not_extracted"
    elif not _both(found_values, two):
        row["bucket"] = "not_judged"
    else:
        row["bucket"] = "lost_at_citation"
    return row


@click.command()
@click.argument("sets", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1))
@click.option("--shared", type=click.Path(path_type=Path), default=Path("../shared"))
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports/eval"))
def main(sets: tuple[str, ...], limit: int | None, shared: Path, out: Path) -> None:
    """Print each set's bucket counts; write <out>/<set>/diagnose.json."""
    from qa.eval.run_all import build_news_dataset

    settings = Settings()
    for name in sets:
        dataset = build_news_dataset(name, shared, out, limit)
        assistant, raw = news_assistant(dataset, settings)
        corpus = [json.loads(line) for line in dataset.corpus.open() if line.strip()]
        rows = [diagnose(assistant, q, corpus) for q in raw]
        counts = Counter(r["bucket"] for r in rows)
        (out / name).mkdir(parents=True, exist_ok=True)
        (out / name / "diagnose.json").write_text(json.dumps(rows, indent=1))
        print(name, len(rows), dict(counts.most_common()))


if __name__ == "__main__":
    main()
