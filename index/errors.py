"""The one error family newsdesk raises for problems a user can act on.

Every message says what happened, where (file, line, field, address) and what
to do next. The CLI and the UI turn these into a clean message and a non-zero
exit / an ``st.error``; anything else that escapes is a bug and keeps its
traceback.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class: a failure the user can fix, with an actionable message."""

    #: CLI exit code for this kind of failure (documented in the README).
    exit_code = 1


class ConfigError(NewsdeskError):
    """A setting has a value newsdesk cannot use."""

    exit_code = 2


class ArticleError(NewsdeskError):
    """One input file or record cannot be read as an article."""

    exit_code = 3

    def __init__(self, path: str, problem: str, hint: str = "") -> None:
        self.path = path
        self.problem = problem
        self.hint = hint
        message = f"{path}: {problem}"
        if hint:
            message += f" — {hint}"
        super().__init__(message)


class ModelMismatch(NewsdeskError):
    """The index was built with another embedding model than the one configured."""

    exit_code = 4


class ModelNotFound(NewsdeskError):
    """The configured embedding (or generative) model cannot be loaded offline."""

    exit_code = 4


class StoreUnavailable(NewsdeskError):
    """Chroma (embedded folder or server) cannot be reached or opened."""

    exit_code = 5


class UnknownOutlet(NewsdeskError):
    """A source filter names an outlet no indexed article comes from.

    Filtering by it could only refuse every question, so it is an error that offers the
    closest outlets the index holds (``close``) instead.
    """

    exit_code = 2

    def __init__(self, outlet: str, close: tuple[str, ...], known: int) -> None:
        self.outlet = outlet
        self.close = close
        if close:
            offer = "closest outlets in the index: " + ", ".join(close)
        elif known:
            offer = "no indexed outlet has a similar name"
        else:
            offer = "no indexed article names its outlet"
        message = (
            f"no indexed article comes from the outlet {outlet!r} ({offer}) — pick an outlet "
            "the index holds (`newsdesk stats` lists them) or drop the source filter"
        )
        super().__init__(message)


class IndexBusy(NewsdeskError):
    """Another ingest holds the store's write lock."""

    exit_code = 6


class LimitExceeded(NewsdeskError):
    """An input is larger than a documented limit (question length, k, file size…)."""

    exit_code = 7


class EmptyIndex(NewsdeskError):
    """A question was asked before any article was ingested."""

    exit_code = 8


class LLMUnavailable(NewsdeskError):
    """The configured LLM cannot be reached or answered with an error."""

    exit_code = 9


class DatasetError(NewsdeskError):
    """An evaluation dataset file is malformed (names the file and line)."""

    exit_code = 10


class MigrationError(NewsdeskError):
    """A migrated archive does not match its source."""

    exit_code = 1


class MissingExtra(NewsdeskError):
    """A command or backend needs an optional dependency group (a pyproject extra) that this
    install left out: the lean `make chat` install has no server, service or LLM stacks."""

    exit_code = 2
