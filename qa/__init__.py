"""Question answering over the news index: ``Assistant`` and the results it returns."""

from qa.assistant import Assistant
from qa.models import Answer, Citation, Passage

__all__ = ["Answer", "Assistant", "Citation", "Passage"]
