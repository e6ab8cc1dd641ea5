"""The MCP server with the SDK's own client, over both transports: stdio
(``newsdesk mcp``) and streamable HTTP (``/mcp/`` of ``newsdesk serve``)."""

from __future__ import annotations

import json

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client

from tests.service.conftest import NEWSDESK, SECRET_BODY, Server

QUESTION = "Who is guarding the base near the Qamishli airport now?"
TOOLS = {"search_news", "ask_news", "get_article"}


async def _use(session: ClientSession) -> tuple[set[str], dict, dict]:
    await session.initialize()
    tools = {t.name for t in (await session.list_tools()).tools}
    asked = (await session.call_tool("ask_news", {"question": QUESTION})).structuredContent
    article_id = asked["citations"][0]["article_id"]
    resource = await session.read_resource(f"article://{article_id}")
    fetched = await session.call_tool("get_article", {"article_id": article_id})
    assert "SDF" in resource.contents[0].text and "SDF" in fetched.structuredContent["text"]
    secret = await session.call_tool("search_news", {"query": SECRET_BODY, "k": 10})
    return tools, asked, secret.structuredContent


def _over_http(server: Server, token: str | None):
    async def run():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        url = f"{server.url}/mcp/"
        async with (
            create_mcp_http_client(headers=headers) as http,
            streamable_http_client(url, http_client=http) as (r, w, _),
            ClientSession(r, w) as session,
        ):
            return await _use(session)

    return anyio.run(run)


def _over_stdio(server: Server, token: str | None):
    env = dict(server.env)
    if token:
        env["NEWSDESK_TOKEN"] = token

    async def run():
        params = StdioServerParameters(command=NEWSDESK[0], args=["mcp"], env=env)
        async with stdio_client(params) as (r, w), ClientSession(r, w) as session:
            return await _use(session)

    return anyio.run(run)


@pytest.mark.parametrize("transport", [_over_http, _over_stdio], ids=["http", "stdio"])
def test_tools_and_a_cited_answer_that_respects_desks(server: Server, transport) -> None:
    outsider = server.tokens.get("mcp-outsider") or server.new_token(
        "mcp-outsider", "read", "sports"
    )
    tools, asked, secret = transport(server, outsider)
    assert TOOLS <= tools
    assert not asked["refused"] and "SDF" in asked["answer"]
    cite = asked["citations"][0]
    assert {"quote", "title", "outlet", "date", "url", "start", "end"} <= set(cite)
    assert cite["quote"] and cite["end"] > cite["start"]
    assert "Osterhagen" not in json.dumps(secret)
    insider = server.tokens.get("mcp-insider") or server.new_token(
        "mcp-insider", "read", "investigations"
    )
    _, _, seen = transport(server, insider)
    assert "Osterhagen" in json.dumps(seen)


def test_http_mcp_needs_a_token(server: Server) -> None:
    with server.client() as client:
        response = client.post("/mcp/", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
