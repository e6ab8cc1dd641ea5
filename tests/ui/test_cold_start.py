"""The page can draw its frame before the models load: ui's modules import nothing heavy.

``ui/app.py`` writes the title and a disabled chat box before it asks
``ui.state`` for the cached Assistant; that only helps while importing the ui
modules stays cheap. torch, chromadb and the model runtimes must come in with
the Assistant, behind its spinner (measured by ``python -m tests.ui.cold_start``).
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

UI_MODULES = [p.stem for p in (REPO / "ui").glob("*.py") if p.stem not in ("__init__", "app")]
HEAVY = ["torch", "chromadb", "sentence_transformers", "transformers", "onnxruntime", "spacy"]


def test_the_ui_modules_import_no_model_or_store_library() -> None:
    code = (
        "import sys\n"
        + "".join(f"import ui.{name}\n" for name in UI_MODULES)
        + f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported at page start: {done.stdout.strip()}"
    assert len(UI_MODULES) >= 10  # the glob found the package
