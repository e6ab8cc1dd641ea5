"""``newsdesk ask`` as a user runs it: a real subprocess over the real seed index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index import NewsIndex

NEWSDESK = Path(sys.executable).with_name("newsdesk")


def run(args: list[str], store: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_STORE_DIR": str(store), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [str(NEWSDESK), *args], check=False, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def store(seed_index: NewsIndex) -> Path:
    return seed_index.settings.store_dir


def test_ask_json_gives_a_cited_answer(store, seed_index):
    proc = run(["ask", "Who guards the base near Qamishli airport?", "--json", "--k", "3"], store)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert not data["refused"] and "SDF" in data["answer"]
    assert 1 <= len(data["passages"]) <= 3
    for c in data["citations"]:
        article = seed_index.get_article(c["article_id"])
        assert c["quote"] == article.text[c["start"] : c["end"]]


def ask_in_process(args, store, monkeypatch, capsys) -> tuple[int, str, str]:
    """Run ``newsdesk`` through its real entry point and error boundary, in this process
    (a subprocess costs a model load; the JSON test above covers the installed script)."""
    from qa.cli import main

    monkeypatch.setenv("NEWSDESK_STORE_DIR", str(store))
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_ask_prints_answer_then_numbered_sources(store, monkeypatch, capsys):
    code, out, err = ask_in_process(
        ["ask", "Where might the Russian equipment be going?"], store, monkeypatch, capsys
    )
    assert code == 0, err
    answer, _, sources = out.partition("\nSources:\n")
    assert "[1]" in answer and sources.startswith("[1] ") and "“" in sources


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ask", "Who?", "--since", "2026-13-45"], 2, "is not a date"),
        (["ask", "Who?", "--since", "2026-02-01", "--until", "2026-01-01"], 2, "after --until"),
        (["ask", "   "], 7, "question is empty"),
        (["ask", "Who guards it?", "--k", "500"], 7, "out of range"),
        (["ask", "Who guards it?", "--answerer", "oracle"], 2, "unknown answerer"),
    ],
)
def test_bad_input_is_a_clear_error_without_traceback(
    store, monkeypatch, capsys, args, code, message
):
    got, _, err = ask_in_process(args, store, monkeypatch, capsys)
    assert got == code and message in err
    assert "Traceback" not in err


def test_empty_store_tells_the_user_to_ingest(tmp_path, monkeypatch, capsys):
    code, _, err = ask_in_process(
        ["ask", "Who guards the base?"], tmp_path / "e", monkeypatch, capsys
    )
    assert code == 8 and "newsdesk ingest" in err


@pytest.mark.parametrize(
    ("outlet", "offered"),
    [("Asociated", "closest outlets in the index: Associated Press"), ("Reuters", "")],
)
def test_an_outlet_the_archive_lacks_is_an_error_offering_close_ones(
    store, monkeypatch, capsys, outlet, offered
):
    code, out, err = ask_in_process(
        ["ask", "Who guards the base near Qamishli airport?", "--source", outlet],
        store,
        monkeypatch,
        capsys,
    )
    assert code == 2 and out == ""
    assert f"no indexed article comes from the outlet {outlet!r}" in err
    assert offered in err and "newsdesk stats" in err and "Traceback" not in err


def test_a_known_outlet_by_its_initials_still_answers(store, monkeypatch, capsys):
    code, out, err = ask_in_process(
        ["ask", "Who guards the base near Qamishli airport?", "--source", "AP"],
        store,
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    assert "SDF" in out


def test_a_refusal_quotes_the_question_instead_of_rephrasing_it(store, monkeypatch, capsys):
    code, out, err = ask_in_process(
        ["ask", "What is Andrew Tate accused of?"], store, monkeypatch, capsys
    )
    assert code == 0, err
    assert out.startswith(
        "The indexed articles don't answer this question: “What is Andrew Tate accused of?”"
    )


def test_render_prints_disagreements_and_what_was_superseded():
    from qa.cli_ask import render
    from qa.models import Answer, Citation, Disagreement, Superseded

    cites = tuple(Citation(n, f"a{n}", "T", "q", 0, 1, source="AP") for n in (1, 2))
    answer = Answer(
        text="Sources disagree: 12 [1]; 15 [2].",
        refused=False,
        citations=cites,
        disagreements=(Disagreement(("12", "15"), (1, 2)),),
        superseded=(Superseded("9", 2, "2025-03-02", "12", 1, "2025-03-04", "update"),),
    )
    out = render(answer)
    assert "! Sources disagree: 12 [1] · 15 [2]" in out
    assert "! Updated: 12 (2025-03-04) [1] replaces 9 (2025-03-02) [2]" in out
    assert out.index("! Sources disagree") < out.index("Sources:")
