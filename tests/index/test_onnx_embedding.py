"""The onnx-int8 backend: same vectors and token counts as PyTorch, a reused on-disk export.

One export is shared by the module (it takes ~20 s); its cache folder lives under
pytest's tmp folder, passed as ``cache_dir``, so nothing is written to ~/.cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.embedding import Embedder, load_embedder
from index.errors import ConfigError
from index.loaders.titles import clean_title
from index.news_index import NewsIndex
from index.onnx_embedding import OnnxInt8Embedder, cpu_quant_config, resolve_backend
from index.onnx_export import MODEL_FILE
from index.settings import DEFAULT_EMBEDDING_MODEL, Settings
from tests.index.conftest import corpus_records, write_corpus_folder

pytestmark = pytest.mark.skipif(cpu_quant_config() is None, reason="CPU without avx2")

SENTENCES = [
    "The central bank raised interest rates by a quarter point on Wednesday.",
    "Flooding forced thousands of residents to leave their homes overnight.",
    "The striker scored twice as the home side came back to win 3-2.",
    "Shares of the chipmaker fell 8% after it cut its sales forecast.",
    "Officials said the wildfire was 40 percent contained by Sunday evening.",
    "A new study links poor sleep to a higher risk of heart disease.",
]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_embedder(onnx_cache: Path) -> OnnxInt8Embedder:
    model = OnnxInt8Embedder(DEFAULT_EMBEDDING_MODEL, cache_dir=onnx_cache)
    model.encode(["export once for the module"])
    return model


def exported_file(cache: Path) -> Path:
    (path,) = cache.glob(f"*/{MODEL_FILE}")
    return path


def test_int8_vectors_match_pytorch(onnx_embedder: OnnxInt8Embedder, embedder: Embedder) -> None:
    texts = SENTENCES + [r["body"] for r in corpus_records(4)]  # short and truncated texts
    got, want = onnx_embedder.encode(texts), embedder.encode(texts)
    assert got.shape == want.shape == (len(texts), 384) and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * want).sum(axis=1).min() > 0.98
    # int8 activation scales are per batch, so a text's vector moves a little with its
    # batch-mates — never far from itself alone.
    alone = onnx_embedder.encode(SENTENCES[:1])[0]
    assert float(alone @ got[0]) > 0.98


def test_token_counts_and_limits_match_pytorch(
    onnx_embedder: OnnxInt8Embedder, embedder: Embedder
) -> None:
    texts = SENTENCES + ["", "naïve café — 2,5 % «quoted» 🚀"] + [corpus_records(1)[0]["body"]]
    assert [onnx_embedder.count_tokens(t) for t in texts] == [
        embedder.count_tokens(t) for t in texts
    ]
    assert onnx_embedder.max_tokens == embedder.max_tokens == 256
    assert onnx_embedder.name == embedder.name == DEFAULT_EMBEDDING_MODEL
    assert onnx_embedder.encode([]).shape == (0, 384)


def test_second_load_reuses_the_export(onnx_embedder: OnnxInt8Embedder, onnx_cache: Path) -> None:
    before = exported_file(onnx_cache).stat().st_mtime_ns
    again = OnnxInt8Embedder(DEFAULT_EMBEDDING_MODEL, cache_dir=onnx_cache)
    np.testing.assert_allclose(again.encode(SENTENCES), onnx_embedder.encode(SENTENCES), atol=1e-6)
    assert exported_file(onnx_cache).stat().st_mtime_ns == before


def test_corrupt_cached_export_is_rebuilt(onnx_embedder: OnnxInt8Embedder, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # A copy of the module's export, then damaged, so that only the rebuild costs time.
    source = exported_file(onnx_embedder.cache_dir).parent
    target = cache / source.name
    target.mkdir(parents=True)
    for item in source.iterdir():
        (target / item.name).write_bytes(item.read_bytes())
    damaged = target / MODEL_FILE
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])

    rebuilt = OnnxInt8Embedder(DEFAULT_EMBEDDING_MODEL, cache_dir=cache)
    vectors = rebuilt.encode(SENTENCES)
    np.testing.assert_allclose(vectors, onnx_embedder.encode(SENTENCES), atol=1e-5)
    assert exported_file(cache).stat().st_size == exported_file(source.parent).stat().st_size
    assert json.loads((target / "export.json").read_text())["config"]


def test_onnx_backend_for_an_unsupported_model_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "cls-model"
    (folder / "1_Pooling").mkdir(parents=True)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
    ]
    (folder / "modules.json").write_text(json.dumps(modules))
    pooling = {"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))

    with pytest.raises(ConfigError, match="NEWSDESK_EMBEDDING_BACKEND=torch") as info:
        load_embedder(str(folder), backend="onnx-int8")
    assert "pooling_mode_cls_token" in str(info.value)
    assert resolve_backend("auto", str(folder)) == "torch"  # auto falls back, with a warning
    assert resolve_backend("auto", DEFAULT_EMBEDDING_MODEL) == "onnx-int8"


def test_ingest_and_dense_search_with_the_onnx_backend(
    onnx_embedder: OnnxInt8Embedder, settings: Settings, tmp_path: Path
) -> None:
    folder = write_corpus_folder(tmp_path / "news", 3)
    index = NewsIndex.open(settings, embedder=onnx_embedder)
    try:
        report = index.ingest([folder])
        assert report.articles_added == 3 and not report.errors
        record = corpus_records(1)[0]
        first_paragraph = record["body"].split("\n")[0]
        (chunk_id, score), *_ = index.dense_search(first_paragraph, k=3)
        assert score > 0.7
        (hit,) = index.get_chunks([chunk_id])
        assert hit.title == clean_title(record["title"], record.get("source"))
    finally:
        index.close()
