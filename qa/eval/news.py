"""Score how answers handle conflicting outlets and later reports (``qa.news``).

Per question, from ``Answer.disagreements`` / ``Answer.superseded`` and the text:

* ``flagged``: a disagreement is listed; ``both_cited``: one listing holds a gold value
  and a rival value (RGB: its ``fakeanswer``; dev set: the other gold value), each
  cited by a quote that states it — the RGB counterfactual target (>= 0.8);
* ``false_flag``: a disagreement or supersession where none belongs (RGB noise items,
  dev-set controls; target <= 0.1 on RGB noise);
* ``latest_led``: the short answer is the latest value (dev-set updates/corrections);
  ``earlier_mentioned``: the replaced value is in the text and listed as superseded;
* timelines: ``event_recall``, the share of gold events (a day and key phrases) that a
  line of ``Answer.timeline`` holds (same day, a phrase in its text); ``order``, the
  share of pairs of found events listed in gold order; ``in_range``, every line on or
  after the question's "since" day (questions that have one);
* latest questions (asked at their ``as_of``): ``latest_led``, the value current on that
  day is the short answer or is stated before the answer's first citation, and no
  later value is; ``age_noted``, an answer from evidence older than the as-of day by
  more than ``stale_days`` gives its date (items marked ``stale``).

The naive LangChain pipeline returns chunks, never a flag: its flag rate is 0 by
construction and is reported as such. Each RGB item is its own archive: its question
is asked with its ``source`` as the outlet filter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.models import SearchFilter
from index.settings import Settings
from qa.eval.dataset import Dataset
from qa.eval.metrics import contains
from qa.models import Answer
from qa.news.values import same_value

ProgressFn = Callable[[str, int, int], None]
#: Per kind, the metrics that kind measures (others are not reported for it).
KIND_METRICS = {
    "counterfactual": ("flagged", "both_cited"),
    "noise": ("false_flag",),
    "update": ("latest_led", "earlier_mentioned", "false_flag_conflict"),
    "correction": ("latest_led", "earlier_mentioned", "false_flag_conflict"),
    "conflict": ("flagged", "both_cited", "false_flag_update"),
    "control": ("false_flag",),
    "timeline": ("event_recall", "order", "in_range"),
    "latest": ("latest_led", "age_noted"),
}


def _matches(value: str, gold: Sequence[str]) -> bool:
    return any(same_value(value, g) or contains(value, g) or contains(g, value) for g in gold)


def _cited_with(answer: Answer, n: int, value: str) -> bool:
    return any(c.n == n and contains(c.quote, value) for c in answer.citations)


def _two_sided(answer: Answer, side_a: Sequence[str], side_b: Sequence[str]) -> bool:
    """A listed disagreement holds a value of each side, each cited by a quote stating it."""
    for d in answer.disagreements:
        pairs = list(zip(d.values, d.citations, strict=True))
        a = [(v, n) for v, n in pairs if _matches(v, side_a)]
        b = [(v, n) for v, n in pairs if _matches(v, side_b)]
        if any(_cited_with(answer, n, v) for v, n in a) and any(
            _cited_with(answer, n, v) for v, n in b
        ):
            return True
    return False


def _event_found(gold: dict[str, Any], line) -> bool:
    return line.date <= gold["date"] <= (line.until or line.date) and any(
        contains(line.text, p) for p in gold["phrases"]
    )


def score_timeline(q: dict[str, Any], answer: Answer) -> dict[str, float | None]:
    """Event recall, order of the found events, and whether every line is in range."""
    lines = list(answer.timeline)
    at = [
        next((i for i, line in enumerate(lines) if _event_found(g, line)), None)
        for g in q["events"]
    ]
    found = [i for i in at if i is not None]
    pairs = [(a, b) for k, a in enumerate(found) for b in found[k + 1 :]]
    return {
        "event_recall": len(found) / len(q["events"]),
        "order": sum(a < b for a, b in pairs) / len(pairs) if pairs else None,
        "in_range": all(line.date >= q["since"] or (line.until or "") >= q["since"]
                        for line in lines) if q.get("since") else None,
    }  # fmt: skip


def score_latest(q: dict[str, Any], answer: Answer) -> dict[str, bool | None]:
    """The value current on the as-of day leads the answer; stale evidence gives its date."""
    lead = answer.text.split("[", 1)[0]
    led = not answer.refused and (
        _matches(answer.short, [q["latest"]]) or contains(lead, q["latest"])
    )
    return {
        "latest_led": led,
        "age_noted": (answer.evidence_as_of is not None) if q.get("stale") else None,
    }  # fmt: skip


def score_news(q: dict[str, Any], answer: Answer) -> dict[str, Any]:
    """The metrics of ``KIND_METRICS[q["type"]]`` for one answered question."""
    kind = q["type"]
    flagged = bool(answer.disagreements)
    out: dict[str, bool] = {}
    if kind == "counterfactual":
        out = {"flagged": flagged, "both_cited": _two_sided(answer, q["answers"], q["fake"])}
    elif kind == "conflict":
        a, b = q["values"][0], q["values"][1:]
        out = {"flagged": flagged, "both_cited": _two_sided(answer, [a], b)}
        out["false_flag_update"] = bool(answer.superseded)
    elif kind in ("update", "correction"):
        latest, earlier = q["latest"], q["earlier"]
        out["latest_led"] = not answer.refused and _matches(answer.short, [latest])
        out["earlier_mentioned"] = any(
            _matches(s.value, [earlier]) and _cited_with(answer, s.citation, s.value)
            for s in answer.superseded
        )
        out["false_flag_conflict"] = flagged
    elif kind == "timeline":
        out = score_timeline(q, answer)
    elif kind == "latest":
        out = score_latest(q, answer)
    else:  # noise, control
        out["false_flag"] = flagged or bool(answer.superseded)
    return out


@dataclass
class NewsRun:
    """Per-question scores of one news set, and their rates per kind."""

    name: str
    rows: list[dict[str, Any]]

    def rates(self) -> dict[str, dict[str, Any]]:
        kinds: dict[str, dict[str, Any]] = {}
        for kind in dict.fromkeys(r["type"] for r in self.rows):
            rows = [r for r in self.rows if r["type"] == kind]
            kinds[kind] = {"n": len(rows)}
            for m in KIND_METRICS[kind]:  # None: the metric does not apply to that row
                got = [r["scores"][m] for r in rows if r["scores"][m] is not None]
                kinds[kind][m] = round(sum(got) / len(got), 3) if got else None
        return kinds


def news_assistant(dataset: Dataset, settings: Settings):
    """An ``Assistant`` over the dataset's cached store (indexed on first use), and the
    dataset's question lines with their extra fields (``latest``, ``values``, ``fake``)."""
    from qa import Assistant
    from qa.eval.runner import cache_dir

    cache = cache_dir(settings, dataset)
    settings = settings.model_copy(
        update={
            "store_dir": cache / "newsdesk",
            "chroma_url": None,
            "database_url": None,
            "max_file_mb": 64.0,
            "news_reads": settings.news_reads or 5,  # measured with the check on
        }
    )
    assistant = Assistant.from_settings(settings)
    assistant.ingest([dataset.corpus])
    raw = [json.loads(line) for line in (dataset.path / "questions.jsonl").open() if line.strip()]
    wanted = {str(q.id) for q in dataset.questions}
    return assistant, [q for q in raw if str(q["id"]) in wanted]


def ask_filter(q: dict[str, Any]) -> SearchFilter | None:
    """An RGB item is its own archive: its question searches its own outlet only."""
    return SearchFilter(sources=(q["source"],)) if q.get("source") else None


def run_news(dataset: Dataset, settings: Settings, progress: ProgressFn | None = None) -> NewsRun:
    """Index the dataset's corpus in its cached store and score every question."""
    assistant, raw = news_assistant(dataset, settings)
    rows = []
    for i, q in enumerate(raw, 1):
        as_of = dt.date.fromisoformat(q["as_of"]) if q.get("as_of") else None
        answer = assistant.ask(q["question"], filters=ask_filter(q), as_of=as_of)
        rows.append(
            {
                "id": q["id"],
                "type": q["type"],
                "question": q["question"],
                "answer": answer.text,
                "short": answer.short,
                "disagreements": [d.to_dict() for d in answer.disagreements],
                "superseded": [s.to_dict() for s in answer.superseded],
                "timeline": [e.to_dict() for e in answer.timeline],
                "scores": score_news(q, answer),
                "latency_ms": answer.timings_ms.get("total"),
            }
        )
        if progress:
            progress(f"ask {dataset.name}", i, len(raw))
    return NewsRun(dataset.name, rows)


def write_news_report(run: NewsRun, out: Path) -> Path:
    """``out/news.json`` (rates and rows) and ``out/news.md`` (the rates table)."""
    out.mkdir(parents=True, exist_ok=True)
    rates = run.rates()
    (out / "news.json").write_text(json.dumps({"rates": rates, "rows": run.rows}, indent=1))
    lines = [
        f"# {run.name}: conflicting sources and updates",
        "",
        "| kind | n | metric | newsdesk | naive baseline |",
        "|---|---|---|---|---|",
    ]
    for kind, r in rates.items():
        for m in KIND_METRICS[kind]:
            base = "0 (never flags)" if m in ("flagged", "both_cited") else "—"
            got = "—" if r[m] is None else f"{r[m]:.2f}"
            lines.append(f"| {kind} | {r['n']} | {m} | {got} | {base} |")
    (out / "news.md").write_text("\n".join(lines) + "\n")
    return out / "news.md"
