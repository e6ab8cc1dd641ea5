"""``newsdesk serve``, ``newsdesk mcp`` and ``newsdesk token create | list | revoke``.

The ``service`` package (FastAPI, uvicorn) is imported inside the commands only:
``qa`` never depends on it, ``newsdesk --help`` stays fast, and the lean install (no
``service`` extra) gets one line naming the extra instead of a traceback.
"""

from __future__ import annotations

import json

import click

from index.extras import needs_extra
from qa.cli import AppContext, cli, pass_app


@cli.command()
@click.option("--host", default=None, help="Address to listen on [default: NEWSDESK_SERVE_HOST].")
@click.option("--port", type=int, default=None, help="Port [default: NEWSDESK_SERVE_PORT].")
@pass_app
def serve(app: AppContext, host: str | None, port: int | None) -> None:
    """Serve the HTTP API (docs at /docs, health at /healthz) until Ctrl-C.

    Callers send `Authorization: Bearer <token>` (see `newsdesk token create`).
    Until the first token is created, only this machine (loopback) is served,
    as the local user with every desk.
    """
    with needs_extra("service", "`newsdesk serve`"):
        from service import serve as run

    settings = app.settings
    run(settings, host or settings.serve_host, port or settings.serve_port)


@cli.command()
@pass_app
def mcp(app: AppContext) -> None:
    """Serve the archive to an AI assistant over MCP (stdio).

    Tools search_news, ask_news (answers with cited quotes) and get_article.
    Serves the local user (every desk), or with NEWSDESK_TOKEN set only that
    token's desks. `newsdesk serve` also offers MCP at /mcp/ (streamable HTTP).
    """
    import threading

    from qa.assistant import Assistant

    with needs_extra("service", "`newsdesk mcp`"):
        from service.mcp_server import build_mcp, stdio_principal
        from service.tokens import TokenStore

    settings = app.settings
    principal = stdio_principal(settings, TokenStore.of(settings.store_dir))
    assistant = Assistant.from_settings(settings)
    server = build_mcp(lambda: assistant, settings, lambda _: principal, threading.Lock())
    server.run("stdio")


def _token_store() -> type:
    """``service.tokens.TokenStore``; tokens exist only for the service, so they need its extra."""
    with needs_extra("service", "`newsdesk token`"):
        from service.tokens import TokenStore
    return TokenStore


@cli.group()
def token() -> None:
    """Create, list and revoke API tokens (stored hashed in the store folder)."""


@token.command("create")
@click.option("--name", required=True, help="Who or what uses the token.")
@click.option(
    "--scope", type=click.Choice(["read", "ingest", "admin"]), default="read", show_default=True
)
@click.option(
    "--desk", "desks", multiple=True, help="A desk whose articles it may see (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print {token, id, name, scope, desks}.")
@pass_app
def create(app: AppContext, name: str, scope: str, desks: tuple[str, ...], as_json: bool) -> None:
    """Create a token and print it once (only its hash is stored)."""
    store = _token_store().of(app.settings.store_dir)
    secret, info = store.create(name, scope, desks)
    store.close()
    if as_json:
        click.echo(json.dumps({"token": secret, **info.to_dict()}, indent=2))
    else:
        click.echo(secret)
        click.echo(
            f"token {info.id} ({info.name}, {info.scope}, desks: "
            f"{', '.join(info.desks) or 'none'}) — copy it now, it is not shown again",
            err=True,
        )


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the tokens as JSON.")
@pass_app
def list_tokens(app: AppContext, as_json: bool) -> None:
    """List tokens (never their secrets)."""
    store = _token_store().of(app.settings.store_dir)
    tokens = store.list()
    store.close()
    if as_json:
        click.echo(json.dumps([t.to_dict() for t in tokens], indent=2))
        return
    for t in tokens:
        state = f"revoked {t.revoked}" if t.revoked else "active"
        click.echo(f"{t.id}  {t.name}  {t.scope}  desks: {', '.join(t.desks) or '-'}  {state}")


@token.command("revoke")
@click.argument("ref")
@pass_app
def revoke(app: AppContext, ref: str) -> None:
    """Revoke the token with id or name REF; requests with it fail at once."""
    store = _token_store().of(app.settings.store_dir)
    try:
        info = store.revoke(ref)
    finally:
        store.close()
    click.echo(f"revoked {info.id} ({info.name})")
