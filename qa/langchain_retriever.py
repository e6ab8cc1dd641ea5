"""newsdesk retrieval as a LangChain ``BaseRetriever`` (``Assistant.as_retriever()``).

Lets a LangChain chain use the hybrid retriever (dense + keyword, fused,
diversified) over the same index. Each ``Document`` holds a passage's text
and, in ``metadata``, everything else a ``Passage`` carries (article id,
offsets, title, outlet, date, url, sentence spans, score, found_by), so a
chain can still cite exact spans. It does not answer or verify citations.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.models import SearchFilter
from qa.models import Passage


def passage_document(passage: Passage) -> Document:
    """A passage as a LangChain document (text as content, the rest as metadata)."""
    metadata = passage.to_dict()
    text = metadata.pop("text")
    return Document(page_content=text, metadata=metadata, id=passage.chunk_id)


class NewsdeskRetriever(BaseRetriever):
    """Runs an assistant's retriever with a fixed k and filters."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any  # qa.Assistant (Any: pydantic cannot validate it)
    k: int
    filters: SearchFilter | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [passage_document(p) for p in self.assistant.retrieve(query, self.filters, self.k)]
