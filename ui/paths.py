"""Keep server paths out of what the page shows, unless ``NEWSDESK_SHOW_PATHS`` is on.

Whoever opens the chat window needs to know what went wrong and what to do,
not where the server keeps its files; error messages written for the terminal
(``index`` and ``qa`` name the store folder and its lock file) are shown with
the store's path replaced by "the index folder". Addresses of a Chroma
server are kept: they are what an administrator has to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

from index.settings import Settings

_PLACEHOLDER = "the index folder"
_PATH_TAIL = r"[^\s,;:()'\"]*"  # a file inside the folder, up to the next delimiter


def hide_paths(message: str, settings: Settings | None) -> str:
    """``message`` with every mention of the store folder (or a file in it) replaced."""
    if settings is None or settings.show_paths:
        return message
    folder = Path(settings.store_dir)
    spellings = {str(folder), str(folder.resolve())}
    # subtle: a bare relative name (".newsdesk") says nothing about the machine, and
    # replacing a short one ("." or "x") would mangle ordinary words.
    for spelling in sorted((s for s in spellings if "/" in s), key=len, reverse=True):
        message = re.sub(re.escape(spelling) + _PATH_TAIL, _PLACEHOLDER, message)
    return message
