"""Tokens over a real server: 401 without or with a bad/revoked token, 403 for a low scope."""

from __future__ import annotations

from tests.service.conftest import Server


def test_before_any_token_loopback_is_the_local_user(server: Server) -> None:
    assert server.keyless_status == 200


def test_no_token_is_401_once_tokens_exist(server: Server) -> None:
    with server.client() as client:
        response = client.get("/v1/stats")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "newsdesk token create" in response.json()["error"]["message"]


def test_wrong_token_and_wrong_scope(server: Server) -> None:
    reader = server.new_token("reader", "read")
    with server.client(reader + "x") as client:
        assert client.get("/v1/stats").status_code == 401
    with server.client(reader) as client:
        assert client.get("/v1/stats").status_code == 200
        upload = client.post("/v1/articles", json={"articles": [{"body": "A text."}]})
    assert upload.status_code == 403 and upload.json()["error"]["code"] == "forbidden"


def test_revoked_is_401_at_once_and_list_never_shows_secrets(server: Server) -> None:
    token = server.new_token("short-lived", "read")
    with server.client(token) as client:
        assert client.get("/v1/stats").status_code == 200
        done = server.cli("token", "revoke", "short-lived")
        assert done.returncode == 0, done.stderr
        assert client.get("/v1/stats").status_code == 401
    listing = server.cli("token", "list")
    assert "short-lived" in listing.stdout and "revoked" in listing.stdout
    assert token.split("_")[2] not in listing.stdout
    missing = server.cli("token", "revoke", "no-such-token")
    assert missing.returncode == 2 and "newsdesk token list" in missing.stderr
