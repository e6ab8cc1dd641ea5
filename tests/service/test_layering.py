"""``service`` depends on ``qa`` and ``index``, never the reverse (the CLI may import it
inside a command, which keeps ``newsdesk --help`` light)."""

from __future__ import annotations

import ast

from tests.conftest import REPO


def test_index_and_qa_never_import_service_at_module_level() -> None:
    offenders = []
    for package in ("index", "qa", "ui"):
        for path in (REPO / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:  # module level only: commands import lazily
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(n == "service" or n.startswith("service.") for n in names):
                    offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
