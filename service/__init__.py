"""newsdesk as a service: the HTTP API (FastAPI) and its API tokens.

Depends on ``qa`` and ``index``; nothing there imports this package (the CLI
imports it inside its ``serve`` and ``token`` commands only).
"""

from service.app import create_app, serve
from service.tokens import TokenStore

__all__ = ["TokenStore", "create_app", "serve"]
