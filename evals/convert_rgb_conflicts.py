"""Convert RGB's en_fact.json into two per-item folder datasets for qa.news.

RGB (Chen et al., AAAI 2024, github.com/chen700564/RGB) is CC BY-NC-SA 4.0: like
convert_rgb.py, the output keeps the licence file and an attribution note and is
written at run time to a git-ignored or temporary folder (never committed).

Each RGB item is its own tiny archive: its passages carry the outlet ``rgbitem<id>`` and
its question a ``source`` field naming it, so one shared store answers each question
from its own passages only (the eval filters on that outlet).

* ``counterfactual``: ``positive`` + ``positive_wrong`` (the true answer and RGB's
  counterfactual one, ``fakeanswer``, in otherwise alike passages): a conflict the
  answer should flag, citing both values. Questions carry ``fake``: its spellings.
* ``noise``: ``positive`` + ``negative`` (one answer among related passages): nothing
  to flag.

Usage: python evals/convert_rgb_conflicts.py SRC_JSON OUT_DIR counterfactual|noise
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from convert_rgb import flatten

ATTRIBUTION = """\
Derived from RGB (Chen, Lin, Han, Sun: "Benchmarking Large Language Models in
Retrieval-Augmented Generation", AAAI 2024; https://github.com/chen700564/RGB),
file en_fact.json, licensed CC BY-NC-SA 4.0 (LICENSE.txt). Changes: reshaped
into newsdesk's eval format by evals/convert_rgb_conflicts.py (per-item archives of
positive + {variant} passages). Non-commercial use only; share adaptations under the
same licence.
"""
OTHER = {"counterfactual": "positive_wrong", "noise": "negative"}


def convert(src: Path, out: Path, variant: str) -> tuple[int, int]:
    """Write questions.jsonl, corpus.jsonl, LICENSE.txt, ATTRIBUTION.txt; return the counts."""
    out.mkdir(parents=True, exist_ok=True)
    with src.open(encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    rows, questions = [], []
    for item in items:
        source = f"rgbitem{item['id']}"  # one word: outlet matching never merges two
        texts = dict.fromkeys(t.strip() for t in [*item["positive"], *item[OTHER[variant]]])
        for i, text in enumerate(texts):
            rows.append(
                {
                    "title": f"RGB item {item['id']} passage {i}",
                    "body": text,
                    "date": None,
                    "source": source,
                    "url": f"rgb://en_fact/{variant}/{item['id']}/{i}",
                }
            )
        answers = flatten(item["answer"])
        question = {
            "id": f"rgb-{variant}-{item['id']}",
            "question": item["query"],
            "answers": answers,
            "evidence": answers,
            "answerable": True,
            "type": variant,
            "source": source,
        }
        if variant == "counterfactual":
            question["fake"] = flatten(item["fakeanswer"])
        questions.append(question)
    with (out / "questions.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(q) + "\n" for q in questions)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    shutil.copyfile(src.parent / "LICENSE.txt", out / "LICENSE.txt")
    (out / "ATTRIBUTION.txt").write_text(ATTRIBUTION.format(variant=OTHER[variant]))
    return len(questions), len(rows)


def main(argv: list[str]) -> None:
    if len(argv) != 3 or argv[2] not in OTHER:
        sys.exit(__doc__)
    n_questions, n_passages = convert(Path(argv[0]), Path(argv[1]), argv[2])
    print(f"wrote {n_questions} questions and {n_passages} passages to {argv[1]}")


if __name__ == "__main__":
    main(sys.argv[1:])
