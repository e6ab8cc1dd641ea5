"""The conversation dev set: is a follow-up searched as the right standalone question?

``evals/conversations/`` holds two- and three-turn conversations over a small
corpus (its ``corpus.jsonl`` plus the seed article). Each earlier turn is asked
in order and newsdesk's own answer becomes the history, as in the chat window;
only the last question is scored:

* **condensation** — a standalone question must be searched exactly as typed
  (and not marked rewritten); a dependent one must be marked rewritten, contain
  every ``expect`` term (``"a|b"``: either) and none of the ``forbid`` terms
  (stale context from a turn it does not refer to);
* **answer** — the short answer (and the full text) contains a gold answer.

It reuses the token matching of ``qa.eval.metrics`` and the cached-store layout
of ``qa.eval.runner``; it does not score citations or retrieval (the
single-question sets do).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError

from index.errors import DatasetError
from index.settings import Settings
from qa.eval.dataset import hash_path
from qa.eval.metrics import contains, contains_any

CONVERSATIONS_FILE = "conversations.jsonl"
CORPUS_FILE = "corpus.jsonl"
ProgressFn = Callable[[str, int, int], None]  # (stage label, done, total)


class Conversation(BaseModel):
    """One conversation: earlier user questions, the scored last one, and what it must become."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    id: StrictStr
    type: StrictStr
    turns: tuple[StrictStr, ...]  # earlier user questions, oldest first
    question: StrictStr
    standalone: StrictBool
    expect: tuple[StrictStr, ...] = ()
    forbid: tuple[StrictStr, ...] = ()
    answers: tuple[StrictStr, ...]


@dataclass(frozen=True)
class Turn:
    """What newsdesk did with the scored question."""

    searched: str  # Answer.question: the standalone question retrieval saw
    rewritten: bool
    short: str
    text: str
    refused: bool
    history: tuple[tuple[str, str], ...]  # (question, answer text) it was given


def load_conversations(path: Path) -> list[Conversation]:
    """Read ``conversations.jsonl``; a bad line raises DatasetError naming file and line."""
    if not path.is_file():
        raise DatasetError(
            f"{path}: no such file — the conversation set lives in evals/conversations/"
        )
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(Conversation.model_validate_json(line))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(part) for part in err["loc"]) or "line"
            raise DatasetError(
                f"{path}:{n}: field '{field}': {err['msg']} — each line is one JSON object "
                "with id, type, turns, question, standalone, answers (and expect/forbid)"
            ) from None
        bad = [t for t in rows[-1].expect + rows[-1].forbid if not t.strip("| ")]
        if rows[-1].standalone == bool(rows[-1].expect) or bad:
            raise DatasetError(
                f"{path}:{n}: a standalone conversation has no 'expect' terms and a dependent "
                "one needs at least one (no empty terms) — fix this line and run again"
            )
    return rows


def condensed_right(conv: Conversation, searched: str, rewritten: bool) -> bool:
    """Did newsdesk search with an acceptable standalone form of ``conv.question``?"""
    if conv.standalone:
        return not rewritten and searched.split() == conv.question.split()
    has_all = all(contains_any(searched, term.split("|")) for term in conv.expect)
    return rewritten and has_all and not any(contains(searched, t) for t in conv.forbid)


def answered_right(conv: Conversation, turn: Turn, full: bool = False) -> bool:
    """The (short or full) answer contains a gold answer; a refusal is wrong."""
    return not turn.refused and contains_any(turn.text if full else turn.short, conv.answers)


def converse(assistant: Any, conv: Conversation) -> Turn:
    """Ask the earlier turns in order (newsdesk's answers become history), then the last."""
    history: list[tuple[str, str]] = []
    for asked in conv.turns:
        history.append((asked, assistant.ask(asked, history=list(history)).text))
    answer = assistant.ask(conv.question, history=list(history))
    return Turn(
        answer.question, answer.rewritten, answer.short, answer.text, answer.refused, tuple(history)
    )


def store_dir(settings: Settings, corpus: Sequence[Path]) -> Path:
    """A cached embedded store for this corpus, keyed like ``runner.cache_dir``."""
    from index.onnx_embedding import resolve_backend

    key = "|".join(
        [
            *(hash_path(p) for p in corpus),
            settings.embedding_model,
            resolve_backend(settings.embedding_backend, settings.embedding_model),
            str(settings.chunk_tokens),
            str(settings.chunk_overlap_sentences),
        ]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return Path(settings.store_dir) / "eval-cache" / f"conversations-{digest}" / "newsdesk"


def run_conversations(
    folder: Path,
    seeds: Path,
    settings: Settings,
    answerer: str | None = None,
    progress: ProgressFn | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Index the set's corpus and the seed, run every conversation, return metrics and rows."""
    from qa import Assistant

    conversations = load_conversations(folder / CONVERSATIONS_FILE)[:limit]
    corpus = [folder / CORPUS_FILE, seeds]
    update = {"store_dir": store_dir(settings, corpus), "chroma_url": None, "database_url": None}
    if answerer:
        update["answerer"] = answerer
    settings = settings.model_copy(update=update)
    assistant = Assistant.from_settings(settings)
    assistant.ingest(corpus)
    rows = []
    for i, conv in enumerate(conversations, start=1):
        turn = converse(assistant, conv)
        rows.append(
            {
                "id": conv.id,
                "type": conv.type,
                "turns": list(conv.turns),
                "question": conv.question,
                "searched": turn.searched,
                "rewritten": turn.rewritten,
                "condensed_right": condensed_right(conv, turn.searched, turn.rewritten),
                "answer": turn.text,
                "short": turn.short,
                "answer_right": answered_right(conv, turn),
                "answer_right_full": answered_right(conv, turn, full=True),
            }
        )
        if progress:
            progress("conversations", i, len(conversations))
    return {"answerer": settings.answerer, **summarise(rows), "rows": rows}


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Rates over all rows and per conversation type."""

    def rates(group: Sequence[dict[str, Any]]) -> dict[str, Any]:
        n = len(group)
        return {
            "n": n,
            "condensation_accuracy": sum(r["condensed_right"] for r in group) / n if n else None,
            "answer_accuracy": sum(r["answer_right"] for r in group) / n if n else None,
            "answer_accuracy_full": sum(r["answer_right_full"] for r in group) / n if n else None,
        }

    kinds = sorted({r["type"] for r in rows})
    return {
        **rates(rows),
        "by_type": {k: rates([r for r in rows if r["type"] == k]) for k in kinds},
    }


def write_report(result: dict[str, Any], out: Path) -> list[Path]:
    """metrics.json (everything) and report.md (rates, then every miss with what was searched)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Conversation dev set",
        "",
        f"answerer: {result['answerer']}",
        "",
        "| type | n | condensation | answer (short) | answer (full) |",
        "|---|---|---|---|---|",
    ]
    for kind, m in [("all", result), *result["by_type"].items()]:
        lines.append(
            f"| {kind} | {m['n']} | {m['condensation_accuracy']:.3f} | "
            f"{m['answer_accuracy']:.3f} | {m['answer_accuracy_full']:.3f} |"
        )
    lines += ["", "## Misses", ""]
    for r in result["rows"]:
        if r["condensed_right"] and r["answer_right"]:
            continue
        what = [k for k in ("condensed_right", "answer_right") if not r[k]]
        lines.append(
            f"- **{r['id']}** ({', '.join(what)}): {' → '.join(r['turns'])} → "
            f"*{r['question']}* searched as *{r['searched']}*; answered: {r['short'] or r['answer']}"
        )
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [out / "metrics.json", out / "report.md"]
