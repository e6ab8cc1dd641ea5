"""Who is calling: ``Authorization: Bearer <token>`` → a ``Principal`` with scope and desks.

No token header → 401; an unknown or revoked token → 401 (checked on every
request, so revoking takes effect at once); a scope too low → 403.

The keyless local default: until the first token is created (``newsdesk token
create``), requests from the loopback address are served as the local user —
every desk, admin scope — exactly like the CLI on the same machine; requests from
anywhere else, or naming another host (a DNS-rebinding web page), get 401. Once any token exists (even a revoked one) every request
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


def _local_host(host_header: str) -> bool:
    """Whether the Host header names this machine (a DNS-rebinding page names its own)."""
    host = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    return host.strip("[]") in LOOPBACK


def identify(tokens, authorization: str, client_host: str, host_header: str) -> Principal:
    """The caller of one request (``tokens``: a ``TokenStore``), or ``ApiError`` 401."""
    scheme, _, token = authorization.partition(" ")
    if not authorization:
        if not tokens.any() and client_host in LOOPBACK and _local_host(host_header):
            return Principal(f"local:{client_host}", "local", "admin", None)
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


def check_scope(principal: Principal, scope: str) -> None:
    """``ApiError`` 403 unless ``principal``'s scope includes ``scope``."""
    if SCOPES.index(principal.scope) < SCOPES.index(scope):
        raise ApiError(
            403,
            "forbidden",
            f"this token has scope {principal.scope!r}; this request needs {scope!r} — "
            f"create a token with --scope {scope}",
        )


def require(scope: str) -> Callable[[Request], Principal]:
    """A FastAPI dependency admitting callers whose scope includes ``scope``."""

    def dependency(request: Request) -> Principal:
        principal = identify(
            request.app.state.tokens,
            request.headers.get("authorization", ""),
            request.client.host if request.client else "",
            request.headers.get("host", ""),
        )
        request.app.state.limiter.check(principal.key)
        check_scope(principal, scope)
        return principal

    return dependency


#: Route parameter types: the caller, admitted with at least that scope.
Reader = Annotated[Principal, Depends(require("read"))]
Ingester = Annotated[Principal, Depends(require("ingest"))]
