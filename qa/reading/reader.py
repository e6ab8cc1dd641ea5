"""Run the trained reader: how well each text answers a question, and where the answer is.

Loads a reader folder (the shipped ``qa/reading/model/`` or one written by
``newsdesk reader train``): ``reader.json`` (lengths, calibration, threshold),
``tokenizer.json`` and ``model_int8.onnx`` for ONNX Runtime, or ``torch/`` for the
PyTorch fallback. Results are cached per (question, text), so the reranker's pass
over the top passages is the answerer's reading too: one encoder pass for both.
"""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import ModelNotFound
from qa.reading.encoding import TOKENIZER_FILE, Batch, encode

#: The reader trained for newsdesk and shipped in the repository (see MODEL.md there).
SHIPPED = Path(__file__).parent / "model"
META_FILE = "reader.json"
ONNX_FILE = "model_int8.onnx"
#: Longest answer phrase, in tokens.
MAX_SPAN_TOKENS = 16
_BATCH = 16


@dataclass(frozen=True)
class Reading:
    """The reader's verdict on one text: ``span`` is (start, end) into that text."""

    relevance: float  # logit: does the text answer the question
    span: tuple[int, int] | None
    span_score: float  # start + end logit of ``span``

    @property
    def score(self) -> float:
        """One number to rank answers by (the calibration's input)."""
        return self.relevance + 0.25 * self.span_score


@dataclass(frozen=True)
class Calibration:
    """``confidence = sigmoid(a * score + b)``, fit on held-out generated questions."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, score: float) -> float:
        z = self.a * score + self.b
        if z < 0:  # the stable form on both sides: exp() of a large positive z overflows
            e = math.exp(z)
            return e / (1.0 + e)
        return 1.0 / (1.0 + math.exp(-z))


class Reader:
    """A trained reader folder, run with ONNX Runtime (int8) or PyTorch."""

    def __init__(self, folder: Path = SHIPPED, backend: str = "auto", cache_size: int = 4096):
        self.folder = Path(folder)
        meta_path = self.folder / META_FILE
        if not meta_path.is_file():
            raise ModelNotFound(
                f"no reader at {self.folder} ({META_FILE} is missing) — point "
                "NEWSDESK_READER_MODEL at a folder written by `newsdesk reader train`, or unset it"
            )
        self.meta = json.loads(meta_path.read_text())
        self.max_length = int(self.meta["max_length"])
        self.calibration = Calibration(**self.meta.get("calibration", {}))
        self.threshold = float(self.meta.get("threshold", 0.5))
        self.tokenizer_file = self.folder / TOKENIZER_FILE
        self.backend = self._pick(backend)
        self._run = None
        self._cache: OrderedDict[tuple[str, str, tuple], Reading] = OrderedDict()
        self._cache_size = cache_size

    def _pick(self, backend: str) -> str:
        has_onnx = (self.folder / ONNX_FILE).is_file()
        has_torch = (self.folder / "torch").is_dir()
        if backend == "onnx" or (backend == "auto" and has_onnx):
            if not has_onnx:
                raise ModelNotFound(
                    f"{self.folder / ONNX_FILE} is missing — run `newsdesk reader train`"
                )
            return "onnx"
        if not has_torch:
            raise ModelNotFound(f"{self.folder} has no torch/ weights — use the onnx backend")
        return "torch"

    def confidence(self, reading: Reading) -> float:
        """Calibrated probability that ``reading``'s span is a right answer."""
        return self.calibration(reading.score)

    def read(
        self,
        question: str,
        texts: Sequence[str],
        sentences: Sequence[Sequence[tuple[int, int]]] | None = None,
    ) -> list[Reading]:
        """One ``Reading`` per text; ``sentences`` (offsets into each text) keep a span
        inside one sentence, so the quote that proves it is that sentence."""
        bounds = [tuple(map(tuple, s)) for s in sentences] if sentences else [()] * len(texts)
        keys = [(question, t, b) for t, b in zip(texts, bounds, strict=True)]
        todo = sorted({k for k in keys if k not in self._cache}, key=lambda k: len(k[1]))
        for i in range(0, len(todo), _BATCH):
            chunk = todo[i : i + _BATCH]
            batch = encode(self.tokenizer_file, self.max_length, question, [k[1] for k in chunk])
            relevance, start, end = self._forward(batch)
            for r, key in enumerate(chunk):
                self._remember(
                    key, _decode(key[1], key[2], batch, r, relevance[r], start[r], end[r])
                )
        out = []
        for k in keys:
            self._cache.move_to_end(k)
            out.append(self._cache[k])
        return out

    def _remember(self, key, reading: Reading) -> None:
        self._cache[key] = reading
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _forward(self, batch: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._run is None:
            self._run = (
                _onnx_runner(self.folder / ONNX_FILE)
                if self.backend == "onnx"
                else _torch_runner(self.folder / "torch")
            )
        return self._run(batch)


def _onnx_runner(path: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(batch: Batch):
        rel, start, end = session.run(
            None,
            {
                "input_ids": batch.input_ids,
                "attention_mask": batch.attention_mask,
                "token_type_ids": batch.token_type_ids,
            },
        )
        return rel, start, end

    return run


def _torch_runner(folder: Path):
    import torch

    from qa.reading.model import ReaderModel

    model = ReaderModel.load(folder)

    def run(batch: Batch):
        with torch.inference_mode():
            out = model(
                torch.from_numpy(batch.input_ids),
                torch.from_numpy(batch.attention_mask),
                torch.from_numpy(batch.token_type_ids),
            )
        return tuple(o.numpy() for o in out)

    return run


def _decode(text, bounds, batch: Batch, row: int, relevance, start, end) -> Reading:
    """The best (first, last) token pair inside the text, as character offsets."""
    offsets = batch.offsets[row]
    ctx = np.flatnonzero(batch.context[row])
    # A span starts and ends on whole words (never on a "##piece" of one)
    ctx = np.array([i for i in ctx if offsets[i][1] > offsets[i][0]], dtype=np.int64)
    if ctx.size == 0:
        return Reading(float(relevance), None, 0.0)
    starts = np.array([_word_start(text, offsets[i][0]) for i in ctx])
    ends = np.array([_word_end(text, offsets[i][1]) for i in ctx])
    word_start = starts == np.array([offsets[i][0] for i in ctx])
    sentence = _sentence_ids([offsets[i][0] for i in ctx], bounds)
    s = np.where(word_start, start[ctx], -1e9)
    e = end[ctx]
    pair = s[:, None] + e[None, :]
    n = ctx.size
    i, j = np.indices((n, n))
    allowed = (j >= i) & (j - i < MAX_SPAN_TOKENS) & (sentence[:, None] == sentence[None, :])
    pair = np.where(allowed, pair, -1e9)
    best = int(np.argmax(pair))
    a, b = divmod(best, n)
    lo, hi = int(starts[a]), int(ends[b])
    phrase = text[lo:hi]
    stripped = phrase.strip(" ,;:.\"'“”‘’()")
    lo += phrase.find(stripped) if stripped else 0
    hi = lo + len(stripped) if stripped else hi
    return Reading(float(relevance), (lo, hi), float(pair[a, b]))


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1].isalnum():
        pos -= 1
    return pos


def _word_end(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isalnum():
        pos += 1
    return pos


def _sentence_ids(starts: list[int], bounds) -> np.ndarray:
    if not bounds:
        return np.zeros(len(starts), dtype=np.int64)
    ids = []
    for pos in starts:
        found = len(bounds)  # past every sentence: its own group
        for k, (s, e) in enumerate(bounds):
            if s <= pos < e:
                found = k
                break
        ids.append(found)
    return np.array(ids)
