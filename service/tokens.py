"""API tokens: created once, stored only as a scrypt hash, checked in constant time.

A token reads ``nd_<id>_<secret>``: the id finds the row, the secret is checked
against its scrypt hash (``hashlib.scrypt``, a memory-hard KDF, salt per token)
with ``hmac.compare_digest``. Revoking marks the row, so the next request with it
is refused at once. Tokens live in ``tokens.sqlite3`` in the store folder, beside
the catalog. This module knows nothing about HTTP: ``service.auth`` uses it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from index.errors import ConfigError, NewsdeskError

SCOPES = ("read", "ingest", "admin")  # each includes the ones before it
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}  # ~16 MB, ~50 ms per check
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, scope TEXT NOT NULL,
    desks TEXT NOT NULL,           -- JSON list
    salt BLOB NOT NULL, hash BLOB NOT NULL,
    created TEXT NOT NULL, revoked TEXT
);
"""


class TokenNotFound(NewsdeskError):
    """``token revoke`` named a token that does not exist."""

    exit_code = 2


@dataclass(frozen=True)
class TokenInfo:
    """What is known about a token without its secret."""

    id: str
    name: str
    scope: str
    desks: tuple[str, ...]
    created: str
    revoked: str | None = None

    def allows(self, scope: str) -> bool:
        """Whether this token's scope includes ``scope`` (admin ⊇ ingest ⊇ read)."""
        return SCOPES.index(self.scope) >= SCOPES.index(scope)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["desks"] = list(self.desks)
        return data


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **_SCRYPT)


class TokenStore:
    """The token table of one store folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    @classmethod
    def of(cls, store_dir: Path) -> TokenStore:
        return cls(store_dir / "tokens.sqlite3")

    def close(self) -> None:
        self._db.close()

    def create(self, name: str, scope: str, desks: tuple[str, ...] = ()) -> tuple[str, TokenInfo]:
        """A new token: (the secret token string, shown only now; its stored info)."""
        if scope not in SCOPES:
            raise ConfigError(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
        if not name.strip():
            raise ConfigError("a token needs a --name saying who or what uses it")
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        salt = secrets.token_bytes(16)
        info = TokenInfo(
            token_id,
            name.strip(),
            scope,
            tuple(sorted({d.strip().lower() for d in desks if d.strip()})),
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        with self._lock:
            self._db.execute(
                "INSERT INTO tokens VALUES (?,?,?,?,?,?,?,NULL)",
                (
                    info.id,
                    info.name,
                    scope,
                    json.dumps(info.desks),
                    salt,
                    _hash(secret, salt),
                    info.created,
                ),
            )
        return f"nd_{token_id}_{secret}", info

    def list(self) -> list[TokenInfo]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM tokens ORDER BY created, id").fetchall()
        return [self._info(r) for r in rows]

    def any(self) -> bool:
        """Whether a token was ever created (revoked ones count: revoking the last token
        must not reopen the keyless local mode)."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM tokens LIMIT 1").fetchone() is not None

    def revoke(self, ref: str) -> TokenInfo:
        """Revoke the token with this id or name (a name must be unique)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM tokens WHERE (id = ?1 OR name = ?1) AND revoked IS NULL", (ref,)
            ).fetchall()
            if len(rows) != 1:
                raise TokenNotFound(
                    f"{len(rows) or 'no'} active tokens have the id or name {ref!r} — "
                    "see `newsdesk token list` and revoke by id"
                )
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            self._db.execute("UPDATE tokens SET revoked = ? WHERE id = ?", (now, rows[0]["id"]))
        return replace(self._info(rows[0]), revoked=now)

    def verify(self, token: str) -> TokenInfo | None:
        """The active token's info, or None for an unknown, malformed or revoked token."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "nd":
            return None
        with self._lock:
            row = self._db.execute("SELECT * FROM tokens WHERE id = ?", (parts[1],)).fetchone()
        if row is None or row["revoked"] is not None:
            return None
        if not hmac.compare_digest(_hash(parts[2], bytes(row["salt"])), bytes(row["hash"])):
            return None
        return self._info(row)

    @staticmethod
    def _info(row: sqlite3.Row) -> TokenInfo:
        return TokenInfo(
            row["id"],
            row["name"],
            row["scope"],
            tuple(json.loads(row["desks"])),
            row["created"],
            row["revoked"],
        )
