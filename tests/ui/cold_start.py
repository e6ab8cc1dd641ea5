"""Measure the chat page's cold start in headless Chromium: first frame and first usable input.

Each run starts a fresh `streamlit run ui/app.py` (nothing cached, models not
loaded) over a store seeded with seeds/, opens the page once and records, from
the moment the browser asks for the page:

- ``frame``: the "newsdesk" heading is visible (the page is no longer blank);
- ``usable``: the chat box accepts typing (the index and models are loaded).

The first run warms the ONNX export cache and the OS file cache and is not
counted. ``--against TREE`` measures another checkout (e.g. an older commit
unpacked with ``git archive``) in turns with this one, so both see the same
load on a shared machine. Usage:
``python -m tests.ui.cold_start [--runs 3] [--against /tmp/old-tree]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.conftest import REPO
from tests.servers import free_port, stop, wait_until_answering
from tests.ui.conftest import seed_store

CHROMIUM = "/usr/bin/chromium"


def measure_once(store: Path, log: Path, tree: Path = REPO) -> tuple[float, float]:
    """(seconds to the first frame, seconds to a usable chat box) for one fresh server."""
    port = free_port()
    env = dict(os.environ, NEWSDESK_STORE_DIR=str(store), HF_HUB_OFFLINE="1", PYTHONPATH=str(tree))
    env.pop("NEWSDESK_CHROMA_URL", None)
    command = [
        sys.executable, "-m", "streamlit", "run", str(tree / "ui" / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("a") as out:
        server = subprocess.Popen(command, cwd=store.parent, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(server, f"{url}/_stcore/health", log, timeout_s=120)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            page.goto(url)
            expect(page.get_by_role("heading", name="newsdesk")).to_be_visible(timeout=120_000)
            frame = time.perf_counter() - start
            expect(page.get_by_test_id("stChatInputTextArea")).to_be_enabled(timeout=120_000)
            usable = time.perf_counter() - start
            browser.close()
    finally:
        stop(server)
    return frame, usable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs (after one warm-up)")
    parser.add_argument("--against", type=Path, help="another tree to measure in turns")
    args = parser.parse_args()
    trees = {"this tree": REPO} | ({"against": args.against.resolve()} if args.against else {})
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="newsdesk-cold-") as tmp:
        store = seed_store(Path(tmp) / "store")
        log = Path(tmp) / "streamlit.log"
        measure_once(store, log)  # warm-up: ONNX export, OS file cache
        for _ in range(args.runs):
            for name, tree in trees.items():
                runs[name].append(measure_once(store, log, tree))
                frame, usable = runs[name][-1]
                print(f"{name}: first frame {frame:.2f} s, usable {usable:.2f} s", flush=True)
    for name, timed in runs.items():
        print(
            f"{name}, median of {len(timed)}: first frame "
            f"{statistics.median(r[0] for r in timed):.2f} s, "
            f"usable {statistics.median(r[1] for r in timed):.2f} s"
        )


if __name__ == "__main__":
    main()
