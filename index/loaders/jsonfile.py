"""JSON and JSON Lines articles: one object, a list of objects, or one object a line.

Fields: ``title``; the text in ``body``, ``text`` or ``content`` (first
non-empty); the date in ``date`` or ``published_at``; ``source``, ``url``,
``author`` (a list of authors is joined with ", "); a body given as a list of
paragraph strings is joined with blank lines. Any other field goes to
``Article.extra`` unchanged. A .json file that holds one object a line is read
as JSON Lines.

``Article.path`` is ``file#L<n>`` for the n-th line of a JSONL file and
``file#<i>`` for the i-th item of a JSON list (both counted from 1). A bad
record becomes an error for that record only; the other records of the file are
still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from index.errors import ArticleError
from index.loaders.common import make_article
from index.models import Article, IngestError

BODY_FIELDS = ("body", "text", "content")
DATE_FIELDS = ("date", "published_at")
KNOWN_FIELDS = frozenset({"title", "source", "url", "author", *BODY_FIELDS, *DATE_FIELDS})
_TOO_DEEP = "nests JSON too deeply to read (thousands of levels)"
_RECORD_HINT = 'each article must be a JSON object with a "body" (or "text"/"content") string'
#: What to do about a .json file that does not parse, in a terminal's words (the
#: chat window words it for a browser user).
JSON_FIX_HINT = "fix the JSON there (python -m json.tool FILE shows the spot)"


def _json_problem(exc: json.JSONDecodeError) -> str:
    # subtle: some of json's messages end in "at" ("Unterminated string starting at"),
    # written to be followed by the position; ours follows with "at line/column".
    return exc.msg.removesuffix(" at")


def record_to_article(where: str, record: Any) -> Article:
    """Build the Article of one decoded JSON record; ``where`` names file and line/item."""
    if not isinstance(record, dict):
        raise ArticleError(where, f"is a JSON {type(record).__name__}, not an object", _RECORD_HINT)
    field = next((f for f in BODY_FIELDS if record.get(f) not in (None, "")), None)
    if field is None:
        found = ", ".join(sorted(record)) or "none"
        raise ArticleError(
            where, f'has no "body", "text" or "content" field (fields: {found})', _RECORD_HINT
        )
    body = record[field]
    if isinstance(body, list) and all(isinstance(part, str) for part in body):
        body = "\n\n".join(body)  # a list of paragraphs
    if not isinstance(body, str):
        raise ArticleError(
            where, f'field "{field}" is a {type(body).__name__}, not a string', _RECORD_HINT
        )
    date = next((record[f] for f in DATE_FIELDS if record.get(f) not in (None, "")), None)
    return make_article(
        where,
        body,
        title=record.get("title"),
        date=date,
        source=record.get("source"),
        url=record.get("url"),
        author=record.get("author"),
        extra={k: v for k, v in record.items() if k not in KNOWN_FIELDS},
    )


def _attempt(where: str, record: Any) -> Article | IngestError:
    try:
        return record_to_article(where, record)
    except ArticleError as exc:
        return IngestError(where, str(exc))


def parse_json(path: str, raw: str) -> Iterator[Article | IngestError]:
    """Articles of a .json file holding one object or a list of objects."""
    try:
        data = json.loads(raw, strict=False)
    except RecursionError:
        raise ArticleError(path, _TOO_DEEP, _RECORD_HINT) from None
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and raw.lstrip().startswith("{"):
            # one object a line in a .json file: read it as the JSON Lines it is
            yield from parse_jsonl(path, raw)
            return
        raise ArticleError(
            path,
            f"is not valid JSON: {_json_problem(exc)} at line {exc.lineno}, column {exc.colno}",
            JSON_FIX_HINT,
        ) from None
    if isinstance(data, dict):
        yield _attempt(path, data)
    elif isinstance(data, list):
        if not data:
            raise ArticleError(path, "holds an empty list: no articles", _RECORD_HINT)
        for i, item in enumerate(data, start=1):
            yield _attempt(f"{path}#{i}", item)
    else:
        raise ArticleError(
            path,
            f"holds a JSON {type(data).__name__}, not an object or a list of objects",
            _RECORD_HINT,
        )


def parse_jsonl(path: str, raw: str) -> Iterator[Article | IngestError]:
    """Articles of a .jsonl file, one JSON object a line (blank lines skipped)."""
    for n, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}#L{n}"
        try:
            record = json.loads(line, strict=False)
        except RecursionError:
            yield IngestError(
                where, str(ArticleError(where, f"line {n} {_TOO_DEEP}", _RECORD_HINT))
            )
            continue
        except json.JSONDecodeError as exc:
            yield IngestError(
                where,
                str(
                    ArticleError(
                        where,
                        f"line {n} is not valid JSON: {_json_problem(exc)} at column {exc.colno}",
                        "fix or remove that line; the other lines were read",
                    )
                ),
            )
            continue
        yield _attempt(where, record)
