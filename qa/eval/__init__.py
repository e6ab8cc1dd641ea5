"""Evaluation of newsdesk against gold questions, next to a naive LangChain baseline.

``newsdesk eval`` (qa/eval/cli.py), ``make eval`` (qa/eval/run_all.py) and
``make bench`` (qa/eval/bench.py) are the entry points; the scoring itself is
pure (qa/eval/metrics.py) so it can be tested on hand-made cases.
"""

from qa.eval.dataset import Dataset, Question, load_dataset
from qa.eval.metrics import aggregate, score

__all__ = ["Dataset", "Question", "aggregate", "load_dataset", "score"]
