"""Which optional dependency group (pyproject extra) brings which importable module, and
the one guard that turns a missing one into ``MissingExtra`` naming the extra to install.

The lean install (`make chat`: ``pip install -e .``) carries only the chat window and the
default extractive answerer; the HTTP API, server mode, LLM answerers, the local llama.cpp
answerer and the eval baseline are extras. This module does not import any of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from index.errors import MissingExtra

#: extra name → top-level modules it installs (kept in step with pyproject's
#: [project.optional-dependencies]; tests/qa/test_lean_install.py checks the names).
EXTRA_MODULES: dict[str, frozenset[str]] = {
    "service": frozenset(
        {"fastapi", "starlette", "uvicorn", "multipart", "python_multipart", "mcp"}
    ),
    "server": frozenset({"psycopg", "psycopg_pool"}),
    "llm": frozenset({"langchain", "langchain_core", "langchain_openai"}),
    "local": frozenset({"llama_cpp"}),
    "eval": frozenset(
        {
            "matplotlib",
            "langchain_core",
            "langchain_chroma",
            "langchain_huggingface",
            "langchain_text_splitters",
        }
    ),
}


@contextmanager
def needs_extra(extra: str, purpose: str, alternative: str = "") -> Iterator[None]:
    """Run the block's imports; a module of ``extra`` missing becomes ``MissingExtra``.

    Any other ``ImportError`` propagates unchanged: a missing module this extra does not
    bring is a bug (or another extra's business), not something to misreport.

    Args:
        extra: the pyproject extra, e.g. ``"service"``.
        purpose: what needs it, as the user named it (``"`newsdesk serve`"``).
        alternative: what else the user may do instead, appended to the message.
    """
    try:
        yield
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in EXTRA_MODULES[extra]:
            raise
        other = f", or {alternative}" if alternative else ""
        raise MissingExtra(
            f"{purpose} needs the '{extra}' extra, which this install lacks (no module "
            f"{missing!r}) — install it with `.venv/bin/pip install -e '.[{extra}]'` in the "
            f"checkout (or `pip install 'newsdesk[{extra}]'`){other}"
        ) from exc
