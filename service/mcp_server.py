"""newsdesk over the Model Context Protocol (official ``mcp`` SDK): tools and article resources.

Tools: ``search_news`` (passages), ``ask_news`` (an answer with its citations:
quote, title, outlet, date, url, offsets), ``get_article``; resources
``article://{article_id}``. The same server runs over stdio (``newsdesk mcp``:
the local user, or the desks of ``NEWSDESK_TOKEN`` when set) and as streamable
HTTP mounted at ``/mcp/`` by ``newsdesk serve``, where ``McpAuth`` admits callers
with the API's own Bearer tokens, rate limit and scopes. Every tool searches
through the caller's ``Access``, so desks and embargoes hold here as in the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import anyio
from mcp.server.fastmcp import Context, FastMCP
from starlette.types import ASGIApp, Receive, Scope, Send

from index.errors import ConfigError
from index.settings import Settings
from qa.models import Answer
from service.auth import Principal, check_scope, identify
from service.errors import ApiError, error_response
from service.schemas import Filters

#: principal of a request (None over stdio) → the caller's ``Principal``
WhoIs = Callable[[Principal | None], Principal]


def _citations(answer: Answer) -> list[dict[str, Any]]:
    return [
        {
            "n": c.n,
            "quote": c.quote,
            "title": c.title,
            "outlet": c.source,
            "date": c.date,
            "url": c.url,
            "article_id": c.article_id,
            "start": c.start,
            "end": c.end,
        }
        for c in answer.citations
    ]


def build_mcp(get_assistant: Callable[[], Any], settings: Settings, who: WhoIs, lock) -> FastMCP:
    """The MCP server over ``get_assistant()`` (opened later, by the app's start-up);
    ``who`` names the caller of each tool call."""
    mcp = FastMCP(
        "newsdesk",
        instructions="Search and ask a news archive; every answer cites exact sentences.",
        stateless_http=True,
        json_response=True,
        streamable_http_path="/",
    )

    def access(ctx: Context):
        request = ctx.request_context.request
        principal = getattr(request.state, "principal", None) if request is not None else None
        return who(principal).access(settings.clock)

    def locked(fn, *args):
        def run():
            with lock:
                return fn(*args)

        return anyio.to_thread.run_sync(run)

    @mcp.tool()
    async def search_news(
        query: str, k: int = 5, sources: list[str] | None = None, ctx: Context = None
    ) -> dict[str, Any]:
        """Passages of news articles that match a query, best first."""
        flt = Filters(sources=sources or []).to_filter(access(ctx))
        passages = await locked(get_assistant().retrieve, query, flt, k)
        return {"passages": [p.to_dict() for p in passages]}

    @mcp.tool()
    async def ask_news(
        question: str, k: int | None = None, as_of: str | None = None, ctx: Context = None
    ) -> dict[str, Any]:
        """Answer a question from the news archive; each claim cites [n] an exact quote,
        or the answer honestly says the articles don't say. ``as_of`` (YYYY-MM-DD): ask
        about that day ("latest" means then; nothing later is read)."""
        flt = Filters().to_filter(access(ctx))
        day = dt.date.fromisoformat(as_of) if as_of else None
        answer = await locked(get_assistant().ask, question, None, flt, k, day)
        return {
            "answer": answer.text,
            "refused": answer.refused,
            "confidence": answer.confidence,
            "citations": _citations(answer),
            "timeline": [e.to_dict() for e in answer.timeline],
        }

    @mcp.tool()
    async def get_article(article_id: str, ctx: Context = None) -> dict[str, Any]:
        """The full text and metadata of an article (ids come with citations)."""
        article = get_assistant().index.get_article(article_id, access(ctx))
        if article is None:
            raise ValueError(f"no article {article_id!r} — ids come with citations and passages")
        data = article.to_dict()
        data.pop("path", None)
        return data

    @mcp.resource("article://{article_id}", mime_type="text/plain")
    def article_resource(article_id: str, ctx: Context = None) -> str:
        """An article's title and text, if the caller may see it."""
        article = get_assistant().index.get_article(article_id, access(ctx))
        if article is None:
            raise ValueError(f"no article {article_id!r}")
        return f"{article.title}\n\n{article.text}"

    return mcp


class McpAuth:
    """ASGI wrapper admitting MCP-over-HTTP callers with the API's tokens (scope read)."""

    def __init__(self, app: ASGIApp, tokens, limiter) -> None:
        self.app, self.tokens, self.limiter = app, tokens, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client") or ("", 0)
        try:
            principal = await anyio.to_thread.run_sync(
                identify,
                self.tokens,
                headers.get("authorization", ""),
                client[0],
                headers.get("host", ""),
            )
            self.limiter.check(principal.key)
            check_scope(principal, "read")
        except ApiError as exc:
            await error_response(exc.status, exc.code, exc.message, exc.headers)(
                scope, receive, send
            )
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


def stdio_principal(settings: Settings, tokens) -> Principal:
    """Who ``newsdesk mcp`` serves: the local user, or ``NEWSDESK_TOKEN``'s holder."""
    if not settings.token:
        return Principal("local:stdio", "local", "admin", None)
    info = tokens.verify(settings.token)
    if info is None:
        raise ConfigError(
            "NEWSDESK_TOKEN is unknown or revoked — create one with `newsdesk token create`, "
            "or unset it to serve the local archive as yourself"
        )
    return Principal(f"token:{info.id}", info.name, info.scope, frozenset(info.desks))
