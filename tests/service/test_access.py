"""A token without the desk never sees a restricted article, anywhere; embargoes lift
at their time. Questions copy the restricted article word for word."""

from __future__ import annotations

import json
import subprocess

from tests.service.conftest import (
    AFTER,
    BEFORE,
    EMBARGO_BODY,
    NEWSDESK,
    SECRET_BODY,
    Server,
    sse_events,
)

REFUSAL = "The indexed articles don't answer"  # a refusal quotes the question: an echo


def _everything(server: Server, token: str, question: str) -> tuple[str, str | None]:
    """All a reader can get back for ``question`` but its own echo (``question``,
    ``query``, a refusal's quoted question), as one JSON text, and the article id of the
    best passage."""
    with server.client(token) as client:
        answer = client.post("/v1/ask", json={"question": question, "k": 10}).json()
        streamed = sse_events(
            client.post(
                "/v1/ask", json={"question": question}, headers={"Accept": "text/event-stream"}
            ).text
        )
        search = client.get("/v1/search", params={"q": question, "k": 20}).json()
        stats = client.get("/v1/stats").json()
    for echo in (answer, search, streamed[-1][1]):
        echo.pop("question", None), echo.pop("query", None)
        if echo.get("refused"):
            assert echo["answer"].startswith(REFUSAL)
            echo.pop("answer")
    drafts = [d["text"] for kind, d in streamed if kind == "draft"]
    streamed = [e for e in streamed if not e[1].get("text", "").startswith(REFUSAL)]
    seen = json.dumps([answer, search, stats, streamed])
    assert drafts
    top = search["passages"][0]["article_id"] if search["passages"] else None
    return seen, top


def test_a_token_without_the_desk_never_sees_it(server: Server) -> None:
    insider = server.new_token("investigator", "read", "investigations")
    outsider = server.new_token("sports-desk", "read", "sports")
    seen_in, secret_id = _everything(server, insider, SECRET_BODY)
    assert "Osterhagen" in seen_in and secret_id
    seen_out, _ = _everything(server, outsider, SECRET_BODY)
    assert "Osterhagen" not in seen_out and secret_id not in seen_out
    assert "shell company" not in seen_out
    with server.client(outsider) as client:
        fetch = client.get(f"/v1/articles/{secret_id}")
        delete = client.delete(f"/v1/articles/{secret_id}")
        counted_out = client.get("/v1/stats").json()["articles"]
    with server.client(insider) as client:
        counted_in = client.get("/v1/stats").json()["articles"]
        assert client.get(f"/v1/articles/{secret_id}").json()["extra"]["desk"] == "investigations"
    assert fetch.status_code == 404 and fetch.json()["error"]["code"] == "not_found"
    assert delete.status_code in (403, 404)  # a read token may not delete at all
    assert counted_in == counted_out + 1


def test_an_ingest_token_cannot_add_to_another_desk(server: Server) -> None:
    token = server.new_token("sports-ingest", "ingest", "sports")
    with server.client(token) as client:
        response = client.post(
            "/v1/articles", json={"articles": [{"body": "Text."}], "desk": "investigations"}
        )
    assert response.status_code == 403


def test_embargo_invisible_before_visible_after(server: Server, later_server: Server) -> None:
    token = server.tokens["main"]
    seen_before, _ = _everything(server, token, EMBARGO_BODY)
    seen_after, _ = _everything(later_server, token, EMBARGO_BODY)
    assert "Orla" not in seen_before
    assert "Orla" in seen_after


def test_cli_keeps_the_embargo_until_its_clock_passes(server: Server) -> None:
    """The CLI is the local user (every desk) but embargoes hold for it too."""

    def ask(clock: str) -> dict:
        done = subprocess.run(
            [*NEWSDESK, "ask", EMBARGO_BODY, "--json"],
            env={**server.env, "NEWSDESK_CLOCK": clock},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        answer.pop("question")
        return answer

    before, after = ask(BEFORE), ask(AFTER)
    assert "Orla" not in json.dumps([p["text"] for p in before["passages"]])
    assert "Orla" in json.dumps(after["passages"])


def _article_count(server: Server) -> int:
    """Every stored article, as the local user (every desk) counts them."""
    done = server.cli("stats", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["articles"]


def test_uploaded_json_cannot_name_a_desk_the_token_lacks(server: Server) -> None:
    """A desk inside the uploaded articles is checked like the upload's own field: the
    whole upload is refused with 403 naming the article, and nothing is ingested."""
    token = server.new_token("sports-json", "ingest", "sports")
    fine = {"title": "Cup final", "body": "Kelby Rovers won the cup final on Saturday."}
    planted = {
        "title": "Planted memo",
        "body": "The Port Delmar chairman denied every payment, a memo says.",
        "desk": "Investigations",
    }
    unlabelled = {"title": "Open letter", "body": "An open letter was sent.", "desk": None}
    before = _article_count(server)
    with server.client(token) as client:
        in_body = client.post("/v1/articles", json={"articles": [fine, planted]})
        in_file = client.post(
            "/v1/articles",
            files=[("files", ("batch.jsonl", json.dumps(planted).encode(), "application/json"))],
            data={"desk": "sports"},
        )
        desk_less = client.post("/v1/articles", json={"articles": [fine, unlabelled]})
    assert in_body.status_code == 403, in_body.text
    error = in_body.json()["error"]
    assert error["code"] == "forbidden"
    assert "articles[1]" in error["message"] and "Planted memo" in error["message"]
    assert "'investigations'" in error["message"] and "nothing was added" in error["message"]
    assert in_file.status_code == 403 and "batch.jsonl" in in_file.json()["error"]["message"]
    assert "/uploads/" not in in_file.text  # the server's folders stay private
    assert desk_less.status_code == 403
    assert "names no desk" in desk_less.json()["error"]["message"]
    assert _article_count(server) == before


def test_a_multi_desk_token_must_name_one_of_its_desks(server: Server) -> None:
    from tests.service.test_api import _wait

    token = server.new_token("two-desks", "ingest", "sports", "politics")
    reader = server.new_token("politics-reader", "read", "politics")
    public = server.tokens["main"]  # holds no desk
    story = {"title": "Senate vote", "body": "The Kelby senate passed the ferry bill 31 to 9."}
    with server.client(token) as client:
        refused = client.post("/v1/articles", json={"articles": [story]})
        accepted = client.post("/v1/articles", json={"articles": [{**story, "desk": "Politics"}]})
        job = _wait(client, accepted.json()["job"])
    assert refused.status_code == 403 and "names no desk" in refused.json()["error"]["message"]
    assert accepted.status_code == 202 and job["state"] == "done", job
    assert job["report"]["articles_added"] == 1
    for who, sees in ((reader, True), (public, False)):
        with server.client(who) as client:
            hits = client.get("/v1/search", params={"q": "Kelby senate ferry bill"}).json()
        assert any("31 to 9" in p["text"] for p in hits["passages"]) is sees
