"""Export a trained reader (``torch/``) to the int8 ONNX file the answerer runs.

Same route as the embedder (``index.onnx_export.write_int8``): TorchScript trace with
dynamic batch and sequence axes, BERT node fusion, dynamic int8 quantisation with one
scale per output channel. Three outputs: ``relevance`` [batch], ``start``/``end``
[batch, sequence].
"""

from __future__ import annotations

import warnings
from pathlib import Path

from index.onnx_export import QUANT_CONFIGS, write_int8
from qa.reading.encoding import encode
from qa.reading.reader import ONNX_FILE

INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def export_onnx(model, folder: Path, tokenizer_file: Path, max_length: int) -> Path:
    """Write ``folder/model_int8.onnx`` for ``model`` (a ``ReaderModel``) and return it."""
    import torch

    batch = encode(
        tokenizer_file,
        max_length,
        "who signed the deal?",
        ["a short text", "the deal was signed by the two ministers on friday"],
    )
    example = tuple(torch.from_numpy(getattr(batch, n)) for n in INPUTS)
    axes = {n: {0: "batch", 1: "sequence"} for n in INPUTS}
    axes |= {"relevance": {0: "batch"}, "start": {0: "batch", 1: "sequence"}}
    axes |= {"end": {0: "batch", 1: "sequence"}}
    out = folder / ONNX_FILE
    with warnings.catch_warnings():  # tracer chatter about shapes it specializes
        warnings.simplefilter("ignore")
        write_int8(
            model.eval(),
            example,
            INPUTS,
            axes,
            out,
            QUANT_CONFIGS["avx512_vnni"],
            model.encoder.config,
        )
    return out
