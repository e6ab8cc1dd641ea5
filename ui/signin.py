"""Sign-in for a team's chat window, with Streamlit's own OpenID Connect (``st.login``).

Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section, configured
exactly as Streamlit documents (``redirect_uri``, ``cookie_secret``, ``client_id``,
``client_secret``, ``server_metadata_url``). Then the page shows only a sign-in
screen until the reader signs in, and everything it shows afterwards (answers,
passages, citations, the archive, example questions, stats) goes through that
user's ``index.Access``: the desks ``NEWSDESK_USER_DESKS`` gives them
(``index.user_desks``), embargoes judged at ``NEWSDESK_CLOCK`` or now. What they
may do is their role in the same file (``read``: no upload form, no delete button;
``ingest`` and ``admin``: both; no entry: ``ingest``, as before roles existed).
Each user keeps their own saved conversations.

With no ``[auth]`` the page belongs to the one local user, exactly as before
sign-in existed: ``Viewer.access`` is None, so nothing is narrowed, and the role is
``admin``. A secrets file that exists but cannot be read is an error, never a
silent switch to that mode.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from index import Access, Settings
from index.errors import ConfigError
from index.user_desks import desks_of, load_user_file, role_of
from ui.conversations import LOCAL_USER
from ui.render import escape_markdown


@dataclass(frozen=True)
class Viewer:
    """Who the page is for: the local user (no sign-in) or one signed-in user."""

    user: str = LOCAL_USER  # whose saved conversations are listed
    name: str | None = None  # shown in the sidebar; None = no sign-in
    access: Access | None = None  # None = every desk, like the CLI on this machine
    role: str = "admin"  # one of index.user_desks.ROLES; the local user may do everything

    @property
    def desks(self) -> frozenset[str] | None:
        return None if self.access is None else self.access.desks


def sign_in_configured() -> bool:
    """Whether ``secrets.toml`` turns sign-in on (an ``[auth]`` section).

    Raises:
        ConfigError: a secrets file exists but Streamlit could not read it.
    """
    if st.secrets.load_if_toml_exists():
        return "auth" in st.secrets
    unreadable = [p for p in st.get_option("secrets.files") if Path(p).is_file()]
    if unreadable:
        raise ConfigError(
            f"{unreadable[0]}: Streamlit cannot read this secrets file, so sign-in cannot be "
            "checked — fix its TOML (the terminal running `newsdesk chat` shows why) and reload"
        )
    return False


def viewer(settings: Settings) -> Viewer | None:
    """Who is looking; None when sign-in is on and nobody is signed in yet, after
    drawing the sign-in screen (the page must then show nothing else)."""
    if not sign_in_configured():
        return Viewer()
    claims = st.user.to_dict()
    if not claims.get("is_logged_in"):
        _sign_in_screen()
        return None
    return signed_in(claims, settings)


def signed_in(claims: Mapping[str, Any], settings: Settings) -> Viewer:
    """The viewer for a signed-in user's identity-token ``claims``."""
    who = claims.get("sub") or claims.get("email")
    if not who:
        raise ConfigError(
            "the identity provider sent no `sub` or `email` claim, so newsdesk cannot tell "
            "who signed in — check the provider's OpenID Connect settings"
        )
    desk_table, role_table = load_user_file(settings.user_desks)
    desks, role = desks_of(claims, desk_table), role_of(claims, role_table)
    name = str(claims.get("email") or claims.get("name") or who)
    return Viewer(f"oidc:{who}", name, Access(desks, settings.clock), role)


def account(viewer: Viewer) -> None:
    """Who is signed in, their desks and role, and a sign-out button (nothing without
    sign-in)."""
    if viewer.name is None:
        return
    desks = ", ".join(sorted(viewer.desks or ())) or "none: articles without a desk only"
    st.caption(
        f"Signed in as **{escape_markdown(viewer.name)}**  \nDesks: {escape_markdown(desks)}"
        f"  \nRole: {_ROLE_WORDS[viewer.role]}"
    )
    st.button("Sign out", on_click=st.logout, icon=":material/logout:", key="nd_sign_out")


_ROLE_WORDS = {
    "read": "read (ask and read only)",
    "ingest": "ingest (may add and delete articles)",
    "admin": "admin",
}


def _sign_in_screen() -> None:
    if importlib.util.find_spec("authlib") is None:
        raise ConfigError(
            "sign-in is configured ([auth] in .streamlit/secrets.toml) but Authlib is not "
            "installed — run `pip install 'newsdesk[auth]'` and restart `newsdesk chat`"
        )
    st.info("This archive is private to the newsroom: sign in to ask it.", icon=":material/lock:")
    st.button("Sign in", type="primary", on_click=st.login, icon=":material/login:")
