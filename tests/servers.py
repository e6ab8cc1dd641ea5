"""Starting and stopping the real servers tests talk to (chroma run, llama.cpp).

One place for the free-port, wait-until-it-answers and stop-politely logic so
every server fixture fails the same clear way when a server does not come up.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(proc: subprocess.Popen, url: str, log: Path, timeout_s: float) -> None:
    """Block until ``url`` answers 2xx; fail with the server log if it dies or stays silent."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if time.monotonic() >= deadline:
                stop(proc)
                raise AssertionError(
                    f"{url} did not answer within {timeout_s:.0f} s: {log.read_text()[-2000:]}"
                ) from None
            time.sleep(0.3)


def stop(proc: subprocess.Popen, grace_s: float = 10) -> None:
    """SIGTERM, then SIGKILL after ``grace_s``."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
