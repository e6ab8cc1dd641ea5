"""Add articles from the browser: save the uploads to a temp folder and ingest them.

Each file keeps its own name (errors name the file the reader picked, not a
temp path) in its own subfolder, so two uploads with the same name never
overwrite each other. The summary survives the rerun that refreshes the stats
and stays until the reader dismisses it (or uploads again); errors are worded
for a browser (``ui.upload_words``), without server paths.

Signed in (``ui.signin``), a reader's uploads go on their desk (chosen when they
hold several), and an upload that would put any article on a desk they do not
hold, or leave it desk-less although they hold desks, is refused whole before
anything is stored (``index.desk_check``, the same rule as the HTTP API). A
reader whose role is ``read`` is not shown the form, and an upload reaching
``_ingest`` anyway is refused with ``RoleTooLow`` before anything is stored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from index import IngestReport
from index.desk_check import check_desks
from index.errors import NewsdeskError, RoleTooLow
from index.user_desks import allows
from qa.words import plural
from ui.paths import hide_paths
from ui.render import escape_markdown
from ui.upload_words import for_browser

if TYPE_CHECKING:  # heavy (torch, chromadb): loaded once, behind the page's spinner
    from qa import Assistant

TYPES = ["txt", "md", "html", "htm", "json", "jsonl"]
_SUMMARY = "nd_ingest_summary"


def upload_form(
    assistant: Assistant, desks: frozenset[str] | None = None, role: str = "admin"
) -> None:
    """The "Add articles" form; after an ingest, reruns so the index stats are current.

    ``desks``: the signed-in reader's desks; None = the local user (any desk).
    ``role``: the reader's role (``index.user_desks.ROLES``); "read" gets no form.
    """
    if not allows(role, "ingest"):
        return
    st.subheader("Add articles")
    with st.form("nd_upload", clear_on_submit=True, border=False):
        files = st.file_uploader(
            "Article files",
            type=TYPES,
            accept_multiple_files=True,
            help="Plain text, Markdown, HTML, JSON or JSONL (one article per line).",
        )
        desk = _desk_choice(desks)
        submitted = st.form_submit_button("Add to index", icon=":material/upload:")
    if submitted and files:
        uploads = [(f.name, f.getvalue()) for f in files]
        st.session_state[_SUMMARY] = _ingest(assistant, uploads, desks, desk, role)
        st.rerun()
    elif submitted:
        st.warning("Choose one or more files first.")
    summary = st.session_state.get(_SUMMARY)
    if summary:
        _show_summary(*summary)
        st.button(
            "Dismiss",
            key="nd_dismiss_upload",
            on_click=st.session_state.pop,
            args=(_SUMMARY, None),
            icon=":material/close:",
            type="tertiary",
            help="Hide the messages about the last upload",
        )


def _desk_choice(desks: frozenset[str] | None) -> str | None:
    """The desk of uploaded articles that name none: the reader's one desk, or the one
    they pick among several; None for the local user or a reader without desks."""
    if not desks:
        return None
    if len(desks) == 1:
        (desk,) = desks
        st.caption(f"Articles go on your desk, **{escape_markdown(desk)}**.")
        return desk
    return st.selectbox(
        "Desk", sorted(desks), key="nd_upload_desk", help="For articles that name no desk."
    )


def _ingest(
    assistant: Assistant,
    files: list[tuple[str, bytes]],
    desks: frozenset[str] | None = None,
    desk: str | None = None,
    role: str = "admin",
) -> tuple[str, list[str]]:
    """Ingest uploaded (name, bytes); returns (one-line summary, failures with reasons)."""
    if not allows(role, "ingest"):  # the form is hidden from such a reader: a backstop
        return "", [str(RoleTooLow("adding articles", role, "ingest"))]
    bar = st.progress(0.0, text=f"Reading {plural(len(files), 'file')}…")

    def progress(done: int, total: int) -> None:
        bar.progress(
            done / total if total else 1.0, text=f"Indexed {done} of {plural(total, 'article')}"
        )

    with tempfile.TemporaryDirectory(prefix="newsdesk-upload-") as tmp:
        paths, names = [], {}
        for i, (name, data) in enumerate(files):
            path = Path(tmp) / f"{i:03d}" / Path(name).name
            path.parent.mkdir()
            path.write_bytes(data)
            paths.append(path)
            names[str(path)] = Path(name).name
        try:
            max_bytes = int(assistant.settings.max_file_mb * 1024 * 1024)
            check_desks(paths, desks, desk, max_bytes)  # before anything is stored
            report = assistant.ingest(paths, progress=progress, desk=desk)
        except NewsdeskError as exc:
            bar.empty()
            return "", [_for_reader(_strip_path(str(exc), "", names), assistant)]
    bar.empty()
    return _summarise(report), [
        _for_reader(
            f"{_display_name(e.path, names)}: {_strip_path(e.message, e.path, names)}", assistant
        )
        for e in report.errors
    ]


def _for_reader(message: str, assistant: Assistant) -> str:
    return for_browser(hide_paths(message, assistant.settings))


def _summarise(report: IngestReport) -> str:
    parts = [
        f"{report.articles_added} added",
        f"{report.articles_updated} updated",
        f"{report.articles_unchanged} unchanged",
        plural(report.duplicates, "duplicate"),
        f"{len(report.errors)} failed",
    ]
    return ", ".join(parts) + f" ({plural(report.chunks_added, 'new chunk')})"


def _display_name(path: str, names: dict[str, str]) -> str:
    base = path.split("#", 1)[0]  # JSONL errors name "file#line"
    return names.get(base, Path(base).name) + path[len(base) :]


def _strip_path(message: str, path: str, names: dict[str, str]) -> str:
    """Errors repeat the temp path; the reader only knows the file name."""
    if path:
        message = message.removeprefix(f"{path}: ")
    for temp_path, name in names.items():
        message = message.replace(temp_path, name)
    return message


def _show_summary(line: str, failures: list[str]) -> None:
    if line:
        (st.warning if failures else st.success)(line, icon=":material/library_add:")
    for failure in failures:
        st.error(escape_markdown(failure), icon=":material/error:")
