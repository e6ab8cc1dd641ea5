"""``POST /v1/ask`` (JSON or a server-sent event stream) and ``GET /v1/search``.

Both go through the ``Assistant`` with the caller's ``Access`` inside the
``SearchFilter``, so desks and embargoes are applied by the searchers themselves.
Answering is serialised (one question at a time per server): the answerers share
models that are not documented as thread-safe, and the CPU is the bottleneck anyway.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from index.errors import NewsdeskError
from qa.models import Answer
from service.auth import Reader
from service.errors import status_of
from service.schemas import AskRequest, Filters

router = APIRouter(prefix="/v1", tags=["questions"])


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post(
    "/ask", summary="Answer a question with citations, or refuse honestly", response_model=None
)
def ask(body: AskRequest, request: Request, who: Reader) -> JSONResponse | StreamingResponse:
    """The ``Answer.to_dict()`` shape. With ``Accept: text/event-stream``: ``draft``
    events (``{"text": piece}``) as the answerer writes, then one ``answer`` event with
    the final answer, which replaces the draft (citations checked, markers renumbered)."""
    state = request.app.state
    history = [(t.question, t.answer) for t in body.history]
    flt = body.filters.to_filter(who.access(state.settings.clock))
    if "text/event-stream" not in request.headers.get("accept", ""):
        with state.answer_lock:
            answer = state.assistant.ask(body.question, history, flt, body.k, body.as_of)
        return JSONResponse(answer.to_dict())
    state.answer_lock.acquire()
    try:
        pieces = state.assistant.stream(body.question, history, flt, body.k, body.as_of)
        first = next(pieces)  # limits and an empty index fail here, as a JSON error
    except BaseException:
        state.answer_lock.release()
        raise
    return StreamingResponse(
        _events(first, pieces, state.answer_lock), media_type="text/event-stream"
    )


def _events(first, pieces: Iterator, lock) -> Iterator[str]:
    try:
        for piece in _chain(first, pieces):
            if isinstance(piece, Answer):
                yield _sse("answer", piece.to_dict())
            else:
                yield _sse("draft", {"text": piece})
    except NewsdeskError as exc:
        yield _sse("error", {"error": {"code": status_of(exc)[1], "message": str(exc)}})
    finally:
        lock.release()


def _chain(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


@router.get("/search", summary="The passages a question would read")
def search(
    request: Request,
    who: Reader,
    q: Annotated[str, Query(description="The question or keywords")],
    k: Annotated[int | None, Query(description="How many passages (1..NEWSDESK_MAX_K)")] = None,
    source: Annotated[list[str] | None, Query(description="Only these outlets")] = None,
    since: Annotated[dt.date | None, Query(description="YYYY-MM-DD, inclusive")] = None,
    until: Annotated[dt.date | None, Query(description="YYYY-MM-DD, inclusive")] = None,
) -> dict:
    state = request.app.state
    filters = Filters(sources=source or [], since=since, until=until)
    with state.answer_lock:
        passages = state.assistant.retrieve(
            q, filters.to_filter(who.access(state.settings.clock)), k
        )
    return {"query": q, "passages": [p.to_dict() for p in passages]}
