"""Ingest jobs: an upload is saved to a folder, ingested by one worker thread, reported.

``POST /v1/articles`` returns at once with a job id; ``GET /v1/jobs/{id}`` shows
``queued`` → ``running`` (with ``done``/``total`` articles) → ``done`` (with the
``IngestReport``) or ``failed`` (with the error's code and message). One worker
keeps ingests in order (the store takes one writer at a time anyway). Jobs are kept
in memory: a restarted server forgets them, not the articles they ingested.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import NewsdeskError
from service.errors import status_of

log = logging.getLogger("newsdesk.service")


@dataclass
class Job:
    """One upload's progress; ``owner`` is the principal key that may read it."""

    id: str
    owner: str
    state: str = "queued"  # queued | running | done | failed
    done: int = 0
    total: int = 0
    report: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "id": self.id,
                "state": self.state,
                "done": self.done,
                "total": self.total,
                "report": self.report,
                "error": self.error,
            }


class JobRunner:
    """Runs ingest jobs one after another on a background thread."""

    def __init__(self, index) -> None:  # index: index.NewsIndex
        self.index = index
        self._jobs: dict[str, Job] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-ingest")

    def submit(self, owner: str, folder: Path, desk: str | None, embargo: str | None) -> Job:
        """Queue the ingest of ``folder`` (removed afterwards)."""
        job = Job(secrets.token_hex(8), owner)
        self._jobs[job.id] = job
        self._pool.submit(self._run, job, folder, desk, embargo)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def _run(self, job: Job, folder: Path, desk: str | None, embargo: str | None) -> None:
        def progress(done: int, total: int) -> None:
            with job._lock:
                job.done, job.total = done, total

        with job._lock:
            job.state = "running"
        try:
            report = self.index.ingest(
                [folder], progress=progress, desk=desk, embargo_until=embargo
            )
            with job._lock:
                # Upload folders are temporary: name files by their upload name only.
                data = report.to_dict()
                for error in data["errors"]:
                    error["path"] = _upload_name(error["path"], folder)
                    error["message"] = error["message"].replace(str(folder) + "/", "")
                job.report, job.state = data, "done"
        except NewsdeskError as exc:
            with job._lock:
                job.error = {"code": status_of(exc)[1], "message": str(exc)}
                job.state = "failed"
        except Exception:  # a bug: keep the worker alive and say so
            log.exception("ingest job %s failed", job.id)
            with job._lock:
                job.error = {
                    "code": "internal",
                    "message": "the ingest failed unexpectedly — the server log has the details",
                }
                job.state = "failed"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _upload_name(path: str, folder: Path) -> str:
    return path.removeprefix(str(folder) + "/")
