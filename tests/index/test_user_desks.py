"""The user-desk file of the signed-in chat window: who holds which desks."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import ConfigError
from index.user_desks import (
    DEFAULT_ROLE,
    ROLES,
    allows,
    desks_of,
    load_user_desks,
    load_user_roles,
    role_of,
)

FILE = """
[users]
"Ana@Example.org" = ["Investigations", " politics "]
"auth0|Ana" = ["sports"]
"bo@example.org" = []
"""


@pytest.fixture
def mapping(tmp_path: Path) -> dict[str, frozenset[str]]:
    path = tmp_path / "desks.toml"
    path.write_text(FILE, encoding="utf-8")
    return load_user_desks(path)


@pytest.mark.parametrize(
    ("claims", "desks"),
    [
        ({"email": "ana@example.ORG", "sub": "x"}, {"investigations", "politics"}),
        (
            {"email": "ana@example.org", "sub": "auth0|Ana"},
            {"investigations", "politics", "sports"},
        ),
        ({"sub": "auth0|Ana"}, {"sports"}),
        ({"sub": "auth0|ana"}, set()),  # a subject is matched exactly as issued
        ({"email": "ana@example.org", "email_verified": False, "sub": "x"}, set()),
        ({"email": "bo@example.org", "sub": "y"}, set()),
        ({"email": "carla@example.org", "sub": "z"}, set()),  # not listed: no desk
        ({}, set()),
    ],
)
def test_desks_of(mapping, claims, desks) -> None:
    assert desks_of(claims, mapping) == frozenset(desks)


def test_no_file_gives_nobody_a_desk() -> None:
    assert desks_of({"email": "ana@example.org"}, load_user_desks(None)) == frozenset()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (None, "does not exist"),
        ("[users\n", "is not valid TOML"),
        ('users = "ana"', "[users] must be a table"),
        ('[users]\n"ana@example.org" = "politics"', 'user "ana@example.org" must map to a list'),
    ],
)
def test_a_bad_file_is_a_config_error_naming_it(tmp_path: Path, text, says) -> None:
    path = tmp_path / "desks.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_user_desks(path)
    assert str(caught.value).startswith(str(path)) and says in str(caught.value)
    assert "NEWSDESK_USER_DESKS" in str(caught.value)


ROLES_FILE = """
[users]
"ana@example.org" = ["politics"]

[roles]
"Ana@Example.org" = "admin"
"auth0|ana" = "read"
"bo@example.org" = " Read "
"carla@example.org" = "ingest"
"""


@pytest.fixture
def roles(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "desks.toml"
    path.write_text(ROLES_FILE, encoding="utf-8")
    return load_user_roles(path)


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"email": "ana@example.ORG", "sub": "x"}, "admin"),
        ({"email": "ana@example.org", "sub": "auth0|ana"}, "admin"),  # the higher of both
        ({"sub": "auth0|ana"}, "read"),
        ({"sub": "auth0|ANA"}, DEFAULT_ROLE),  # a subject is matched exactly as issued
        ({"email": "ana@example.org", "email_verified": False, "sub": "x"}, DEFAULT_ROLE),
        ({"email": "bo@example.org", "sub": "y"}, "read"),  # any case, spaces trimmed
        ({"email": "carla@example.org", "sub": "z"}, "ingest"),
        ({"email": "dan@example.org", "sub": "w"}, DEFAULT_ROLE),  # no role entry
        ({}, DEFAULT_ROLE),
    ],
)
def test_role_of(roles, claims, role) -> None:
    assert role_of(claims, roles) == role


def test_the_default_role_is_what_everyone_could_do_before_roles() -> None:
    assert DEFAULT_ROLE == "ingest" and allows(DEFAULT_ROLE, "ingest")
    assert not allows(DEFAULT_ROLE, "admin")


def test_a_file_from_before_roles_gives_everyone_the_default(tmp_path: Path) -> None:
    path = tmp_path / "desks.toml"
    path.write_text(FILE, encoding="utf-8")
    assert load_user_roles(path) == {} and load_user_roles(None) == {}
    assert role_of({"email": "ana@example.org", "sub": "auth0|Ana"}, {}) == DEFAULT_ROLE
    assert load_user_desks(path)["auth0|Ana"] == frozenset({"sports"})  # desks unchanged


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [(r, n, ROLES.index(r) >= ROLES.index(n)) for r in ROLES for n in ROLES],
)
def test_each_role_includes_the_ones_before_it(role, needed, allowed) -> None:
    assert allows(role, needed) is allowed


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('roles = "read"', "[roles] must be a table"),
        ('[roles]\n"ana@example.org" = "editor"', "user \"ana@example.org\" the role 'editor'"),
        ('[roles]\n"ana@example.org" = ["read"]', "user \"ana@example.org\" the role ['read']"),
        ('[roles]\n"auth0|x" = 1', 'user "auth0|x" the role 1'),
        ("[users\n", "is not valid TOML"),
    ],
)
def test_a_bad_role_is_a_config_error_naming_file_user_and_roles(
    tmp_path: Path, text, says
) -> None:
    path = tmp_path / "desks.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_user_roles(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and says in message
    assert "NEWSDESK_USER_DESKS" in message
    if "the role" in says:
        assert '"read", "ingest", "admin"' in message
