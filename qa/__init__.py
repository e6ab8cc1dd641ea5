"""Question answering over the news index: ``Assistant`` and the results it returns.

Names are resolved on first access (PEP 562) so that ``newsdesk --help`` and
other light imports of ``qa.*`` do not pay for spaCy and torch.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.assistant import Assistant
    from qa.models import Answer, Citation, Passage, Timeline

__all__ = ["Answer", "Assistant", "Citation", "Passage", "Timeline"]

_HOMES = {
    "Assistant": "qa.assistant",
    "Answer": "qa.models",
    "Citation": "qa.models",
    "Passage": "qa.models",
    "Timeline": "qa.models",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
