"""Download a conversation with its citations, as Markdown (to read) or JSON (to process).

The JSON keeps each answer's full ``Answer.to_dict()`` so a script sees
exactly what the API returns; the Markdown keeps what a reader needs to check
an answer: the question, the answer, and each cited quote with where it is from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from ui.state import Turn


def conversation_json(turns: Sequence[Turn]) -> str:
    """All turns as JSON: question, full answer (citations, passages) or the error shown."""
    data = {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "turns": [
            {
                "question": t.question,
                "answer": t.answer.to_dict() if t.answer else None,
                "error": t.error,
            }
            for t in turns
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def conversation_markdown(turns: Sequence[Turn]) -> str:
    """All turns as a Markdown document with a numbered source list under each answer."""
    lines = ["# newsdesk conversation", ""]
    for i, turn in enumerate(turns, start=1):
        lines += [f"## {i}. {turn.question}", ""]
        if turn.error:
            lines += [f"_Error: {turn.error}_", ""]
            continue
        if turn.answer is None:
            continue
        lines += [turn.answer.text, ""]
        for c in turn.answer.citations:
            where = ", ".join(p for p in (c.source, c.date) if p)
            head = f"[{c.n}] {c.title}" + (f" — {where}" if where else "")
            lines.append(head + (f" <{c.url}>" if c.url else ""))
            lines += [f"> {c.quote}", ""]
    return "\n".join(lines).rstrip() + "\n"
