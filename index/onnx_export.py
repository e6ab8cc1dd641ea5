"""Export a sentence-transformers encoder to an int8 ONNX file, once, cached on disk.

The onnx-int8 embedding backend (``index/onnx_embedding.py``) needs the model's
transformer as an ONNX graph with int8 weights. Building it takes ~10-20 s, so it
is done once per (model files, quantization config, exporter and runtime
versions) and kept in a per-user cache folder
(``$XDG_CACHE_HOME/newsdesk/onnx``, default ``~/.cache/newsdesk/onnx``). Two
processes starting at once must not both write it: the build runs under a file
lock, into a temporary folder renamed into place when complete. A cached file
whose checksum no longer matches is rebuilt rather than trusted. Checksums are
remembered in ``.digests/`` under each file's size and mtime, so a warm start
re-hashes nothing; nothing here imports torch unless an export is built.

Route: ``torch.onnx.export`` (TorchScript exporter, dynamic batch and sequence
axes) → ONNX Runtime's BERT graph fusions when the model is a BERT →
``onnxruntime.quantization.quantize_dynamic`` (int8 weights, per channel).
No optimum, so sentence-transformers and transformers keep their versions.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from filelock import FileLock

log = logging.getLogger(__name__)

#: Bump when the export route changes, so old cached files are not reused.
EXPORT_VERSION = "1"
MODEL_FILE = "model_int8.onnx"
_META_FILE = "export.json"
#: Remembered file hashes (``_file_sha256``), one small JSON file per hashed file.
_DIGESTS_DIR = ".digests"


@dataclass(frozen=True)
class QuantConfig:
    """``quantize_dynamic`` options; named after the CPU feature they were measured on."""

    name: str
    per_channel: bool
    reduce_range: bool


#: Measured on all-MiniLM-L6-v2 (README, "Embedding backends"): int8 weights with one
#: scale per output channel keep cosine to PyTorch ≥ 0.98 on every chunk; one scale per
#: tensor fell to 0.91, reduce_range to 0.98 min for ~5 % speed, and uint8 weights
#: (optimum's avx2 choice) were slower and no closer. So both configs share options.
QUANT_CONFIGS = {
    "avx512_vnni": QuantConfig("avx512_vnni", per_channel=True, reduce_range=False),
    "avx2": QuantConfig("avx2", per_channel=True, reduce_range=False),
}


def default_cache_root() -> Path:
    """Per-user cache: ``$XDG_CACHE_HOME/newsdesk/onnx`` (platformdirs' rule per OS)."""
    return Path(platformdirs.user_cache_dir("newsdesk")) / "onnx"


def files_digest(folder: Path, memo: Path | None = None) -> str:
    """SHA-256 over every file of the model folder (names and bytes), so edits re-export.

    ``memo``: a folder where each file's hash is remembered (see ``_file_sha256``).
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(_file_sha256(path, memo).encode())
    return digest.hexdigest()


def _file_sha256(path: Path, memo: Path | None) -> str:
    """The file's SHA-256, remembered in ``memo`` under its size and mtime.

    The way make and git judge a file unchanged: a file whose size or mtime moved is
    hashed again. Re-hashing the 90 MB of all-MiniLM-L6-v2 and the 23 MB export
    would otherwise cost every cold `newsdesk ask` ~0.2 s.
    """
    if memo is None:
        return _sha256(path)
    info = path.stat()
    stamp = [str(path.resolve()), info.st_size, info.st_mtime_ns]
    note = memo / (hashlib.sha256(stamp[0].encode()).hexdigest()[:24] + ".json")
    try:
        remembered = json.loads(note.read_text())
        if remembered["stamp"] == stamp:
            return remembered["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not remembered yet, or unreadable: hash it
    value = _sha256(path)
    _write_atomically(note, json.dumps({"stamp": stamp, "sha256": value}))
    return value


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that a concurrent reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(text)
    Path(tmp.name).replace(path)


def _version(package: str) -> str:
    """An installed package's version, read from its metadata (importing torch costs ~1.5 s)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def export_folder(model_name: str, transformer_dir: Path, config: QuantConfig, root: Path) -> Path:
    """The cache folder for this model + files + config + runtime (not created here)."""
    key = hashlib.sha256(
        "|".join(
            [
                model_name,
                files_digest(transformer_dir, root / _DIGESTS_DIR),
                config.name,
                str(config.per_channel),
                str(config.reduce_range),
                _version("onnxruntime"),
                _version("torch"),
                EXPORT_VERSION,
            ]
        ).encode()
    ).hexdigest()[:16]
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name)[-60:]
    return root / f"{slug}-{key}"


def ensure_export(model_name: str, transformer_dir: Path, config: QuantConfig, root: Path) -> Path:
    """Path of a verified int8 ONNX file for the model, exporting it first if needed."""
    folder = export_folder(model_name, transformer_dir, config, root)
    root.mkdir(parents=True, exist_ok=True)
    if _verified(folder, root / _DIGESTS_DIR):
        return folder / MODEL_FILE
    with FileLock(str(folder) + ".lock"):
        if _verified(folder, root / _DIGESTS_DIR):  # another process finished it meanwhile
            return folder / MODEL_FILE
        if folder.exists():
            log.warning("cached ONNX export %s is incomplete or corrupt; rebuilding it", folder)
            shutil.rmtree(folder)
        with tempfile.TemporaryDirectory(dir=root, prefix=".building-") as tmp:
            build = Path(tmp) / "export"
            build.mkdir()
            log.warning("exporting %s to int8 ONNX in %s (once, ~20 s)", model_name, folder)
            with warnings.catch_warnings():  # tracer chatter about shapes it specializes
                warnings.simplefilter("ignore")
                _export(transformer_dir, config, build)
            build.rename(folder)
    log.info("exported %s to %s", model_name, folder / MODEL_FILE)
    return folder / MODEL_FILE


def _verified(folder: Path, memo: Path | None = None) -> bool:
    """True when the folder holds a complete export whose bytes match its recorded checksum."""
    try:
        meta = json.loads((folder / _META_FILE).read_text())
        return _file_sha256(folder / MODEL_FILE, memo) == meta["sha256"]
    except (OSError, ValueError, KeyError):
        return False


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _export(transformer_dir: Path, config: QuantConfig, out: Path) -> None:
    """fp32 ONNX → (BERT fusions) → int8, written into ``out`` with its checksum."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    # Eager attention: SDPA decides at trace time whether the mask can be dropped,
    # which would bake "no padding" into the graph.
    model = AutoModel.from_pretrained(str(transformer_dir), attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(str(transformer_dir))
    example = tokenizer(
        ["a padded example", "a longer example sentence for tracing"],
        padding=True,
        return_tensors="pt",
    )
    names = [n for n in tokenizer.model_input_names if n in example]

    class LastHidden(torch.nn.Module):
        """Positional inputs in ``names`` order → token embeddings (what pooling needs)."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state

    bert = model.config if model.config.model_type == "bert" else None
    int8 = out / MODEL_FILE
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    write_int8(LastHidden(), tuple(example[n] for n in names), names, axes, int8, config, bert)
    (out / _META_FILE).write_text(
        json.dumps({"sha256": _sha256(int8), "config": config.name, "inputs": names})
    )


def write_int8(
    module,
    example: tuple,
    input_names: list[str],
    axes: dict[str, dict[int, str]],
    int8: Path,
    config: QuantConfig,
    bert_config=None,
) -> None:
    """Trace ``module`` to ONNX with the dynamic ``axes`` of each named input and
    output, fuse BERT nodes when ``bert_config`` is given, write int8 weights to ``int8``.

    Shared by the embedder export here and the reader export (``qa.reading.export``).
    """
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = int8.with_suffix(".fp32.onnx")
    with torch.no_grad():
        torch.onnx.export(
            module,
            example,
            str(fp32),
            dynamo=False,
            input_names=input_names,
            output_names=[n for n in axes if n not in input_names],
            dynamic_axes=axes,
            opset_version=17,
        )
    if bert_config is not None:
        # Fused Attention/LayerNorm/Gelu nodes quantize to faster int8 kernels (~10 %).
        from onnxruntime.transformers.optimizer import optimize_model

        fused = optimize_model(
            str(fp32),
            model_type="bert",
            num_heads=bert_config.num_attention_heads,
            hidden_size=bert_config.hidden_size,
            opt_level=1,
        )
        fused.save_model_to_file(str(fp32))
    logging.disable(logging.WARNING)  # quantize_dynamic's root-logger advice is noise here
    try:
        quantize_dynamic(
            str(fp32),
            str(int8),
            weight_type=QuantType.QInt8,
            per_channel=config.per_channel,
            reduce_range=config.reduce_range,
            # Fused nodes come from the com.microsoft domain; shape inference can't type them.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        logging.disable(logging.NOTSET)
    fp32.unlink()
