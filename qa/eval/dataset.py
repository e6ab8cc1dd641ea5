"""Load and validate evaluation datasets.

A dataset is either a JSONL file of questions (asked against the current
index) or a folder holding ``questions.jsonl`` plus ``corpus.jsonl`` (articles
in the ingestion JSONL format: title, body, date, source, url) that is indexed
on its own first. Each question line is
``{"question": str, "answers": [str], "evidence": [str], "answerable": bool}``
with optional ``id``, ``as_of`` (YYYY-MM-DD), ``type`` and ``items`` (a list
question's gold items, each a list of aliases); other keys are kept
out of the way (ignored). This module only reads and checks files; it never
touches an index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr, ValidationError

from index.errors import DatasetError

QUESTIONS_FILE = "questions.jsonl"
CORPUS_FILE = "corpus.jsonl"


class Question(BaseModel):
    """One evaluation question; strict types so a typo fails loudly instead of scoring 0."""

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    question: StrictStr
    answers: tuple[StrictStr, ...]
    evidence: tuple[StrictStr, ...]
    answerable: StrictBool
    id: StrictStr | StrictInt | None = None
    as_of: dt.date | None = None  # from "YYYY-MM-DD"
    type: StrictStr | None = None
    #: list questions: the gold items, each as its aliases (item recall / precision)
    items: tuple[tuple[StrictStr, ...], ...] | None = None

    @property
    def kind(self) -> str:
        """The breakdown bucket: the declared type, else answerable/unanswerable."""
        return self.type or ("answerable" if self.answerable else "unanswerable")


@dataclass(frozen=True)
class Dataset:
    """Questions plus, for folder datasets, the corpus file they are asked against."""

    name: str
    path: Path
    questions: tuple[Question, ...]
    corpus: Path | None = None  # None: ask against the current index

    def corpus_hash(self) -> str | None:
        """sha256 of the corpus bytes, to key a cached index of it (None without a corpus)."""
        return hash_path(self.corpus) if self.corpus is not None else None


def hash_path(path: Path) -> str:
    """sha256 over a file's bytes, or over every file under a folder (names and bytes, sorted)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        with file.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def load_dataset(path: str | Path, limit: int | None = None) -> Dataset:
    """Read a questions JSONL file or a dataset folder; raise DatasetError on any bad line.

    Args:
        path: a ``.jsonl`` file, or a folder with ``questions.jsonl`` and ``corpus.jsonl``.
        limit: keep only the first ``limit`` questions (quick runs).
    """
    path = Path(path)
    corpus: Path | None = None
    if path.is_dir():
        questions_path = path / QUESTIONS_FILE
        corpus = path / CORPUS_FILE
        missing = [p.name for p in (questions_path, corpus) if not p.is_file()]
        if missing:
            raise DatasetError(
                f"{path}: dataset folder lacks {', '.join(missing)} — a folder dataset needs "
                f"{QUESTIONS_FILE} and {CORPUS_FILE}; pass a .jsonl file to use the current index"
            )
        name = path.name
    elif path.is_file():
        questions_path = path
        name = path.parent.name if path.name == QUESTIONS_FILE else path.stem
    else:
        raise DatasetError(f"{path}: no such dataset file or folder — check the path")
    questions = load_questions(questions_path)
    if limit is not None:
        questions = questions[:limit]
    return Dataset(name=name, path=path, questions=tuple(questions), corpus=corpus)


def load_questions(path: Path) -> list[Question]:
    """Parse and validate every line of a questions JSONL file (blank lines are skipped)."""
    questions: list[Question] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            questions.append(_parse_line(path, lineno, line))
    if not questions:
        raise DatasetError(f"{path}: no questions found — add one JSON object per line")
    return questions


def _parse_line(path: Path, lineno: int, line: str) -> Question:
    try:
        question = Question.model_validate_json(line)
    except ValidationError as exc:
        raise DatasetError(f"{path}:{lineno}: {_describe(exc)}") from None
    where = f"{path}:{lineno}"
    if not question.question.strip():
        raise DatasetError(f"{where}: field 'question' is empty — write the question text")
    if question.answerable and not question.answers:
        raise DatasetError(
            f"{where}: field 'answers' is empty on an answerable question — "
            'give at least one gold answer or set "answerable": false'
        )
    return question


def _describe(exc: ValidationError) -> str:
    """The first problem of a pydantic error, phrased as file-format advice."""
    err = exc.errors()[0]
    if err["type"] == "json_invalid":
        return f"not valid JSON ({err['msg']}) — each line must be one JSON object"
    field = ".".join(str(part) for part in err["loc"]) or "line"
    if err["type"] == "missing":
        return f"missing field '{field}' — every line needs question, answers, evidence, answerable"
    return f"field '{field}': {err['msg']} (got {err.get('input')!r})"
