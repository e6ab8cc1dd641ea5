"""Who is calling: ``Authorization: Bearer <token>`` → a ``Principal`` with scope and desks.

No token header → 401; an unknown or revoked token → 401 (checked on every
request, so revoking takes effect at once); a scope too low → 403.

The keyless local default: until the first token is created (``newsdesk token
create``), requests from the loopback address are served as the local user —
every desk, admin scope — exactly like the CLI on the same machine; requests from
anywhere else get 401. Once any token exists (even a revoked one) every request
needs a token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from index.access import Access
from service.errors import ApiError
from service.tokens import SCOPES

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass(frozen=True)
class Principal:
    """The caller: a token's name (or "local"), its scope and the desks it holds."""

    key: str  # rate-limit bucket
    name: str
    scope: str
    desks: frozenset[str] | None  # None = every desk (the keyless local user)

    def access(self, clock=None) -> Access:
        return Access(self.desks, clock)


def _identify(request: Request) -> Principal:
    tokens = request.app.state.tokens
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        client = request.client.host if request.client else ""
        if not tokens.any() and client in LOOPBACK:
            return Principal(f"local:{client}", "local", "admin", None)
        raise ApiError(
            401,
            "unauthorized",
            "no token: send `Authorization: Bearer <token>` — create one with "
            "`newsdesk token create --name NAME --scope read`",
            {"WWW-Authenticate": "Bearer"},
        )
    info = tokens.verify(token.strip()) if scheme.lower() == "bearer" else None
    if info is None:
        raise ApiError(
            401,
            "unauthorized",
            "the token is unknown or revoked — ask for a new one (`newsdesk token create`)",
            {"WWW-Authenticate": "Bearer"},
        )
    return Principal(f"token:{info.id}", info.name, info.scope, frozenset(info.desks))


def require(scope: str) -> Callable[[Request], Principal]:
    """A FastAPI dependency admitting callers whose scope includes ``scope``."""

    def dependency(request: Request) -> Principal:
        principal = _identify(request)
        request.app.state.limiter.check(principal.key)
        if SCOPES.index(principal.scope) < SCOPES.index(scope):
            raise ApiError(
                403,
                "forbidden",
                f"this token has scope {principal.scope!r}; this request needs {scope!r} — "
                f"create a token with --scope {scope}",
            )
        return principal

    return dependency


#: Route parameter types: the caller, admitted with at least that scope.
Reader = Annotated[Principal, Depends(require("read"))]
Ingester = Annotated[Principal, Depends(require("ingest"))]
