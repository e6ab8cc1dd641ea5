"""Train, export and load a reader end to end (a tiny run), and the shipped reader itself."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from index.errors import ModelNotFound
from qa.reading.calibrate import fit_logistic
from qa.reading.reader import SHIPPED, Calibration, Reader
from tests.conftest import SEEDS
from tests.index.conftest import VENV_BIN

TEXTS = [
    "The base near the airport is guarded by SDF fighters, a spokesman said.",
    "Russian troops left the airport in December after the offensive.",
    "A ceasefire is now in place and largely maintained.",
]
QUESTION = "Who guards the base near the airport?"


def newsdesk(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(VENV_BIN / "newsdesk"), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


@pytest.fixture(scope="module")
def tiny_reader(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reader trained for 2 steps on the seed article, as a user runs `reader train`."""
    out = tmp_path_factory.mktemp("reader") / "my-reader"
    done = newsdesk(
        "reader", "train", str(SEEDS), "--out", str(out), "--groups", "24", "--steps", "2", "--json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["groups"] > 0 and report["articles"] == len(list(SEEDS.glob("*.txt")))
    return out


def test_a_trained_reader_answers_through_the_cli(tiny_reader, tmp_path):
    store = {"NEWSDESK_STORE_DIR": str(tmp_path / "store")}
    assert newsdesk("ingest", str(SEEDS), **store).returncode == 0
    asked = newsdesk(
        "ask", "Who guards the base?", "--json", NEWSDESK_READER_MODEL=str(tiny_reader), **store
    )
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert 0.0 <= answer["confidence"] <= 1.0
    missing = newsdesk(
        "ask", "Who guards the base?", NEWSDESK_READER_MODEL=str(tmp_path / "nope"), **store
    )
    assert missing.returncode == 4
    assert "NEWSDESK_READER_MODEL" in missing.stderr and "Traceback" not in missing.stderr


def test_training_on_nothing_is_a_clear_error(tmp_path):
    done = newsdesk("reader", "train", str(tmp_path / "absent"), "--out", str(tmp_path / "r"))
    assert done.returncode != 0
    assert "absent" in done.stderr and "Traceback" not in done.stderr


def test_a_trained_folder_holds_what_the_reader_loads(tiny_reader):
    meta = json.loads((tiny_reader / "reader.json").read_text())
    assert meta["calibration"]["a"] > 0 and 0 < meta["threshold"] < 1
    assert meta["build"]["groups"] > 0
    assert (tiny_reader / "model_int8.onnx").stat().st_size < 40 * 2**20
    assert (tiny_reader / "groups.jsonl").read_text().count("\n") == meta["build"]["groups"]


def test_onnx_int8_and_pytorch_agree(tiny_reader):
    onnx = Reader(tiny_reader, backend="onnx").read(QUESTION, TEXTS)
    torch = Reader(tiny_reader, backend="torch").read(QUESTION, TEXTS)
    rel_onnx = np.array([r.relevance for r in onnx])
    rel_torch = np.array([r.relevance for r in torch])
    assert np.abs(rel_onnx - rel_torch).max() < 0.25
    assert np.corrcoef(rel_onnx, rel_torch)[0, 1] > 0.9 or np.ptp(rel_torch) < 0.05


def test_spans_are_exact_whole_word_slices_inside_one_sentence(tiny_reader):
    text = " ".join(TEXTS)
    bounds = []
    pos = 0
    for t in TEXTS:
        bounds.append((pos, pos + len(t)))
        pos += len(t) + 1
    [reading] = Reader(tiny_reader).read(QUESTION, [text], [bounds])
    start, end = reading.span
    assert any(s <= start < end <= e for s, e in bounds)
    assert text[start:end] == text[start:end].strip() and text[start:end]
    assert not text[start - 1].isalnum() if start else True
    assert end == len(text) or not text[end].isalnum()


def test_calibration_is_monotone():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=400)
    right = rng.random(400) < 1 / (1 + np.exp(-2 * scores))
    calibration = fit_logistic(scores, right)
    assert 1.0 < calibration.a < 3.5
    values = [calibration(s) for s in np.linspace(-5, 5, 50)]
    assert all(b >= a for a, b in itertools.pairwise(values))
    assert values[0] < 0.05 and values[-1] > 0.95


def test_a_missing_reader_folder_says_what_to_do(tmp_path):
    with pytest.raises(ModelNotFound, match="NEWSDESK_READER_MODEL"):
        Reader(tmp_path)


def test_the_shipped_reader_is_small_and_documented():
    meta = json.loads((SHIPPED / "reader.json").read_text())
    assert (SHIPPED / "model_int8.onnx").stat().st_size <= 40 * 2**20
    assert (SHIPPED / "tokenizer.json").is_file()
    card = (SHIPPED.parent / "MODEL.md").read_text()
    for needed in ("all-MiniLM-L6-v2", "Apache", "2023-03-01", "newsdesk reader train"):
        assert needed in card
    assert meta["build"]["groups"] >= 1000


def test_the_shipped_reader_ranks_the_answering_sentence_first():
    readings = Reader(SHIPPED).read(QUESTION, TEXTS)
    assert max(range(3), key=lambda i: readings[i].score) == 0
    start, end = readings[0].span
    assert "SDF" in TEXTS[0][start:end]
    assert isinstance(Calibration()(0.0), float)
