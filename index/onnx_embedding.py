"""The onnx-int8 embedding backend: the same model, int8-quantized, run by ONNX Runtime.

On this project's 2-core CPUs it embeds ~1.5× faster than PyTorch (README,
"Embedding backends"). Its vectors stay within cosine 0.98 of the PyTorch ones
(mean ~0.99), so an index records only the model name, never the backend:
stores built by either backend can be searched and extended by the other.

It reproduces what sentence-transformers does for models made of a Transformer,
a mean Pooling and optionally a Normalize module: the model's own fast
tokenizer (its ``tokenizer.json``, run by the ``tokenizers`` library, so neither
torch nor transformers is imported) with the same truncation (``max_seq_length``)
and the same token counting, batches sorted by length to avoid padding, attention-mask mean pooling
and L2 normalisation in numpy. Activations are quantized with one scale per
batch, so a text's vector shifts slightly (cosine > 0.98) with its batch-mates;
searches do not notice. Other models (CLS pooling, Dense layers...) are not
supported here; ``resolve_backend`` sends them to PyTorch.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from index.embedding import Embedder, model_location
from index.errors import ConfigError, ModelNotFound
from index.onnx_export import QUANT_CONFIGS, QuantConfig, default_cache_root, ensure_export

log = logging.getLogger(__name__)

#: The fast tokenizer's file in a transformer folder (what ``tokenizers`` loads).
TOKENIZER_FILE = "tokenizer.json"

_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"


def cpu_quant_config() -> QuantConfig | None:
    """The quantization config this CPU runs fast, or None (int8 would not pay off)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux: no cheap flag probe, stay on PyTorch
        return None
    flags = set(next((ln for ln in text.splitlines() if ln.startswith("flags")), "").split())
    for name in ("avx512_vnni", "avx2"):
        if name in flags:
            return QUANT_CONFIGS[name]
    return None


def unsupported_reason(model_dir: Path) -> str | None:
    """Why the model's module stack differs from Transformer → mean Pooling (→ Normalize)."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text())
    except (OSError, ValueError):
        return f"{model_dir} has no readable modules.json (not a sentence-transformers folder)"
    types = [m.get("type") for m in modules]
    if types not in ([_TRANSFORMER, _POOLING], [_TRANSFORMER, _POOLING, _NORMALIZE]):
        return f"its modules are {types}; only Transformer → Pooling (→ Normalize) is supported"
    pooling = json.loads((model_dir / modules[1]["path"] / "config.json").read_text())
    modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode") and v is True)
    if modes != ["pooling_mode_mean_tokens"]:
        return f"its pooling is {modes}; only mean pooling is supported"
    if not (model_dir / modules[0]["path"] / TOKENIZER_FILE).is_file():
        return f"it has no {TOKENIZER_FILE} (a fast tokenizer is needed)"
    return None


def resolve_backend(requested: str, name: str) -> str:
    """``torch`` or ``onnx-int8`` for a setting value (``auto``/``torch``/``onnx-int8``).

    Raises:
        ConfigError / ModelNotFound: ``onnx-int8`` was asked for but cannot run here.
    """
    if requested == "torch":
        return "torch"
    problem = _onnx_problem(name)
    if problem is None:
        return "onnx-int8"
    if requested == "onnx-int8":
        kind = ModelNotFound if "not installed" in problem else ConfigError
        raise kind(
            f"NEWSDESK_EMBEDDING_BACKEND=onnx-int8 cannot run {name!r}: {problem} — set "
            "NEWSDESK_EMBEDDING_BACKEND=torch (or auto, which falls back to torch by itself)"
        )
    log.warning("embedding with PyTorch, not onnx-int8: %s", problem)
    return "torch"


def _onnx_problem(name: str) -> str | None:
    for package in ("onnxruntime", "onnx"):
        if importlib.util.find_spec(package) is None:
            return f"the {package} package is not installed (run `make install`)"
    if cpu_quant_config() is None:
        return "this CPU has neither avx2 nor avx512_vnni, where int8 would be faster"
    folder = model_location(name)
    if folder is None:
        return "the model is not a local folder or an offline-cached download"
    reason = unsupported_reason(folder)
    return f"{name!r} is not supported: {reason}" if reason else None


class OnnxInt8Embedder(Embedder):
    """A sentence-transformers model run by ONNX Runtime with int8 weights, loaded lazily."""

    def __init__(self, name: str, batch_size: int = 32, cache_dir: Path | None = None) -> None:
        self.name = name
        self.batch_size = batch_size
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_root()
        self._load_lock = threading.Lock()
        self._session = None

    @cached_property
    def _folder(self) -> Path:
        folder = model_location(self.name)
        reason = "not found offline" if folder is None else unsupported_reason(folder)
        if folder is None or reason:
            raise ConfigError(f"onnx-int8 cannot embed with {self.name!r}: {reason}")
        return folder

    @cached_property
    def _modules(self) -> list[dict]:
        return json.loads((self._folder / "modules.json").read_text())

    @cached_property
    def _transformer_dir(self) -> Path:
        return self._folder / self._modules[0]["path"]

    @cached_property
    def _st_config(self) -> dict:
        path = self._transformer_dir / "sentence_bert_config.json"
        return json.loads(path.read_text()) if path.exists() else {}

    @property
    def _tokenizer_file(self) -> Path:
        return self._transformer_dir / TOKENIZER_FILE

    @cached_property
    def _counter(self):  # -> tokenizers.Tokenizer without truncation or padding
        # The tokenizers library, not transformers: importing transformers costs ~1.5 s
        # of every cold `newsdesk ask`; the file is the same fast tokenizer it would load.
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self._tokenizer_file))
        tokenizer.no_truncation()  # subtle: the file itself says truncate (and pad) to 128
        tokenizer.no_padding()
        return tokenizer

    @cached_property
    def tokenizer(self):  # -> tokenizers.Tokenizer: truncates to max_tokens, pads to the longest
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self._tokenizer_file))
        tokenizer.enable_truncation(self.max_tokens, strategy="longest_first")
        pad = str(self._tokenizer_config.get("pad_token") or "[PAD]")
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad) or 0, pad_token=pad)
        return tokenizer

    @cached_property
    def _tokenizer_config(self) -> dict:
        path = self._transformer_dir / "tokenizer_config.json"
        return json.loads(path.read_text()) if path.exists() else {}

    @property
    def session(self):  # -> onnxruntime.InferenceSession
        with self._load_lock:
            if self._session is None:
                self._session = self._open_session()
        return self._session

    def _open_session(self):
        import onnxruntime as ort
        import psutil

        options = ort.SessionOptions()
        options.intra_op_num_threads = psutil.cpu_count(logical=False) or 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        config = cpu_quant_config() or QUANT_CONFIGS["avx2"]
        # ensure_export checks the cached file's checksum, so a corrupt one is rebuilt.
        path = ensure_export(self.name, self._transformer_dir, config, self.cache_dir)
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    @cached_property
    def dimension(self) -> int:
        # Mean pooling keeps the transformer's width.
        return int(json.loads((self._transformer_dir / "config.json").read_text())["hidden_size"])

    @property
    def max_tokens(self) -> int:
        return int(
            self._st_config.get("max_seq_length")
            or self._tokenizer_config.get("model_max_length")
            or 512
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        session = self.session
        inputs = {i.name for i in session.get_inputs()}
        # As sentence-transformers does: stripped texts, longest first, so batches pad little.
        texts = [str(t).strip() for t in texts]
        if self._st_config.get("do_lower_case"):
            texts = [t.lower() for t in texts]
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            rows = order[start : start + self.batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in rows])
            batch = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
            hidden = session.run(None, {k: v for k, v in batch.items() if k in inputs})[0]
            out[rows] = _mean_pool_normalised(hidden, batch["attention_mask"])
        return out

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def __repr__(self) -> str:
        return f"OnnxInt8Embedder({self.name!r}, batch_size={self.batch_size})"


def _mean_pool_normalised(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average of the real tokens' vectors (padding masked out), scaled to unit length."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
