"""What a cold `newsdesk ask` imports: only what the chosen backends need.

Every ``newsdesk ask`` is a fresh process, so each library it imports is paid on
every question (torch alone ~1.5 s). These tests run the real command in a
subprocess and look at ``sys.modules`` afterwards; they measure no time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from index import NewsIndex
from index.embedding import load_embedder
from index.onnx_embedding import cpu_quant_config
from index.settings import DEFAULT_EMBEDDING_MODEL

#: Libraries the default (onnx-int8 embedder, extractive answerer, ONNX reader) ask
#: must not load: torch and its model libraries, ingestion-only dedup, the LLM stack,
#: chromadb's Python client (an embedded store is read through its Rust core,
#: index/chroma_reader.py) and spaCy's command line (typer, weasel; qa/nlp.py).
NOT_ON_THE_ONNX_PATH = (
    "torch",
    "transformers",
    "sentence_transformers",
    "datasketch",
    "scipy",
    "langchain_core",
    "chromadb",
    "spacy.cli",
    "typer",
    "weasel",
)
#: What `newsdesk --help` must not load: it lists commands, it answers nothing.
NOT_FOR_HELP = ("chromadb", "chromadb_rust_bindings", "spacy", "onnxruntime", "torch")

RUN_AND_LIST_MODULES = textwrap.dedent(
    """
    import json
    import sys
    from qa.cli import main

    argv, names = json.loads(sys.argv[1]), sys.argv[2:]
    try:
        main(argv)
    except SystemExit as done:
        if done.code:
            raise
    print("LOADED", sorted(name for name in names if name in sys.modules))
    """
)


ASK = json.dumps(["ask", "Who guards the Qamishli base?"])


@pytest.mark.skipif(cpu_quant_config() is None, reason="CPU without avx2: no onnx-int8")
def test_onnx_ask_answers_without_importing_torch(seed_index: NewsIndex) -> None:
    # The int8 export is built here if this session has none yet (building it needs
    # torch); the command below must only load it.
    load_embedder(DEFAULT_EMBEDDING_MODEL, backend="onnx-int8").encode(["build the export"])
    env = {
        **os.environ,
        "NEWSDESK_STORE_DIR": str(seed_index.settings.store_dir),
        "NEWSDESK_EMBEDDING_BACKEND": "onnx-int8",
        "NEWSDESK_READER_BACKEND": "onnx",
        "HF_HUB_OFFLINE": "1",
    }
    proc = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, ASK, *NOT_ON_THE_ONNX_PATH],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "SDF" in proc.stdout and "Sources:" in proc.stdout
    assert proc.stdout.strip().endswith("LOADED []"), proc.stdout


def test_help_loads_no_model_or_store_library() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, json.dumps(["--help"]), *NOT_FOR_HELP],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "ask" in proc.stdout and proc.stdout.strip().endswith("LOADED []"), proc.stdout
