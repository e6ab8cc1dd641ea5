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


class DeskNotHeld(NewsdeskError):
    """An upload would put an article on a desk its sender does not hold, or leave it
    desk-less (visible to everyone) although the sender is bound to desks."""

    exit_code = 1

    def __init__(self, where: str, title: str | None, desk: str | None, holds: frozenset[str]):
        self.where, self.title, self.desk, self.holds = where, title, desk, holds
        held = ", ".join(sorted(holds))
        named = f"article {title!r}" if title else "an article"
        if desk is None:
            problem = f"{named} names no desk, so everyone could read it"
            hint = f'give it one of the uploader\'s desks ({held}) in its "desk" field'
        else:
            reach = f"holds only {held}" if held else "holds no desk"
            problem = f"{named} is for desk {desk!r}, but the uploader {reach}"
            move = f"put it on one of {held}" if held else "drop its desk"
            hint = f"{move}, or ask an admin for desk {desk!r}"
        super().__init__(f"{where}: {problem} — {hint}; nothing was added")


class RoleTooLow(NewsdeskError):
    """A signed-in chat-window user tried what their role (``[roles]`` in the
    ``NEWSDESK_USER_DESKS`` file) does not allow, e.g. a "read" user uploading."""

    exit_code = 1

    def __init__(self, action: str, role: str, needed: str):
        self.action, self.role, self.needed = action, role, needed
        super().__init__(
            f"your role is {role!r}, and {action} needs {needed!r} or higher — nothing was "
            "changed; ask whoever keeps the NEWSDESK_USER_DESKS file to set your role in [roles]"
        )


class MissingExtra(NewsdeskError):
    """A command or backend needs an optional dependency group (a pyproject extra) that this
    install left out: the lean `make chat` install has no server, service or LLM stacks."""

    exit_code = 2
