"""Several processes opening one new embedded store at once all get it.

Two ``newsdesk ingest`` runs (or an ingest and the chat window) started together on a
store that does not exist yet used to fail one of them with "database is locked"
(about 1 open in 8 with four processes here), whatever SQLite's busy timeout.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

OPEN_AT = """
import sys, time
from pathlib import Path
from index.catalog import SqliteCatalog
from index.settings import Settings
from index.story_links import LinkRule
while time.time() < float(sys.argv[2]):
    pass
SqliteCatalog(Path(sys.argv[1]) / "catalog.sqlite3", LinkRule.of(Settings())).close()
"""


def test_processes_opening_a_new_store_together_all_succeed(tmp_path: Path) -> None:
    for trial in range(3):
        store = tmp_path / f"store-{trial}"
        start = time.time() + 4  # every process imported and spinning before it opens
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT, str(store), str(start)],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, "\n".join(errors)[-2000:]
