"""Every endpoint of a real ``newsdesk serve``, as a client sees it."""

from __future__ import annotations

import json

from tests.conftest import REPO
from tests.service.conftest import MAX_REQUEST_MB, RATE_PER_MINUTE, Server, sse_events

QUESTION = "Who is guarding the base near the Qamishli airport now?"
HOSTILE = REPO / "tests" / "data" / "hostile"


def test_health_and_docs(server: Server) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/docs").status_code == 200
        paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/search", "/v1/articles", "/v1/stats"} <= set(paths)


def test_ask_answers_with_citations_in_the_answer_shape(server: Server) -> None:
    with server.client(server.tokens["main"]) as client:
        answer = client.post("/v1/ask", json={"question": QUESTION, "k": 4}).json()
    assert not answer["refused"] and "SDF" in answer["answer"]
    assert set(answer) >= {"answer", "refused", "short", "citations", "passages", "timings_ms"}
    cite = answer["citations"][0]
    with server.client(server.tokens["main"]) as client:
        article = client.get(f"/v1/articles/{cite['article_id']}").json()
    assert article["text"][cite["start"] : cite["end"]] == cite["quote"]
    assert article["title"] and "path" not in article


def test_streaming_sends_drafts_then_the_final_answer(server: Server) -> None:
    with server.client(server.tokens["main"]) as client:
        plain = client.post("/v1/ask", json={"question": QUESTION}).json()
        response = client.post(
            "/v1/ask", json={"question": QUESTION}, headers={"Accept": "text/event-stream"}
        )
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "answer" and kinds[:-1] and set(kinds[:-1]) == {"draft"}
    assert events[-1][1]["answer"] == plain["answer"]


def test_follow_up_uses_history_and_filters_narrow(server: Server) -> None:
    with server.client(server.tokens["main"]) as client:
        first = client.post("/v1/ask", json={"question": QUESTION}).json()
        follow = client.post(
            "/v1/ask",
            json={
                "question": "Where is the equipment going?",
                "history": [{"question": QUESTION, "answer": first["answer"]}],
            },
        ).json()
        none = client.post(
            "/v1/ask", json={"question": QUESTION, "filters": {"since": "2031-01-01"}}
        ).json()
    assert "Qamishli" in follow["question"] or "base" in follow["question"]
    assert none["refused"] and not none["citations"]


def test_search_and_stats(server: Server) -> None:
    with server.client(server.tokens["main"]) as client:
        found = client.get("/v1/search", params={"q": "Qamishli base", "k": 3}).json()
        stats = client.get("/v1/stats").json()
    assert 1 <= len(found["passages"]) <= 3 and "Qamishli" in found["passages"][0]["text"]
    # seeds/ and the public story: the desk article and the embargoed one are not counted
    assert stats["articles"] == 2 and stats["chunks"] > stats["articles"] and "store" not in stats


def test_upload_job_search_delete(server: Server) -> None:
    token = server.new_token("uploader", "ingest")
    body = "The town of Zelmora elected Ada Quintrell as its first female mayor on Sunday."
    with server.client(token) as client:
        started = client.post(
            "/v1/articles", files=[("files", ("../../zelmora.txt", body.encode(), "text/plain"))]
        )
        assert started.status_code == 202
        job = _wait(client, started.json()["job"])
        assert job["state"] == "done" and job["report"]["articles_added"] == 1, job
        hits = client.get("/v1/search", params={"q": "Zelmora mayor"}).json()["passages"]
        assert hits and "Quintrell" in hits[0]["text"]
        article_id = hits[0]["article_id"]
        assert client.delete(f"/v1/articles/{article_id}").json()["removed"] == 1
        gone = client.get(f"/v1/articles/{article_id}")
        assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
        hits = client.get("/v1/search", params={"q": "Zelmora mayor"}).json()["passages"]
        assert all(h["article_id"] != article_id for h in hits)


def test_json_articles_and_a_bad_record(server: Server) -> None:
    token = server.new_token("json-uploader", "ingest")
    records = [
        {"title": "Bridge", "body": "The Quellin bridge reopened on Tuesday after repairs."},
        {"title": "No body"},
    ]
    with server.client(token) as client:
        job = _wait(client, client.post("/v1/articles", json={"articles": records}).json()["job"])
        bad = client.post("/v1/articles", json={"articles": records, "embargo_until": "soon"})
    assert job["report"]["articles_added"] == 1 and len(job["report"]["errors"]) == 1
    assert job["report"]["errors"][0]["path"].startswith("articles.jsonl")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_article"


def test_limits_answer_413_422_429_never_500(server: Server) -> None:
    with server.client(server.tokens["main"]) as client:
        big = b"x" * (MAX_REQUEST_MB * 1024 * 1024 + 1)
        too_big = client.post("/v1/articles", files=[("files", ("big.txt", big, "text/plain"))])
        long_q = client.post("/v1/ask", json={"question": "why " * 400})
        bad_k = client.post("/v1/ask", json={"question": QUESTION, "k": 0})
        not_json = client.post(
            "/v1/ask", content=b"{", headers={"content-type": "application/json"}
        )
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "body_too_large"
    assert long_q.status_code == 422
    # the same one-line message as the CLI's
    assert long_q.json()["error"] == {
        "code": "limit_exceeded",
        "message": "the question is 1599 characters long; the limit is 1000 "
        "(NEWSDESK_MAX_QUESTION_CHARS) — shorten it",
    }
    assert bad_k.status_code == 422 and "NEWSDESK_MAX_K" in bad_k.json()["error"]["message"]
    assert not_json.status_code == 422 and not_json.json()["error"]["code"] == "invalid_request"


def test_a_burst_over_the_rate_limit_gets_429(server: Server) -> None:
    token = server.new_token("bursty", "read")
    codes = []
    with server.client(token) as client:
        # the bucket refills one request a second while the burst runs
        while len(codes) < 3 * RATE_PER_MINUTE and 429 not in codes:
            last = client.get("/v1/stats")
            codes.append(last.status_code)
    with server.client(server.tokens["main"]) as other:
        assert other.get("/v1/stats").status_code == 200  # per token, not global
    assert codes[-1] == 429 and set(codes[:-1]) == {200} and len(codes) > RATE_PER_MINUTE
    assert last.json()["error"]["code"] == "rate_limited" and int(last.headers["retry-after"]) >= 1


def test_hostile_uploads_come_back_as_safe_json(server: Server) -> None:
    token = server.new_token("hostile", "ingest")
    files = [
        ("files", (p.name, p.read_bytes(), "application/octet-stream"))
        for p in sorted(HOSTILE.iterdir())
    ]
    files.append(("files", ('<script>alert(1)</script>".txt', b"", "text/plain")))
    with server.client(token) as client:
        job = _wait(client, client.post("/v1/articles", files=files).json()["job"])
        assert job["state"] == "done" and job["report"]["articles_added"] >= 10, job
        answer = client.post(
            "/v1/ask", json={"question": "Who retired from the Ivybridge lighthouse?"}
        )
        vineyard = client.post(
            "/v1/ask", json={"question": "What destroyed the Halwick grape harvest?"}
        )
    for response in (answer, vineyard):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        data = json.loads(response.text)
        assert "zqxinject" not in data["answer"] and "<script" not in data["answer"]
    assert "Hoshino" in answer.json()["answer"]
    assert "<script>" not in json.dumps(job["report"]["errors"])  # names reduced to safe ones


def _wait(client, job_id: str, tries: int = 600) -> dict:
    import time

    for _ in range(tries):
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_ask_as_of_a_day_reads_nothing_later_and_a_bad_day_is_422(server: Server) -> None:
    with server.client(server.tokens["main"]) as client:
        today = client.post("/v1/ask", json={"question": QUESTION}).json()
        past = client.post("/v1/ask", json={"question": QUESTION, "as_of": "2000-01-01"}).json()
        bad = client.post("/v1/ask", json={"question": QUESTION, "as_of": "last week"})
    assert not today["refused"] and today["timeline"] == []
    assert past["refused"]  # every article is later than that day, or undated
    assert bad.status_code == 422
