"""Local development servers for server mode: a PostgreSQL cluster and a Chroma server.

``newsdesk services up`` keeps both in one folder of the user's choice (the
cluster's data, the Chroma data, their logs and a ``services.json`` with the
ports and the generated database password) and prints the two URLs server mode
reads (``NEWSDESK_DATABASE_URL``, ``NEWSDESK_CHROMA_URL``). ``up`` is idempotent
and reuses the ports of the last run, so the URLs stay valid across restarts.

This is for development and tests, not production: it listens on 127.0.0.1
only, and production runs a managed PostgreSQL and a Chroma deployment
(docs/deploy.md). PostgreSQL's ``initdb`` refuses to run as root, so as root the
cluster runs as the ``postgres`` system user (``runuser``), which then owns the
cluster folder.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from index.errors import StoreUnavailable

STATE_FILE = "services.json"
DB_NAME = "newsdesk"
DB_USER = "newsdesk"
_START_TIMEOUT_S = 60


@dataclass
class ServicesState:
    """What ``services.json`` holds: enough to reconnect, restart and stop."""

    folder: str
    pg_port: int
    chroma_port: int
    password: str
    chroma_pid: int | None = None

    @property
    def database_url(self) -> str:
        return f"postgresql://{DB_USER}:{self.password}@127.0.0.1:{self.pg_port}/{DB_NAME}"

    @property
    def chroma_url(self) -> str:
        return f"http://127.0.0.1:{self.chroma_port}"


@dataclass(frozen=True)
class ServiceStatus:
    """One server's state as ``services status`` reports it."""

    name: str
    running: bool
    url: str
    log: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT is free
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def postgres_bindir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian keeps them off PATH)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise StoreUnavailable(
        "PostgreSQL is not installed (no initdb found) — run `make postgres` "
        "(Debian: apt-get install postgresql) or point NEWSDESK_DATABASE_URL at a server"
    )


def _chroma_program() -> str:
    beside = Path(sys.executable).parent / "chroma"
    program = str(beside) if beside.exists() else shutil.which("chroma")
    if program is None:
        raise StoreUnavailable(
            "the `chroma` command was not found — run `make install` (it ships with chromadb)"
        )
    return program


class LocalServices:
    """Start, stop and inspect the development PostgreSQL + Chroma pair in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.pgdata = self.folder / "postgres"
        self.chroma_data = self.folder / "chroma"
        self.pg_log = self.folder / "postgres.log"
        self.chroma_log = self.folder / "chroma.log"
        self._as_postgres = os.geteuid() == 0

    # -- state ---------------------------------------------------------------------------
    def _state_path(self) -> Path:
        return self.folder / STATE_FILE

    def load_state(self) -> ServicesState | None:
        path = self._state_path()
        if not path.exists():
            return None
        return ServicesState(**json.loads(path.read_text(encoding="utf-8")))

    def _save_state(self, state: ServicesState) -> None:
        tmp = self._state_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
        tmp.chmod(0o600)  # it holds the database password
        tmp.replace(self._state_path())

    # -- commands ------------------------------------------------------------------------
    def up(self) -> ServicesState:
        """Start whatever is not running; returns the state with both URLs."""
        self.folder.mkdir(parents=True, exist_ok=True)
        state = self.load_state() or ServicesState(
            folder=str(self.folder),
            pg_port=_free_port(),
            chroma_port=_free_port(),
            password=secrets.token_urlsafe(18),
        )
        if not self._pg_running():
            state.pg_port = state.pg_port if _port_free(state.pg_port) else _free_port()
            self._save_state(state)
            self._start_postgres(state)
        if not self._chroma_running(state):
            state.chroma_port = state.chroma_port if _port_free(state.chroma_port) else _free_port()
            state.chroma_pid = self._start_chroma(state)
        self._save_state(state)
        return state

    def down(self) -> list[str]:
        """Stop both servers; returns the names of those that were running."""
        state = self.load_state()
        stopped = []
        if self._pg_running():
            self._pg_ctl("stop", "-m", "fast", "-w")
            stopped.append("postgres")
        if state and self._chroma_running(state) and state.chroma_pid:
            _terminate(state.chroma_pid)
            stopped.append("chroma")
        if state:
            state.chroma_pid = None
            self._save_state(state)
        return stopped

    def status(self) -> list[ServiceStatus]:
        state = self.load_state()
        if state is None:
            return []
        return [
            ServiceStatus("postgres", self._pg_running(), _redacted(state), str(self.pg_log)),
            ServiceStatus(
                "chroma", self._chroma_running(state), state.chroma_url, str(self.chroma_log)
            ),
        ]

    # -- PostgreSQL ------------------------------------------------------------------------
    def _run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=False, capture_output=True, text=True, **kwargs)

    def _pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        return self._run([str(postgres_bindir() / "pg_ctl"), "-D", str(self.pgdata), *args])

    def _pg_running(self) -> bool:
        if not (self.pgdata / "PG_VERSION").exists():
            return False
        return self._pg_ctl("status").returncode == 0

    def _check_reachable(self) -> None:
        """As root the cluster runs as ``postgres``, which must be able to enter ``folder``."""
        probe = subprocess.run(
            ["runuser", "-u", "postgres", "--", "test", "-x", str(self.folder)],
            check=False,
            capture_output=True,
        )
        if probe.returncode != 0:
            raise StoreUnavailable(
                f"{self.folder}: the postgres system user cannot enter this folder (a parent "
                "is private) — choose a folder under /tmp or /var/tmp with --dir"
            )

    def _start_postgres(self, state: ServicesState) -> None:
        bindir = postgres_bindir()
        if self._as_postgres:
            self._check_reachable()
        if not (self.pgdata / "PG_VERSION").exists():
            self._init_cluster(bindir, state)
        self.pg_log.touch()
        if self._as_postgres:
            shutil.chown(self.pg_log, "postgres")
        options = f"-p {state.pg_port} -k {self.pgdata} -c listen_addresses=127.0.0.1"
        started = self._pg_ctl(
            "start", "-w", "-t", str(_START_TIMEOUT_S), "-l", str(self.pg_log), "-o", options
        )
        if started.returncode != 0:
            raise StoreUnavailable(
                f"PostgreSQL did not start on port {state.pg_port}: "
                f"{(started.stderr or started.stdout).strip()[-300:]} — see {self.pg_log}"
            )

    def _init_cluster(self, bindir: Path, state: ServicesState) -> None:
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        pwfile = self.folder / ".pwfile"
        pwfile.write_text(state.password + "\n", encoding="utf-8")
        try:
            if self._as_postgres:
                shutil.chown(self.pgdata, "postgres", "postgres")
                shutil.chown(pwfile, "postgres")
            pwfile.chmod(0o600)
            done = self._run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    DB_USER,
                    "--pwfile",
                    str(pwfile),
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if done.returncode != 0:
            shutil.rmtree(self.pgdata, ignore_errors=True)
            raise StoreUnavailable(f"initdb failed in {self.pgdata}: {done.stderr.strip()[-300:]}")
        # The database itself is created on first start (single-user mode needs no port).
        created = self._run(
            [str(bindir / "postgres"), "--single", "-D", str(self.pgdata), "postgres"],
            input=f"CREATE DATABASE {DB_NAME} OWNER {DB_USER};\n",
        )
        if created.returncode != 0:
            shutil.rmtree(self.pgdata, ignore_errors=True)
            raise StoreUnavailable(f"could not create database {DB_NAME}: {created.stderr[-300:]}")

    # -- Chroma ----------------------------------------------------------------------------
    def _chroma_running(self, state: ServicesState) -> bool:
        try:
            with urllib.request.urlopen(f"{state.chroma_url}/api/v2/heartbeat", timeout=1):
                return True
        except OSError:
            return False

    def _start_chroma(self, state: ServicesState) -> int:
        self.chroma_data.mkdir(parents=True, exist_ok=True)
        argv = [
            _chroma_program(),
            "run",
            "--path",
            str(self.chroma_data),
            "--port",
            str(state.chroma_port),
            "--host",
            "127.0.0.1",
        ]
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with self.chroma_log.open("ab") as log:
            proc = subprocess.Popen(
                argv,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not self._chroma_running(state):
            if proc.poll() is not None or time.monotonic() > deadline:
                _terminate(proc.pid)
                raise StoreUnavailable(
                    f"the Chroma server did not start on port {state.chroma_port} — "
                    f"see {self.chroma_log}"
                )
            time.sleep(0.3)
        return proc.pid


def _terminate(pid: int, grace_s: float = 10) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        try:
            # subtle: a child of this process stays a zombie (and "alive") until reaped.
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass  # not our child: poll it instead
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _redacted(state: ServicesState) -> str:
    return state.database_url.replace(state.password, "***")
