"""Request-size and per-token rate limits, answered 413 / 429 before any work is done.

The size limit is an ASGI middleware: a declared ``Content-Length`` over the limit
is refused at once, and a body streamed without one is counted as it arrives. The
rate limit is a token bucket per API token (``rate_limit_per_minute`` requests,
refilled continuously), checked by ``service.auth`` once the caller is known.
The question-length limit is the ``Assistant``'s own (``LimitExceeded`` → 422).
"""

from __future__ import annotations

import math
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import ApiError, error_response


def _too_large(limit: int) -> str:
    return (
        f"the request body is over the limit of {limit / 1024 / 1024:.1f} MB "
        "(NEWSDESK_MAX_REQUEST_MB) — send fewer or smaller files per request"
    )


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await error_response(413, "body_too_large", _too_large(self.max_bytes))(
                scope, receive, send
            )
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise ApiError(413, "body_too_large", _too_large(self.max_bytes))
            return message

        await self.app(scope, counted, send)


class RateLimiter:
    """A token bucket per key: ``per_minute`` requests in a burst, refilled evenly."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill_per_s = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last time)
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Spend one request of ``key``'s bucket, or raise 429 saying when to retry."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_s)
            if tokens < 1:
                wait = math.ceil((1 - tokens) / self.refill_per_s)
                self._buckets[key] = (tokens, now)
                raise ApiError(
                    429,
                    "rate_limited",
                    f"over the limit of {self.capacity:.0f} requests a minute for this token "
                    f"(NEWSDESK_RATE_LIMIT_PER_MINUTE) — retry in {wait} s",
                    {"Retry-After": str(wait)},
                )
            self._buckets[key] = (tokens - 1, now)
