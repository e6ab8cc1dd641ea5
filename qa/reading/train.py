"""Fine-tune the reader on generated groups (``qa.reading.pairs``), reproducibly on a CPU.

Loss per batch of groups, all from one encoder pass:
- listwise: softmax over a group's windows, the answering one as the target (ranking);
- pointwise: binary cross-entropy per window (an absolute score, so refusal works);
- span: cross-entropy of the answer's first and last token over the window's tokens.
Seeds are fixed and the data order is the builder's, so a run is repeatable.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.reading.encoding import encode_pairs, token_span
from qa.reading.pairs import Group

ProgressFn = Callable[[int, int, float], None]  # (step, steps, loss)


@dataclass(frozen=True)
class TrainConfig:
    """Training settings; the defaults are the shipped model's (qa/reading/MODEL.md)."""

    steps: int = 1000
    groups_per_batch: int = 6
    lr: float = 6e-5
    warmup: float = 0.06
    max_length: int = 160
    seed: int = 0
    threads: int = 2


def _batch_pairs(groups: Sequence[Group]):
    """Flatten groups into pairs with relevance labels, answer spans and group slices."""
    pairs, labels, spans, slices = [], [], [], []
    for g in groups:
        first = len(pairs)
        windows = ([g.positive] if g.positive else []) + list(g.negatives)
        for w in windows:
            pairs.append((g.question, w.text))
            labels.append(1.0 if w is g.positive else 0.0)
            spans.append(w.answer if w is g.positive else None)
        slices.append((first, len(pairs), g.positive is not None))
    return pairs, labels, spans, slices


def batch_loss(model, groups: Sequence[Group], tokenizer_file: Path, max_length: int):
    """The combined loss of one batch of groups (a torch scalar)."""
    import torch
    import torch.nn.functional as F

    pairs, labels, spans, slices = _batch_pairs(groups)
    enc = encode_pairs(tokenizer_file, max_length, pairs)
    relevance, start, end = (
        out.float()
        for out in model(
            torch.from_numpy(enc.input_ids),
            torch.from_numpy(enc.attention_mask),
            torch.from_numpy(enc.token_type_ids),
        )
    )
    target = torch.tensor(labels)
    loss = F.binary_cross_entropy_with_logits(relevance, target)
    ranked = [relevance[a:b] for a, b, has in slices if has and b - a > 1]
    if ranked:
        loss = loss + sum(
            F.cross_entropy(r[None], torch.zeros(1, dtype=torch.long)) for r in ranked
        ) / len(ranked)
    context = torch.from_numpy(enc.context)
    span_rows, firsts, lasts = [], [], []
    for r, span in enumerate(spans):
        if span is None:
            continue
        tokens = token_span(enc.offsets[r], enc.context[r], *span)
        if tokens is not None:
            span_rows.append(r)
            firsts.append(tokens[0])
            lasts.append(tokens[1])
    if span_rows:
        rows = torch.tensor(span_rows)
        masked = ~context[rows]
        s = start[rows].masked_fill(masked, -1e4)
        e = end[rows].masked_fill(masked, -1e4)
        loss = (
            loss
            + (F.cross_entropy(s, torch.tensor(firsts)) + F.cross_entropy(e, torch.tensor(lasts)))
            / 2
        )
    return loss


def train(
    groups: Sequence[Group],
    base_dir: Path,
    tokenizer_file: Path,
    out: Path,
    config: TrainConfig = TrainConfig(),
    progress: ProgressFn | None = None,
):
    """Train a reader from the encoder in ``base_dir`` on ``groups``; save it to ``out``.

    Returns the trained ``ReaderModel`` (also saved under ``out/torch``).
    """
    import torch

    from qa.reading.model import ReaderModel

    torch.manual_seed(config.seed)
    np.random.seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    train_groups = [g for g in groups if not g.heldout]
    if not train_groups:
        raise ValueError("no training groups: the archive gave no usable questions")
    model = ReaderModel.from_base(base_dir).train()
    # The word-embedding table is half the weights and its dense update a fifth of each
    # step's time; the encoder layers above it adapt well without moving it
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.lr, weight_decay=0.01)
    warm = max(1, int(config.steps * config.warmup))

    def schedule(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, config.steps - warm))))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    order: list[Group] = []
    smoothed = None
    for step in range(config.steps):
        if len(order) < config.groups_per_batch:
            more = list(train_groups)
            rng.shuffle(more)
            order.extend(more)
        batch, order = order[: config.groups_per_batch], order[config.groups_per_batch :]
        # bf16 matrix products (AMX / avx512_bf16 where the CPU has them; measured 1.4-1.7x
        # faster per step here), fp32 weights and optimiser state
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = batch_loss(model, batch, tokenizer_file, config.max_length)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        value = loss.item()
        smoothed = value if smoothed is None else 0.95 * smoothed + 0.05 * value
        if progress:
            progress(step + 1, config.steps, smoothed)
    model.eval()
    model.save(out / "torch")
    return model
