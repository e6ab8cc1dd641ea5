"""Read articles from files and folders, one ``Article`` or ``IngestError`` at a time.

This is the entry point of ingestion: it walks the paths it is given, refuses
what it cannot read with a message naming the file and the fix, and hands each
file to the parser for its format (``index.loaders``). It never stops at a bad
file: the caller gets an ``IngestError`` for it and the walk goes on.

Walking: folders are read recursively in sorted order; inside folders only
files with a supported extension are read and hidden files and folders (name
starting with ".") are skipped; symbolic links are followed, but each folder
and file is visited once, so link loops end. A path given explicitly is always
tried, whatever its name. ``Article.path`` and ``IngestError.path`` are the
paths as walked from what was given (a relative path stays relative).
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from index.errors import ArticleError
from index.loaders.common import decode_bytes
from index.loaders.html import parse_html
from index.loaders.jsonfile import parse_json, parse_jsonl
from index.loaders.text import parse_text
from index.models import Article, IngestError

Parsed = Iterable[Article | IngestError]

_PARSERS: dict[str, Callable[[str, str], Parsed]] = {
    ".txt": lambda path, raw: [parse_text(path, raw, markdown=False)],
    ".md": lambda path, raw: [parse_text(path, raw, markdown=True)],
    ".html": lambda path, raw: [parse_html(path, raw)],
    ".htm": lambda path, raw: [parse_html(path, raw)],
    ".json": parse_json,
    ".jsonl": parse_jsonl,
}
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(_PARSERS)
_SUPPORTED_LIST = " ".join(sorted(SUPPORTED_EXTENSIONS))
_MB = 1024 * 1024  # as NEWSDESK_MAX_FILE_MB is converted to bytes
#: What to do about a file over the size limit, in a terminal's words (the chat
#: window words it for a browser user).
TOO_BIG_HINT = "split it into smaller files or raise NEWSDESK_MAX_FILE_MB"


def _read_bytes(path: Path, name: str, max_file_bytes: int) -> bytes:
    """The file's bytes, refusing special files and files over the limit before reading."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ArticleError(name, f"cannot be read ({exc.strerror})", "check the path") from None
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError(name, "is not a regular file", "pass article files or folders")
    too_big = ArticleError(
        name,
        f"is {info.st_size / _MB:.1f} MB, over the {max_file_bytes / _MB:.4g} MB limit",
        TOO_BIG_HINT,
    )
    if info.st_size > max_file_bytes:
        raise too_big
    try:
        with path.open("rb") as handle:
            data = handle.read(max_file_bytes + 1)
    except PermissionError:
        raise ArticleError(
            name,
            "cannot be read (permission denied)",
            "check the file's permissions (e.g. chmod a+r)",
        ) from None
    except OSError as exc:
        raise ArticleError(name, f"cannot be read ({exc.strerror})", "check the file") from None
    if len(data) > max_file_bytes:  # it grew since stat()
        raise too_big
    return data


def load_file(path: Path, max_file_bytes: int) -> Iterator[Article | IngestError]:
    """Articles of one file (several for JSON lists and JSONL), or errors."""
    name = str(path)
    try:
        parser = _PARSERS.get(path.suffix.lower())
        if parser is None:
            raise ArticleError(
                name,
                f"has an unsupported file type '{path.suffix}'",
                f"supported: {_SUPPORTED_LIST}",
            )
        data = _read_bytes(path, name, max_file_bytes)
        if not data:
            raise ArticleError(name, "is empty", "add the article's text or remove the file")
        raw = decode_bytes(data, name)
        if not raw.strip():
            raise ArticleError(
                name, "contains only whitespace", "add the article's text or remove the file"
            )
        yield from parser(name, raw)
    except ArticleError as exc:
        yield IngestError(name, str(exc))


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False  # unreadable or broken: load_file reports it if it matters


def _missing(path: Path) -> str | None:
    """Why an explicitly given path cannot be used at all, or None."""
    try:
        path.stat()
    except FileNotFoundError:
        return "is a broken symbolic link" if path.is_symlink() else "does not exist"
    except OSError as exc:
        return f"cannot be reached ({exc.strerror})"
    return None


def _walk(root: Path, seen: set[tuple[int, int]]) -> Iterator[Path | IngestError]:
    """Supported files under ``root`` in sorted order, each real file/folder once."""
    stack = [root]
    while stack:
        folder = stack.pop()
        key = _file_key(folder)
        if key is None or key in seen:
            continue  # already visited through another link (or a loop)
        seen.add(key)
        try:
            children = sorted(folder.iterdir())
        except OSError as exc:
            yield IngestError(
                str(folder),
                f"{folder}: cannot list this folder ({exc.strerror}) — check its permissions",
            )
            continue
        subfolders = []
        for child in children:
            if child.name.startswith("."):
                continue
            if _is_dir(child):
                subfolders.append(child)
            elif child.suffix.lower() in SUPPORTED_EXTENSIONS:
                yield child
        # subtle: files of a folder come before its subfolders, each in sorted order
        stack.extend(reversed(subfolders))


def iter_articles(
    paths: Sequence[str | Path], max_file_bytes: int
) -> Iterator[Article | IngestError]:
    """Yield an Article per article found under ``paths`` and an IngestError per failure.

    Args:
        paths: files and folders, read in the order given.
        max_file_bytes: files larger than this are refused without being read.
    """
    seen: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        problem = _missing(path)
        if problem is not None:
            yield IngestError(str(path), f"{path}: {problem} — check the path")
            continue
        key = _file_key(path)
        if key in seen:
            continue  # the same file or folder was given twice
        if not _is_dir(path):
            seen.add(key)
            yield from load_file(path, max_file_bytes)
            continue
        reported = 0
        for item in _walk(path, seen):
            reported += 1
            if isinstance(item, IngestError):
                yield item
                continue
            key = _file_key(item)
            if key is None or key not in seen:
                if key is not None:
                    seen.add(key)
                yield from load_file(item, max_file_bytes)
        if reported == 0:
            yield IngestError(
                str(path),
                f"{path}: has no article files (supported: {_SUPPORTED_LIST}) — check the folder",
            )
