"""Write an evaluation's results: report.md, metrics.json, questions.csv and PNG plots.

Only formatting and files; the numbers come from ``runner.EvalResult``. The
CSV lists failures first so that reading it top-down shows what went wrong.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from index.extras import needs_extra
from qa.eval.runner import EvalResult, SystemRun

#: (key, label) of the rows in the side-by-side table, in reading order.
TABLE = [
    ("answer_accuracy", "answer accuracy (short answer)"),
    ("answer_accuracy_full", "answer accuracy (full text)"),
    ("token_f1", "token F1 (short answer)"),
    ("answer_in_citations", "gold answer in a cited passage"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("refusal_precision", "refusal precision"),
    ("refusal_recall", "refusal recall"),
    ("false_refusal_rate", "refused an answerable question"),
    ("item_recall", "list questions: gold items listed"),
    ("item_precision", "list questions: listed items that are gold"),
    ("hit_at_1", "retrieval hit@1"),
    ("hit_at_3", "retrieval hit@3"),
    ("hit_at_5", "retrieval hit@5"),
    ("hit_at_10", "retrieval hit@10"),
    ("mrr_at_10", "retrieval MRR@10"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
]
PLOT_KEYS = ("answer_accuracy", "citation_recall", "hit_at_5", "refusal_recall")


def fmt(value: Any, key: str = "") -> str:
    """A metric for a table cell: rates as 0.000, milliseconds as integers, None as "–"."""
    if value is None:
        return "–"
    if key.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def write_report(result: EvalResult, out: Path) -> list[Path]:
    """Write every report file into ``out`` and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    data = result.to_dict()
    (out / "metrics.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    (out / "report.md").write_text(markdown(result, data))
    written = [out / "metrics.json", out / "report.md", write_csv(result, out / "questions.csv")]
    return written + write_plots(result, out)


def markdown(result: EvalResult, data: dict[str, Any]) -> str:
    """report.md: newsdesk and baseline side by side, with the counts behind each rate."""
    base = data["baseline"] or {}
    c = data["counts"]
    lines = [
        f"# Evaluation: {data['dataset']}",
        "",
        (
            f"- questions: {c['questions']} ({c['answerable']} answerable, "
            f"{c['unanswerable']} unanswerable); answerer: `{data['answerer']}`"
        ),
        f"- newsdesk store: `{data['store']}`",
        *[f"- {note}" for note in data["notes"]],
        "- the baseline's answer is its top chunk (1000 characters), so its short-answer",
        "  accuracy is containment in a whole chunk; newsdesk's is in a short phrase.",
        "",
        "| metric | newsdesk | naive LangChain |",
        "|---|---|---|",
        *[f"| {label} | {fmt(data[k], k)} | {fmt(base.get(k), k)} |" for k, label in TABLE],
        "",
        f"Counts: {json.dumps(c)}",
        "",
        "## By question type (newsdesk)",
        "",
        "| type | n | accuracy | citation recall | hit@5 | refusal recall |",
        "|---|---|---|---|---|---|",
    ]
    for kind, m in data["by_type"].items():
        cells = " | ".join(fmt(m[k], k) for k in PLOT_KEYS)
        lines.append(f"| {kind} | {m['n']} | {cells} |")
    for label, ingest in (("newsdesk", data["ingest"]), ("baseline", base.get("ingest"))):
        if ingest:
            lines += ["", f"Ingestion ({label}): `{json.dumps(ingest, default=str)}`"]
    lines += _unseen_lines(data) + _risk_lines(data)
    lines += [
        "",
        "Files: metrics.json, questions.csv (failures first), by_type.png, latency.png"
        + (", risk_coverage.png" if data.get("risk_coverage") else ""),
        "",
    ]
    return "\n".join(lines)


def _unseen_lines(data: dict[str, Any]) -> list[str]:
    unseen = data.get("unseen")
    if not unseen:
        return []
    keys = ("answer_accuracy", "citation_precision", "hit_at_3", "refusal_recall")
    return [
        "",
        f"## Questions asked on or after {unseen['since']} (text the reader never read)",
        "",
        "| n | " + " | ".join(keys) + " |",
        "|---|" + "---|" * len(keys),
        f"| {unseen['n']} | " + " | ".join(fmt(unseen[k], k) for k in keys) + " |",
    ]


def _risk_lines(data: dict[str, Any]) -> list[str]:
    risk = data.get("risk_coverage")
    if not risk:
        return []
    return [
        "",
        "## Risk–coverage (answer only the most confident share of questions)",
        "",
        "| questions answered | " + " | ".join(f"{k} %" for k in risk) + " |",
        "|---|" + "---|" * len(risk),
        "| short answers right | " + " | ".join(f"{v:.3f}" for v in risk.values()) + " |",
    ]


def write_csv(result: EvalResult, path: Path) -> Path:
    """One row per question and system, failures first."""
    runs = [r for r in (result.newsdesk, result.baseline) if r is not None]
    rows = [(run.name, row) for run in runs for row in run.rows]
    rows.sort(key=lambda pair: (not pair[1].score.failed, pair[0]))  # stable: dataset order kept
    fields = [
        "system",
        "id",
        "type",
        "failed",
        "question",
        "gold",
        "answer",
        "short",
        "refused",
        "correct_short",
        "correct_full",
        "f1",
        "citations_supported",
        "citations",
        "first_hit_rank",
        "latency_ms",
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(fields)
        for system, row in rows:
            q, s, o = row.question, row.score, row.outcome
            writer.writerow(
                [
                    system,
                    q.id if q.id is not None else "",
                    q.kind,
                    s.failed,
                    q.question,
                    " | ".join(q.answers),
                    o.answer,
                    o.short,
                    s.refused,
                    s.correct_short,
                    s.correct_full,
                    "" if s.f1 is None else f"{s.f1:.3f}",
                    s.supported_citations,
                    "\n".join(row.citations),
                    s.first_hit_rank or "",
                    f"{s.latency_ms:.1f}",
                ]
            )
    return path


def write_plots(result: EvalResult, out: Path) -> list[Path]:
    """by_type.png (key metrics per question type) and latency.png (histogram per system)."""
    with needs_extra("eval", "the evaluation report's plots"):
        import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt
    import numpy as np

    runs = [r for r in (result.newsdesk, result.baseline) if r is not None]
    kinds = sorted({row.question.kind for row in result.newsdesk.rows})
    fig, axes = plt.subplots(1, len(PLOT_KEYS), figsize=(4 * len(PLOT_KEYS), 4), sharey=True)
    width = 0.8 / len(runs)
    for ax, key in zip(axes, PLOT_KEYS, strict=True):
        for i, run in enumerate(runs):
            groups = run.by_type()
            values = [groups.get(kind, {}).get(key) for kind in kinds]
            xs = np.arange(len(kinds)) + i * width
            bars = ax.bar(xs, [np.nan if v is None else v for v in values], width, label=run.name)
            # Label every applicable bar so a 0 is told apart from "not applicable".
            ax.bar_label(bars, ["" if v is None else f"{v:.2f}" for v in values], fontsize=7)
        ax.set_title(key.replace("_", " "))
        ticks = np.arange(len(kinds)) + width * (len(runs) - 1) / 2
        ax.set_xticks(ticks, kinds, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_ylim(0, 1.12)  # room for the value labels
    axes[0].legend()
    fig.suptitle(f"{result.dataset.name}: metrics by question type (blank = not applicable)")
    fig.tight_layout()
    fig.savefig(out / "by_type.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4))
    latencies = {run.name: [row.score.latency_ms for row in run.rows] for run in runs}
    bins = np.histogram_bin_edges([ms for v in latencies.values() for ms in v], bins=30)
    for name, ms in latencies.items():
        ax.hist(ms, bins=bins, alpha=0.6, label=f"{name} (p50 {np.median(ms):.0f} ms)")
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.set_title(f"{result.dataset.name}: answer latency")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=100)
    plt.close(fig)
    written = [out / "by_type.png", out / "latency.png"]
    return written + _risk_plot(result, out, plt, np)


def _risk_plot(result: EvalResult, out: Path, plt, np) -> list[Path]:
    """risk_coverage.png: precision against the share answered, most confident first."""
    scores = [row.score for row in result.newsdesk.rows]
    if not scores or any(s.confidence is None for s in scores):
        return []
    ranked = sorted(scores, key=lambda s: (s.refused, -s.confidence))
    right = np.cumsum([bool(s.correct_short) for s in ranked])
    shares = np.arange(1, len(ranked) + 1)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(shares / len(ranked), right / shares, label="newsdesk (reader confidence)")
    ax.axhline(right[-1] / len(ranked), ls="--", c="grey", label="answer everything")
    ax.set_xlabel("share of questions answered (most confident first)")
    ax.set_ylabel("short answers right")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"{result.dataset.name}: risk–coverage")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "risk_coverage.png", dpi=100)
    plt.close(fig)
    return [out / "risk_coverage.png"]


#: The metrics ``make eval`` prints per dataset and system.
SUMMARY_KEYS = (
    "answer_accuracy",
    "answer_accuracy_full",
    "citation_precision",
    "citation_recall",
    "refusal_recall",
    "item_recall",
    "item_precision",
    "hit_at_3",
    "hit_at_5",
    "latency_p50_ms",
)


def summary_row(result: EvalResult) -> dict[str, Any]:
    """The few figures ``make eval`` prints per dataset."""
    row: dict[str, Any] = {"dataset": result.dataset.name, "n": len(result.newsdesk.rows)}
    runs: list[SystemRun] = [result.newsdesk] + ([result.baseline] if result.baseline else [])
    for run in runs:
        m = run.metrics()
        for key in SUMMARY_KEYS:
            row[f"{run.name}.{key}"] = m[key]
    return row
