"""Request bodies of the API (responses are the library's own ``to_dict()`` shapes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from index.models import SearchFilter


class Filters(BaseModel):
    """What to search: outlets (any of), an inclusive date range (YYYY-MM-DD)."""

    sources: list[str] = Field(default_factory=list, max_length=50)
    since: dt.date | None = None
    until: dt.date | None = None

    def to_filter(self, access) -> SearchFilter:
        return SearchFilter(
            sources=tuple(self.sources),
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            access=access,
        )


class Turn(BaseModel):
    question: str
    answer: str


class AskRequest(BaseModel):
    """``POST /v1/ask``: a question, the conversation so far, filters and k."""

    question: str = Field(description="Limited to NEWSDESK_MAX_QUESTION_CHARS characters")
    history: list[Turn] = Field(default_factory=list, max_length=50, description="Oldest first")
    filters: Filters = Field(default_factory=Filters)
    k: int | None = Field(None, description="Passages read (1..NEWSDESK_MAX_K)")
    as_of: dt.date | None = Field(
        None, description="Ask as of this day: nothing later is read; 'latest' means then"
    )


class ArticlesRequest(BaseModel):
    """``POST /v1/articles`` as JSON: records in the .jsonl article format."""

    articles: list[dict[str, Any]] = Field(min_length=1)
    desk: str | None = Field(None, description="Desk of articles that name none")
    embargo_until: str | None = Field(None, description="ISO datetime, for articles naming none")
