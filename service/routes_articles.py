"""Articles and ingest jobs: upload (files or JSON), fetch, delete, job progress.

An upload is written to a private temporary folder under the store (file names
reduced to a safe base name) and ingested by ``service.jobs``; desk and embargo
come from the form/JSON fields or the articles themselves. Fetching and deleting
an article the caller may not see answers 404, exactly like an unknown id.

Before a job is queued, every article of the upload is read and its landing desk
checked against the caller's (``index.desk_check``): one article on a desk the token
does not hold, or desk-less from a token bound to desks, refuses the whole upload
with 403 and nothing is ingested.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from index.access import normalise_desk, parse_embargo
from index.desk_check import check_desks
from index.errors import DeskNotHeld
from service.auth import Ingester, Principal, Reader
from service.errors import ApiError
from service.schemas import ArticlesRequest

router = APIRouter(prefix="/v1", tags=["articles"])
_UNSAFE = re.compile(r"[^\w.\- ]+")
_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl"}
_BODY_FILE = "articles.jsonl"  # where a JSON body's articles are written, one a line
_BODY_LINE = re.compile(re.escape(_BODY_FILE) + r"#L(\d+)")


def _safe_name(name: str, n: int) -> str:
    base = _UNSAFE.sub("_", Path(name or "").name).strip(" .") or f"upload-{n}.txt"
    return base if Path(base).suffix.lower() in _SUFFIXES else base + ".txt"


def _check_desk(
    who: Principal, desk: str | None, embargo: str | None
) -> tuple[str | None, str | None]:
    desk = normalise_desk(desk)
    if embargo:
        parse_embargo(embargo)  # a bad embargo is refused before anything is stored
    if desk and who.desks is not None and desk not in who.desks:
        raise ApiError(403, "forbidden", f"this token may not add articles to desk {desk!r}")
    if not desk and who.desks:
        # subtle: a desk-bound token's uploads stay on its desk unless it names one
        desk = min(who.desks) if len(who.desks) == 1 else None
    return desk, embargo


def _check_landing_desks(who: Principal, folder: Path, desk: str | None, max_mb: float) -> None:
    """``ApiError`` 403 naming the first uploaded article that would land off ``who``'s desks."""
    try:
        check_desks([folder], who.desks, desk, int(max_mb * 1024 * 1024))
    except DeskNotHeld as exc:
        message = str(exc).replace(str(folder) + "/", "")
        # a JSON body's n-th line is the client's articles[n-1]
        message = _BODY_LINE.sub(lambda m: f"articles[{int(m.group(1)) - 1}]", message)
        raise ApiError(403, "forbidden", message) from None


@router.post("/articles", status_code=202, summary="Upload articles (multipart files or JSON)")
async def add_articles(request: Request, who: Ingester) -> JSONResponse:
    """Multipart ``files`` (.txt .md .html .json .jsonl) with optional ``desk`` and
    ``embargo_until`` fields, or JSON ``{"articles": [...], "desk", "embargo_until"}``.
    Returns ``{"job": id}``; follow it at ``GET /v1/jobs/{id}``."""
    state = request.app.state
    uploads = Path(state.settings.store_dir) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    kind = request.headers.get("content-type", "")
    folder = Path(tempfile.mkdtemp(dir=uploads))
    try:
        if kind.startswith("multipart/form-data"):
            form = await request.form()
            files = [f for f in form.getlist("files") if hasattr(f, "read")]
            if not files:
                raise ApiError(
                    422, "invalid_request", "files: add at least one file field named files"
                )
            desk, embargo = _check_desk(who, form.get("desk"), form.get("embargo_until"))
            for n, upload in enumerate(files):
                (folder / f"{n:03d}-{_safe_name(upload.filename, n)}").write_bytes(
                    await upload.read()
                )
        elif kind.startswith("application/json"):
            try:
                body = ArticlesRequest.model_validate_json(await request.body())
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "body"
                raise ApiError(422, "invalid_request", f"{where}: {first['msg']}") from None
            desk, embargo = _check_desk(who, body.desk, body.embargo_until)
            (folder / _BODY_FILE).write_text(
                "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in body.articles)
            )
        else:
            raise ApiError(
                415,
                "unsupported_media_type",
                'send multipart/form-data files or an application/json {"articles": [...]} body',
            )
        # reading the upload again is file work: off the event loop
        await run_in_threadpool(_check_landing_desks, who, folder, desk, state.settings.max_file_mb)
    except BaseException:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise
    job = state.jobs.submit(who.key, folder, desk, embargo)
    return JSONResponse({"job": job.id, "status_url": f"/v1/jobs/{job.id}"}, status_code=202)


@router.get("/jobs/{job_id}", summary="Progress and report of an upload")
def get_job(job_id: str, request: Request, who: Ingester) -> dict:
    job = request.app.state.jobs.get(job_id)
    if job is None or (job.owner != who.key and who.scope != "admin"):
        raise ApiError(
            404, "not_found", f"no job {job_id!r} — use the id POST /v1/articles returned"
        )
    return job.to_dict()


@router.get("/articles/{article_id}", summary="An article's text and metadata")
def get_article(article_id: str, request: Request, who: Reader) -> dict:
    state = request.app.state
    article = state.assistant.index.get_article(article_id, who.access(state.settings.clock))
    if article is None:
        raise ApiError(
            404, "not_found", f"no article {article_id!r} — ids appear in citations and search"
        )
    data = article.to_dict()
    data.pop("path", None)  # where the server read it: not the caller's business
    return data


@router.delete("/articles/{article_id}", summary="Remove an article")
def delete_article(article_id: str, request: Request, who: Ingester) -> dict:
    state = request.app.state
    index = state.assistant.index
    if index.get_article(article_id, who.access(state.settings.clock)) is None:
        raise ApiError(
            404, "not_found", f"no article {article_id!r} — ids appear in citations and search"
        )
    return {"article_id": article_id, "removed": index.delete(article_id)}
