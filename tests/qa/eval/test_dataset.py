"""Dataset loading: good files load, bad lines fail naming file:line and field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from index.errors import DatasetError
from qa.eval.dataset import load_dataset

GOOD = {"question": "Who won?", "answers": ["Bills"], "evidence": ["Bills won"], "answerable": True}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_plain_file_loads_with_optional_fields(tmp_path):
    extra = {**GOOD, "id": "q2", "as_of": "2023-01-05", "type": "who", "source": "CNN"}
    path = write_lines(tmp_path / "dev.jsonl", [json.dumps(GOOD), "", json.dumps(extra)])
    ds = load_dataset(path)
    assert ds.name == "dev" and ds.corpus is None and len(ds.questions) == 2
    q = ds.questions[1]
    assert q.as_of == dt.date(2023, 1, 5) and q.kind == "who" and q.answers == ("Bills",)
    assert ds.questions[0].kind == "answerable"
    assert len(load_dataset(path, limit=1).questions) == 1


def test_folder_dataset_needs_both_files(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    write_lines(folder / "questions.jsonl", [json.dumps(GOOD)])
    with pytest.raises(DatasetError, match="corpus.jsonl"):
        load_dataset(folder)
    write_lines(folder / "corpus.jsonl", [json.dumps({"title": "t", "body": "b"})])
    ds = load_dataset(folder)
    assert ds.name == "set" and ds.corpus == folder / "corpus.jsonl"
    assert ds.corpus_hash() and ds.corpus_hash() == load_dataset(folder).corpus_hash()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"question": "Who won?", "answers": ["Bills"]', r"dev\.jsonl:2: not valid JSON"),
        (
            json.dumps({k: v for k, v in GOOD.items() if k != "evidence"}),
            r"dev\.jsonl:2: missing field 'evidence'",
        ),
        (json.dumps({**GOOD, "answerable": "yes"}), r"dev\.jsonl:2: field 'answerable'"),
        (json.dumps({**GOOD, "answers": "Bills"}), r"dev\.jsonl:2: field 'answers'"),
        (json.dumps({**GOOD, "answers": ["Bills", 3]}), r"dev\.jsonl:2: field 'answers\.1'"),
        (json.dumps({**GOOD, "as_of": "Jan 5"}), r"dev\.jsonl:2: field 'as_of'"),
        (json.dumps({**GOOD, "answers": []}), r"dev\.jsonl:2: field 'answers' is empty"),
        (json.dumps({**GOOD, "question": "  "}), r"dev\.jsonl:2: field 'question' is empty"),
    ],
)
def test_bad_line_names_file_line_and_field(tmp_path, line, message):
    path = write_lines(tmp_path / "dev.jsonl", [json.dumps(GOOD), line])
    with pytest.raises(DatasetError, match=message):
        load_dataset(path)


def test_unanswerable_question_may_have_no_answers(tmp_path):
    row = {"question": "Who won in 2031?", "answers": [], "evidence": [], "answerable": False}
    path = write_lines(tmp_path / "dev.jsonl", [json.dumps(row)])
    assert load_dataset(path).questions[0].kind == "unanswerable"


def test_missing_or_empty_file(tmp_path):
    with pytest.raises(DatasetError, match="no such dataset"):
        load_dataset(tmp_path / "nope.jsonl")
    with pytest.raises(DatasetError, match="no questions"):
        load_dataset(write_lines(tmp_path / "empty.jsonl", [""]))
