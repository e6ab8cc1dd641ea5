"""``GET /v1/stats`` (what the caller may see) and ``GET /healthz`` (ready to serve)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from service.auth import Reader

router = APIRouter(tags=["service"])


@router.get("/v1/stats", summary="Articles, chunks, outlets and dates the caller may see")
def stats(request: Request, who: Reader) -> dict:
    state = request.app.state
    data = state.assistant.index.stats(who.access(state.settings.clock))
    data.pop("store", None)  # a server path: not the caller's business
    return data


@router.get("/healthz", summary="200 once the models are loaded and the store is open")
def healthz(request: Request) -> dict:
    return {"status": "ok"}
