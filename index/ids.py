"""Stable identifiers for articles and a fingerprint of what was stored.

``article_id_for`` depends only on the article's words (whitespace and case do
not matter), so the same story read from a .txt file and from a JSONL line gets
the same id, and re-ingesting a file is idempotent. ``content_hash`` also covers
the metadata, so that the store can tell "same article, new title or date" (an
update) from "nothing changed" (skip). Neither says anything about near-duplicates:
that is ``index.dedup``'s job.
"""

from __future__ import annotations

import hashlib
import json

from index.models import Article

#: Hex characters kept from the sha256 digest (64 bits: no collisions at newsroom scale).
ID_HEX_CHARS = 16


def normalise_for_id(text: str) -> str:
    """Collapse every whitespace run to one space and casefold."""
    return " ".join(text.split()).casefold()


def article_id_for(text: str) -> str:
    """The article id: sha256 of the whitespace-normalised, casefolded text, 16 hex chars."""
    digest = hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()
    return digest[:ID_HEX_CHARS]


def content_hash(article: Article) -> str:
    """A fingerprint of the text exactly as stored plus its metadata.

    Covers text, title, date, source, url, author and ``extra``; not ``path``
    (moving a file is not a change) nor ``sources`` (the store fills that in when
    it merges syndicated copies).
    """
    payload = json.dumps(
        [
            article.text,
            article.title,
            article.date,
            article.source,
            article.url,
            article.author,
            article.extra,
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
