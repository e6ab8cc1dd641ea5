"""Ingest errors in the words of someone who uploaded a file from the page.

The loaders write for a terminal: some hints name a command to run or a
variable to set (``python -m json.tool FILE``, ``NEWSDESK_MAX_FILE_MB``), which
a browser user cannot use. What is wrong and where (file, line, column) stays
as the loader wrote it; only those hints are swapped for what can be done from
a browser. Hints that read right anywhere ("re-save it as UTF-8 text") stay.
"""

from __future__ import annotations

from index.loaders.jsonfile import JSON_FIX_HINT
from index.loading import TOO_BIG_HINT

_BROWSER_HINTS = {
    JSON_FIX_HINT: (
        "open the file in a text editor, fix the JSON at that spot "
        "(a JSON validator points to it) and upload it again"
    ),
    TOO_BIG_HINT: (
        "split it into smaller files and upload those (whoever runs newsdesk can raise the limit)"
    ),
}


def for_browser(message: str) -> str:
    """``message`` with each terminal-only hint replaced by what a browser user can do."""
    for terminal, browser in _BROWSER_HINTS.items():
        message = message.replace(terminal, browser)
    return message
