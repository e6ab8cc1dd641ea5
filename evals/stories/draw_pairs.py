"""Draw article pairs to label for the story-grouping check (see README.md here).

Reads an indexed store of the RealTimeQA corpus whose stories are placed, and prints
JSONL candidates with what a labeller reads (titles, dates, outlets, leads) and
``same`` left null: half drawn from pairs the grouping put in one story (one random
pair per story), half near misses (articles of different stories within the window
whose vectors are close, cosine >= 0.5). Seeded, so the same store gives the same
draw. Usage: python evals/stories/draw_pairs.py STORE_DIR N_EACH > candidates.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from itertools import combinations

from index.news_index import NewsIndex
from index.settings import Settings
from index.stories import window


def main(store_dir: str, n_each: int) -> None:
    settings = Settings(store_dir=store_dir)
    rng = random.Random(15)
    with NewsIndex.open(settings) as index:
        members = {m.article_id: m for m in index.catalog.story_candidates(None)}
        stories = [s for s in index.stories() if len(s.article_ids) > 1]
        together = [tuple(rng.sample(s.article_ids, 2)) for s in rng.sample(stories, n_each)]
        near = []
        for a, b in combinations(sorted(members), 2):
            ma, mb = members[a], members[b]
            span = window(ma.day, settings.story_window_days)
            if ma.story_id == mb.story_id or span is None or not mb.day:
                continue
            if span[0] <= mb.day <= span[1] and float(ma.vector @ mb.vector) >= 0.5:
                near.append((a, b))
        for kind, pairs in (("together", together), ("near-miss", rng.sample(near, n_each))):
            for a, b in pairs:
                arts = [index.get_article(x) for x in (a, b)]
                print(
                    json.dumps(
                        {
                            "a": arts[0].url,
                            "b": arts[1].url,
                            "same": None,
                            "drawn": kind,
                            "cosine": round(float(members[a].vector @ members[b].vector), 3),
                            "shared_names": sorted(set(members[a].names) & set(members[b].names)),
                            "titles": [x.title for x in arts],
                            "dates": [x.date for x in arts],
                            "leads": [x.text[:300].replace("\n", " ") for x in arts],
                        },
                        ensure_ascii=False,
                    )
                )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
