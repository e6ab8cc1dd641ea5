"""Which desks each signed-in chat-window user holds, and what they may do: a small TOML file.

``NEWSDESK_USER_DESKS`` names the file; its ``[users]`` table maps a user to
the desks they hold::

    [users]
    "ana@example.org" = ["investigations", "politics"]
    "auth0|64f1c2" = ["sports"]          # an OIDC subject (``sub``) works too

A user is looked up by ``sub`` (exactly) and by e-mail address (a key with an
"@", any case; skipped when the provider says ``email_verified = false``); found
under both, they hold the union. A user not listed holds no desk and so sees only desk-less articles.
The file is read on every page run, so an edit (a desk granted or taken away)
applies at the user's next click, with no restart.

An optional ``[roles]`` table (same keys) says what a user may do, with the API
tokens' scopes (``service.tokens.SCOPES``), each including the ones before it::

    [roles]
    "ana@example.org" = "admin"
    "intern@example.org" = "read"        # ask, search and read only

``read`` asks, searches and opens articles; ``ingest`` also uploads and deletes
articles it can see (as an ingest token may ``DELETE /v1/articles/{id}``);
``admin`` is everything (in the chat window today the same as ``ingest``). A user
with no role entry, and every user of a file without ``[roles]`` (one written before
roles existed), gets ``DEFAULT_ROLE``, ``ingest``: exactly what every signed-in user
could do before, so no existing file silently takes rights away or grants new ones.
Found under both ``sub`` and e-mail, a user gets the higher role, as desks are unioned.

This module knows nothing of Streamlit; ``ui.signin`` hands it the signed-in user's
claims.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from index.access import normalise_desk
from index.errors import ConfigError

ROLES = ("read", "ingest", "admin")  # each includes the ones before it
DEFAULT_ROLE = "ingest"  # what every signed-in user could do before [roles] existed
T = TypeVar("T")
_FIX = "fix the file named by NEWSDESK_USER_DESKS (see .env.example for its shape)"


def _desks(path: Path, user: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise ConfigError(
            f'{path}: user "{user}" must map to a list of desk names, like ["politics"] — {_FIX}'
        )
    return frozenset(d for d in map(normalise_desk, value) if d)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: the user-desk file does not exist — {_FIX}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the user-desk file ({exc}) — {_FIX}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: is not valid TOML ({exc}) — {_FIX}") from None


def _role(path: Path, user: str, value: Any) -> str:
    role = value.strip().lower() if isinstance(value, str) else None
    if role not in ROLES:
        allowed = ", ".join(f'"{r}"' for r in ROLES)
        raise ConfigError(
            f'{path}: [roles] gives user "{user}" the role {value!r}; a role is one of '
            f"{allowed} — {_FIX}"
        )
    return role


def _table(
    path: Path, data: dict[str, Any], name: str, shape: str, entry: Callable[[Path, str, Any], T]
) -> dict[str, T]:
    """The file's ``[name]`` table, each user's value read by ``entry``; empty if absent."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table of {shape} — {_FIX}")
    return {user.strip(): entry(path, user, v) for user, v in table.items()}


def _users(path: Path, data: dict[str, Any]) -> dict[str, frozenset[str]]:
    return _table(path, data, "users", "user = [desks]", _desks)


def _roles(path: Path, data: dict[str, Any]) -> dict[str, str]:
    return _table(path, data, "roles", 'user = "role"', _role)


def load_user_desks(path: Path | None) -> dict[str, frozenset[str]]:
    """The mapping (user → desks) in the file at ``path``; empty when ``path`` is None.

    Raises:
        ConfigError: the file is missing, not TOML, or not shaped as above (nobody is
            given desks from a file that cannot be read).
    """
    return {} if path is None else _users(path, _read(path))


def load_user_roles(path: Path | None) -> dict[str, str]:
    """The mapping (user → role) in the file's ``[roles]`` table; empty when ``path`` is
    None or the file has no ``[roles]`` (everyone then gets ``DEFAULT_ROLE``).

    Raises:
        ConfigError: the file cannot be read (as ``load_user_desks``), ``[roles]`` is
            not a table, or a role is not one of ``ROLES`` (naming the file and user).
    """
    return {} if path is None else _roles(path, _read(path))


def load_user_file(path: Path | None) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """``load_user_desks`` and ``load_user_roles`` from one read of the file (a page run
    reads it once); raises as they do."""
    if path is None:
        return {}, {}
    data = _read(path)
    return _users(path, data), _roles(path, data)


def allows(role: str, needed: str) -> bool:
    """Whether ``role`` includes ``needed`` (both in ``ROLES``)."""
    return ROLES.index(role) >= ROLES.index(needed)


def _entries(claims: Mapping[str, Any], table: Mapping[str, Any]) -> list[Any]:
    """The entries of ``table`` for a user with these identity-token ``claims``: the one
    under their ``sub`` (exactly as issued) and those under their e-mail address (any
    case; skipped when the provider says it is not verified)."""
    found = [table[sub]] if (sub := str(claims.get("sub") or "")) in table else []
    email = str(claims.get("email") or "").strip().casefold()
    if email and claims.get("email_verified") is not False:
        found += [v for user, v in table.items() if "@" in user and user.casefold() == email]
    return found


def desks_of(claims: Mapping[str, Any], mapping: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The desks a user with these identity-token ``claims`` holds (none if unlisted)."""
    return frozenset().union(*_entries(claims, mapping))


def role_of(claims: Mapping[str, Any], roles: Mapping[str, str]) -> str:
    """The role of a user with these ``claims``: the higher of the entries for their
    ``sub`` and e-mail (matched as in ``desks_of``), else ``DEFAULT_ROLE``."""
    return max(_entries(claims, roles), key=ROLES.index, default=DEFAULT_ROLE)
