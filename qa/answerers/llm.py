"""The ``llm`` answerer: any LangChain chat model writes the cited draft.

The model comes from ``settings.llm``, a LangChain ``init_chat_model`` id
(``openai:gpt-4o-mini``, ``anthropic:claude-3-5-haiku-latest``,
``ollama:llama3.1`` — the provider's ``langchain-*`` package must be
installed), or from an OpenAI-compatible server at ``settings.llm_base_url``
(llama.cpp's server, vLLM, Ollama's ``/v1``, LM Studio…) serving the model
named ``settings.llm``. Network failures become ``LLMUnavailable`` with what to
check. LangChain is imported only when an ``LLMAnswerer`` is built.

It does not verify citations: ``qa.citations`` checks every ``[n]`` it writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from index.errors import ConfigError, LLMUnavailable
from index.extras import needs_extra
from index.settings import Settings
from qa.answerers.base import Answerer, Draft
from qa.models import Passage
from qa.prompt import answer_messages, condense_messages, parse_condensed, parse_draft

MAX_RETRIES = 1  # one retry for a transient blip; a dead server should fail fast
LOCAL_API_KEY = "not-needed"  # local OpenAI-compatible servers accept any key
_NO_LLM = "use NEWSDESK_ANSWERER=extractive (the default, no LLM)"

# Client libraries whose exceptions mean "the model service failed", not a bug here.
_CLIENT_PACKAGES = {
    "openai",
    "anthropic",
    "httpx",
    "httpcore",
    "requests",
    "ollama",
    "groq",
    "mistralai",
    "google",
    "cohere",
    "together",
    "fireworks",
    "urllib3",
}


class LLMAnswerer(Answerer):
    """Answers with a LangChain chat model, streaming tokens as they arrive.

    Args:
        settings: uses ``llm``, ``llm_base_url`` and ``llm_timeout_s``.
        chat_model: an already built LangChain chat model (skips building one
            from settings; the UI or a user can pass any model this way).
        max_tokens: upper bound on the reply length.
    """

    name = "llm"
    takes_notes = True

    def __init__(self, settings: Settings, chat_model: Any = None, max_tokens: int = 256) -> None:
        self.settings = settings
        self.max_tokens = max_tokens
        self.model = (
            chat_model if chat_model is not None else build_chat_model(settings, max_tokens)
        )

    def draft(self, question: str, passages: Sequence[Passage], notes: Sequence[str] = ()) -> Draft:
        messages = answer_messages(question, passages, notes)
        reply = self._call(lambda: self.model.invoke(messages))
        return parse_draft(reply.text)

    def stream(
        self, question: str, passages: Sequence[Passage], notes: Sequence[str] = ()
    ) -> Iterator[str | Draft]:
        pieces: list[str] = []
        chunks = self.model.stream(answer_messages(question, passages, notes))
        while True:
            chunk = self._call(lambda: next(chunks, None))
            if chunk is None:
                break
            piece = chunk.text
            if piece:
                pieces.append(piece)
                yield piece
        yield parse_draft("".join(pieces))

    def condense(self, question: str, history: Sequence[tuple[str, str]]) -> str | None:
        if not history:
            return None
        reply = self._call(lambda: self.model.invoke(condense_messages(question, history)))
        return parse_condensed(reply.text)

    def _call(self, fn: Any) -> Any:
        """Run one model call, turning service failures into ``LLMUnavailable``."""
        try:
            return fn()
        except Exception as exc:
            if not _is_service_error(exc):
                raise
            raise LLMUnavailable(
                f"the LLM {describe(self.settings)} failed: {type(exc).__name__}: {exc} — "
                "check NEWSDESK_LLM / NEWSDESK_LLM_BASE_URL, that the server is running and "
                "reachable (e.g. `python -m llama_cpp.server --model FILE.gguf --port 8000`), "
                "the provider's API key, or raise NEWSDESK_LLM_TIMEOUT_S"
            ) from exc


def describe(settings: Settings) -> str:
    """Which model and where, for messages."""
    where = f" at {settings.llm_base_url}" if settings.llm_base_url else ""
    return f"{settings.llm!r}{where}"


def build_chat_model(settings: Settings, max_tokens: int) -> Any:
    """The LangChain chat model ``settings`` name, with timeout and bounded retries."""
    if not settings.llm:
        if settings.llm_base_url:
            raise ConfigError(
                f"NEWSDESK_LLM_BASE_URL is {settings.llm_base_url} but NEWSDESK_LLM is not set — "
                "set NEWSDESK_LLM to the model name that server serves"
            )
        raise ConfigError(
            "the llm answerer needs a model — set NEWSDESK_LLM (a LangChain id such as "
            "openai:gpt-4o-mini or ollama:llama3.1), optionally with NEWSDESK_LLM_BASE_URL for "
            "an OpenAI-compatible server, or use NEWSDESK_ANSWERER=extractive or local"
        )
    common = {"temperature": 0, "timeout": settings.llm_timeout_s, "max_retries": MAX_RETRIES}
    try:
        if settings.llm_base_url:
            with needs_extra("llm", f"NEWSDESK_LLM={settings.llm!r}", _NO_LLM):
                from langchain_core.utils import secret_from_env
                from langchain_openai import ChatOpenAI

            model = settings.llm.removeprefix("openai:")
            # OPENAI_API_KEY when the server needs one, else a placeholder for local servers
            api_key = secret_from_env("OPENAI_API_KEY", default=LOCAL_API_KEY)()
            # subtle: ChatOpenAI sends only `max_completion_tokens`, which many compatible
            # servers (llama.cpp's Python server, older vLLM) ignore: send `max_tokens` too.
            return ChatOpenAI(
                base_url=settings.llm_base_url,
                model=model,
                api_key=api_key,
                max_tokens=max_tokens,
                extra_body={"max_tokens": max_tokens},
                **common,
            )
        with needs_extra("llm", f"NEWSDESK_LLM={settings.llm!r}", _NO_LLM):
            from langchain.chat_models import init_chat_model

        if settings.llm.startswith("ollama:"):  # ChatOllama names these differently
            return init_chat_model(
                settings.llm,
                temperature=0,
                num_predict=max_tokens,
                client_kwargs={"timeout": settings.llm_timeout_s},
            )
        return init_chat_model(settings.llm, max_tokens=max_tokens, **common)
    except ImportError as exc:
        raise ConfigError(
            f"NEWSDESK_LLM={settings.llm!r} needs a package that is not installed: {exc}"
        ) from exc
    except ValueError as exc:  # unknown provider / model id
        raise ConfigError(f"NEWSDESK_LLM={settings.llm!r} is not usable: {exc}") from exc
    except Exception as exc:
        if not _is_service_error(exc):  # e.g. openai.OpenAIError: api_key must be set
            raise
        raise ConfigError(
            f"cannot set up NEWSDESK_LLM={settings.llm!r}: {exc} — set the provider's API key "
            "(e.g. OPENAI_API_KEY) in the environment"
        ) from exc


def _is_service_error(exc: BaseException) -> bool:
    """True for network/HTTP/API failures (OSError, or raised by a model client library)."""
    if isinstance(exc, OSError):  # ConnectionError, TimeoutError, socket errors
        return True
    # langchain-openai re-raises openai errors as its own subclasses: look along the MRO
    return any(c.__module__.split(".")[0] in _CLIENT_PACKAGES for c in type(exc).__mro__)
