"""Convert RGB's en_fact.json into a newsdesk folder dataset (noise robustness).

RGB (Chen et al., AAAI 2024, github.com/chen700564/RGB) is CC BY-NC-SA 4.0:
the output keeps the licence file and an attribution note, and is written at
run time to a git-ignored or temporary folder (never committed).

For each item: the corpus gets its ``positive`` passages (which state the
answer) and its ``negative`` ones (related, without the answer); the question
is ``query`` and the gold answers are every spelling in ``answer`` (a string,
or RGB's list of lists of variants, flattened). Evidence is the same strings:
a passage supports the answer when it contains one. ``positive_wrong`` (the
conflicting-sources variant) is not used here.

Usage: python evals/convert_rgb.py [SRC_JSON] OUT_DIR
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

DEFAULT_SRC = Path(__file__).resolve().parents[2] / "shared/data/rgb-counterfactual/en_fact.json"
ATTRIBUTION = """\
Derived from RGB (Chen, Lin, Han, Sun: "Benchmarking Large Language Models in
Retrieval-Augmented Generation", AAAI 2024; https://github.com/chen700564/RGB),
file en_fact.json, licensed CC BY-NC-SA 4.0 (LICENSE.txt). Changes: reshaped
into newsdesk's eval format by evals/convert_rgb.py (positive + negative
passages as the corpus; query/answer as questions). Non-commercial use only;
share adaptations under the same licence.
"""


def flatten(answer: str | list) -> list[str]:
    """RGB answers are a string or nested lists of spellings; keep every spelling once."""
    if isinstance(answer, str):
        return [answer]
    out: list[str] = []
    for item in answer:
        out.extend(s for s in flatten(item) if s not in out)
    return out


def convert(src: Path, out: Path) -> tuple[int, int]:
    """Write questions.jsonl, corpus.jsonl, LICENSE.txt, ATTRIBUTION.txt; return the counts."""
    out.mkdir(parents=True, exist_ok=True)
    passages: dict[str, int] = {}  # passage text -> its number (shared passages kept once)
    questions = []
    with src.open(encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    for item in items:
        for text in [*item["positive"], *item["negative"]]:
            passages.setdefault(text.strip(), len(passages))
        answers = flatten(item["answer"])
        questions.append(
            {
                "id": f"rgb-{item['id']}",
                "question": item["query"],
                "answers": answers,
                "evidence": answers,
                "answerable": True,
                "type": "noise_robustness",
            }
        )
    with (out / "questions.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(q) + "\n" for q in questions)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for text, i in passages.items():
            row = {"title": f"RGB passage {i}", "body": text, "date": None, "source": "RGB"}
            fh.write(json.dumps({**row, "url": f"rgb://en_fact/{i}"}) + "\n")
    shutil.copyfile(src.parent / "LICENSE.txt", out / "LICENSE.txt")
    (out / "ATTRIBUTION.txt").write_text(ATTRIBUTION)
    return len(questions), len(passages)


def main(argv: list[str]) -> None:
    if len(argv) not in (1, 2):
        sys.exit(__doc__)
    src, out = (Path(argv[0]), Path(argv[1])) if len(argv) == 2 else (DEFAULT_SRC, Path(argv[0]))
    n_questions, n_passages = convert(src, out)
    print(f"wrote {n_questions} questions and {n_passages} passages to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
