"""``create_app``: the FastAPI application behind ``newsdesk serve``.

It owns wiring only: one ``Assistant`` (opened at start-up, so ``/healthz``
answers 200 only once models and store are ready), the token store, the rate
limiter, the ingest job runner, the size limit and the JSON error handlers.
Routes live in ``service.routes_*``; auth in ``service.auth``; the MCP server
(``service.mcp_server``) is mounted at ``/mcp/``.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from index.settings import Settings
from service import errors
from service.jobs import JobRunner
from service.limits import BodySizeLimit, RateLimiter
from service.mcp_server import McpAuth, build_mcp
from service.routes_articles import router as articles_router
from service.routes_ask import router as ask_router
from service.routes_meta import router as meta_router
from service.tokens import TokenStore


def create_app(settings: Settings | None = None, assistant=None) -> FastAPI:
    """The API over ``assistant`` (default: ``Assistant.from_settings(settings)``)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from qa.assistant import Assistant

        state = app.state
        state.assistant = assistant or Assistant.from_settings(settings)
        state.assistant.index.embedder.encode(["warm up"])  # load the model before serving
        state.jobs = JobRunner(state.assistant.index)
        try:
            async with mcp.session_manager.run():
                yield
        finally:
            state.jobs.close()
            state.tokens.close()
            if assistant is None:
                state.assistant.index.close()

    app = FastAPI(
        title="newsdesk",
        version="1",
        summary="Questions about news articles, answered with citations to the exact sentence.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.tokens = TokenStore.of(settings.store_dir)
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute)
    app.state.answer_lock = threading.Lock()
    app.add_middleware(BodySizeLimit, max_bytes=int(settings.max_request_mb * 1024 * 1024))
    mcp = build_mcp(lambda: app.state.assistant, settings, _authenticated, app.state.answer_lock)
    # MCP's streamable HTTP at /mcp/, behind the API's own tokens and rate limit
    app.mount("/mcp", McpAuth(mcp.streamable_http_app(), app.state.tokens, app.state.limiter))
    errors.install(app)
    for router in (ask_router, articles_router, meta_router):
        app.include_router(router)
    return app


def _authenticated(principal):
    if principal is None:  # McpAuth sets it on every request it lets through
        raise RuntimeError("MCP request without a principal")
    return principal


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the API with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
