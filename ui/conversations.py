"""Saved conversations: one small JSON file per conversation, per user, in the store folder.

Files live in ``<store_dir>/conversations/<user>/<id>.json`` and are written
atomically (a temp file renamed over the old one), so a crash or two tabs
saving at once leave either the old or the new version, never half of one.
Each turn keeps ``Answer.to_dict()`` (the same record as the JSON export),
so reopening a conversation shows its answers and quotes exactly as given.
Today there is one user, ``local``; a sign-in only has to pass another key.
This module does not call Streamlit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from index.models import SearchFilter
from qa import Answer
from ui.state import Turn

log = logging.getLogger(__name__)

LOCAL_USER = "local"
_ID = re.compile(r"[0-9a-f]{32}")
_SAFE_USER = re.compile(r"[A-Za-z0-9._-]{1,64}")
_TITLE_CHARS = 60
_ANSWER = TypeAdapter(Answer)


@dataclass(frozen=True)
class Conversation:
    """One saved conversation; ``title`` is the reader's name for it or its first question."""

    id: str
    title: str
    created_at: str  # ISO 8601, UTC
    updated_at: str
    turns: tuple[Turn, ...] = ()


def new_id() -> str:
    return uuid.uuid4().hex


def default_title(question: str) -> str:
    """A conversation's name until the reader renames it: its first question, shortened."""
    words = " ".join(question.split())
    if len(words) <= _TITLE_CHARS:
        return words
    return words[:_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


class ConversationStore:
    """The saved conversations of one user."""

    def __init__(self, store_dir: Path, user: str = LOCAL_USER) -> None:
        self.folder = Path(store_dir) / "conversations" / _user_folder(user)

    def recent(self, limit: int | None = None) -> list[Conversation]:
        """The ``limit`` most recently active readable conversations, newest first.

        Files are picked by modification time (every save rewrites the file), so only
        the ones listed are parsed, however many a user keeps, then ordered by the
        time saved inside them (finer than the file system's clock); turns not loaded.
        """
        found: list[Conversation] = []
        for path in sorted(self.folder.glob("*.json"), key=_modified, reverse=True):
            if limit is not None and len(found) >= limit:
                break
            data = _read(path)
            if data is not None:
                found.append(_conversation(data, with_turns=False))
        return sorted(found, key=lambda c: c.updated_at, reverse=True)

    def load(self, conversation_id: str) -> Conversation | None:
        """The conversation with its turns, or None if it is gone or unreadable."""
        if not _ID.fullmatch(conversation_id):
            return None
        path = self.folder / f"{conversation_id}.json"
        data = _read(path)
        if data is None:
            return None
        try:
            return _conversation(data, with_turns=True)
        except (KeyError, TypeError, ValueError) as exc:  # pydantic's ValidationError included
            log.warning("skipping unreadable conversation file %s: %s", path, exc)
            return None

    def save(self, conversation_id: str, turns: Sequence[Turn], title: str | None = None) -> None:
        """Write the conversation's turns; keeps its name and creation time if it exists."""
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        old = self.load(conversation_id)
        if title is None:
            title = old.title if old else default_title(turns[0].question if turns else "")
        data = {
            "id": conversation_id,
            "title": title,
            "created_at": old.created_at if old else now,
            "updated_at": now,
            "turns": [
                {
                    "question": t.question,
                    "answer": t.answer.to_dict() if t.answer else None,
                    "error": t.error,
                    "filters": _filters_dict(t.filters),
                }
                for t in turns
            ],
        }
        _write_atomically(self.folder / f"{conversation_id}.json", data)

    def rename(self, conversation_id: str, title: str) -> None:
        """Give a saved conversation a new name (blank names are ignored)."""
        conversation = self.load(conversation_id)
        if conversation is not None and title.strip():
            self.save(conversation_id, conversation.turns, " ".join(title.split()))


def _user_folder(user: str) -> str:
    """A folder name for ``user``: itself when plainly safe, else a stable hash of it."""
    if _SAFE_USER.fullmatch(user) and user.strip("."):
        return user
    return "u-" + hashlib.sha256(user.encode()).hexdigest()[:32]


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # removed since the folder was listed
        return 0.0


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(data, dict) and _ID.fullmatch(str(data.get("id")))):
            raise ValueError("not a newsdesk conversation")
        return data
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # a hand-edited or foreign file: skip it, say where
        log.warning("skipping unreadable conversation file %s: %s", path, exc)
        return None


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _conversation(data: dict[str, Any], with_turns: bool) -> Conversation:
    turns = tuple(_turn(t) for t in data.get("turns") or ()) if with_turns else ()
    return Conversation(
        id=data["id"],
        title=str(data.get("title") or "Untitled conversation"),
        created_at=str(data.get("created_at") or ""),
        updated_at=str(data.get("updated_at") or ""),
        turns=turns,
    )


def _turn(data: dict[str, Any]) -> Turn:
    answer = data.get("answer")
    return Turn(
        question=data["question"],
        answer=_answer(answer) if answer else None,
        error=data.get("error"),
        filters=_filters(data.get("filters")),
    )


def _filters_dict(flt: SearchFilter | None) -> dict[str, Any] | None:
    """The filters a reader set in the sidebar (outlets, dates), so a reopened answer
    keeps its badge."""
    if flt is None or flt.is_empty:
        return None
    return {"sources": list(flt.sources), "since": flt.since, "until": flt.until}


def _filters(data: dict[str, Any] | None) -> SearchFilter | None:
    if not data:
        return None
    return SearchFilter(
        sources=tuple(data.get("sources") or ()), since=data.get("since"), until=data.get("until")
    )


def _answer(data: dict[str, Any]) -> Answer:
    """``Answer.to_dict()`` read back (pydantic rebuilds the nested citations and tuples;
    keys it does not know are ignored, fields added to Answer later keep their defaults)."""
    return _ANSWER.validate_python({**data, "text": data["answer"]})
