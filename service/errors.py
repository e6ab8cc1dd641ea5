"""Every failure the API reports is JSON: ``{"error": {"code": "...", "message": "..."}}``.

Codes are stable strings a client can branch on; messages are the same one-line
``NewsdeskError`` texts the CLI prints. Bad requests (validation, size, rate) get
4xx codes; anything unexpected is logged and answered with a generic 500 that
leaks no traceback or setting.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from index import errors as e

log = logging.getLogger("newsdesk.service")

#: NewsdeskError subclass → (HTTP status, stable code); the first match wins.
STATUS: list[tuple[type[e.NewsdeskError], int, str]] = [
    (e.LimitExceeded, 422, "limit_exceeded"),
    (e.ArticleError, 422, "bad_article"),
    (e.DeskNotHeld, 403, "forbidden"),
    (e.DatasetError, 422, "bad_dataset"),
    (e.EmptyIndex, 409, "empty_index"),
    (e.IndexBusy, 409, "index_busy"),
    (e.ModelMismatch, 503, "model_problem"),
    (e.ModelNotFound, 503, "model_problem"),
    (e.StoreUnavailable, 503, "store_unavailable"),
    (e.LLMUnavailable, 502, "llm_unavailable"),
    (e.ConfigError, 500, "bad_setting"),
    (e.NewsdeskError, 500, "newsdesk_error"),
]

_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


class ApiError(Exception):
    """An API-level refusal (auth, not found, size, rate) with its status and code."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def status_of(exc: e.NewsdeskError) -> tuple[int, str]:
    return next((status, code) for kind, status, code in STATUS if isinstance(exc, kind))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the JSON error shape."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(e.NewsdeskError)
    async def _newsdesk(request: Request, exc: e.NewsdeskError) -> JSONResponse:
        status, code = status_of(exc)
        return error_response(status, code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
        message = f"{where}: {first.get('msg', 'invalid')} — see /docs for the request shape"
        return error_response(422, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            500, "internal", "newsdesk hit an unexpected error — the server log has the details"
        )
