"""Which desks each signed-in chat-window user holds: a small TOML file.

``NEWSDESK_USER_DESKS`` names the file; its ``[users]`` table maps a user to
the desks they hold::

    [users]
    "ana@example.org" = ["investigations", "politics"]
    "auth0|64f1c2" = ["sports"]          # an OIDC subject (``sub``) works too

A user is looked up by ``sub`` (exactly) and by e-mail address (a key with an
"@", any case; skipped when the provider says ``email_verified = false``); found
under both, they hold the union. A user not listed holds no desk and so sees only desk-less articles.
The file is read on every page run, so an edit (a desk granted or taken away)
applies at the user's next click, with no restart. This module knows nothing of
Streamlit; ``ui.signin`` hands it the signed-in user's claims.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from index.access import normalise_desk
from index.errors import ConfigError

_FIX = "fix the file named by NEWSDESK_USER_DESKS (see .env.example for its shape)"


def _desks(path: Path, user: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise ConfigError(
            f'{path}: user "{user}" must map to a list of desk names, like ["politics"] — {_FIX}'
        )
    return frozenset(d for d in map(normalise_desk, value) if d)


def load_user_desks(path: Path | None) -> dict[str, frozenset[str]]:
    """The mapping (user → desks) in the file at ``path``; empty when ``path`` is None.

    Raises:
        ConfigError: the file is missing, not TOML, or not shaped as above (nobody is
            given desks from a file that cannot be read).
    """
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: the user-desk file does not exist — {_FIX}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the user-desk file ({exc}) — {_FIX}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: is not valid TOML ({exc}) — {_FIX}") from None
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise ConfigError(f"{path}: [users] must be a table of user = [desks] — {_FIX}")
    return {user.strip(): _desks(path, user, v) for user, v in users.items()}


def desks_of(claims: Mapping[str, Any], mapping: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The desks a user with these identity-token ``claims`` holds (none if unlisted)."""
    held = set(mapping.get(str(claims.get("sub") or ""), ()))  # a subject: exactly as issued
    email = str(claims.get("email") or "").strip().casefold()
    if email and claims.get("email_verified") is not False:
        for user, desks in mapping.items():
            if "@" in user and user.casefold() == email:  # an address: any case
                held |= desks
    return frozenset(held)
