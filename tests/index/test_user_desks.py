"""The user-desk file of the signed-in chat window: who holds which desks."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import ConfigError
from index.user_desks import desks_of, load_user_desks

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
