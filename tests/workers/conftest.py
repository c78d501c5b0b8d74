"""Worker test fixtures: a Redis database per test on the session's real redis-server, real worker
processes (``python -m workers.run``) on the test's SQLite file, and bounded polling."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from redis import Redis

from matchmaker.extensions import db
from tests.integration.conftest import redis_server  # noqa: F401  the session's real redis-server

ROOT = Path(__file__).resolve().parents[2]
_DB_NUMBERS = itertools.cycle(range(1, 16))  # database 0 stays for other suites


def wait_until(
    ready: Callable[[], object], what: str, timeout: float = 30.0, logs: Callable[[], str] | None = None
):
    """Poll ``ready`` until it returns something truthy (returned); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # read what other processes committed since
        value = ready()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out waiting for {what}" + (f"\n--- worker logs ---\n{logs()}" if logs else "")
            )
        time.sleep(0.1)


@pytest.fixture
def redis_url(redis_server) -> Iterator[str]:  # noqa: F811
    """URL of an empty Redis database of its own on the real server."""
    url = f"redis://127.0.0.1:{redis_server.port}/{next(_DB_NUMBERS)}"
    conn = Redis.from_url(url)
    conn.flushdb()
    conn.close()
    yield url


@pytest.fixture
def conn(redis_url) -> Iterator[Redis]:
    """A plain client on the test's Redis database."""
    client = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=5)
    yield client
    client.close()


@pytest.fixture
def rq_app(app, redis_url):
    """The test app with REDIS_URL set: services enqueue to the real Redis instead of running inline."""
    app.config["REDIS_URL"] = redis_url
    return app


@dataclass
class Workers:
    """Worker processes started by a test; stopped (SIGTERM, then SIGKILL) at teardown."""

    env: dict[str, str]
    logdir: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *args: str, count: int = 1) -> None:
        """Start ``count`` processes of ``python -m workers.run *args``."""
        for _ in range(count):
            log = open(self.logdir / f"worker-{len(self.procs)}.log", "wb")  # noqa: SIM115  closed by the child
            proc = subprocess.Popen(
                [sys.executable, "-m", "workers.run", "--log-level", "INFO", *args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the horse and helpers go with it
            )
            log.close()
            self.procs.append(proc)

    def logs(self) -> str:
        """The tail of every worker's log."""
        parts = []
        for i, _ in enumerate(self.procs):
            text = (self.logdir / f"worker-{i}.log").read_text(errors="replace")
            parts.append(f"[worker {i}]\n" + "\n".join(text.splitlines()[-60:]))
        return "\n".join(parts)

    def stop(self) -> None:
        """Warm shutdown of every worker; kill the process group of any that hangs."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for proc in self.procs:  # whatever the group left behind (cron process, scheduler)
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def workers(app, redis_url, tmp_path) -> Iterator[Workers]:
    """Start real worker processes on the test's database, search file and Redis database."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MATCHMAKER_ENV": "development",
        "MATCHMAKER_INSTANCE": str(tmp_path / "instance"),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_LOCAL_PATH": app.config["SEARCH_LOCAL_PATH"],
        "OUTBOX_DIR": str(tmp_path / "mail-outbox"),
        "REDIS_URL": redis_url,
        "WORKER_TTL": "20",  # an idle worker heartbeats every 5 s
    }
    handle = Workers(env=env, logdir=tmp_path)
    yield handle
    handle.stop()


@pytest.fixture
def fake_rq(app, monkeypatch):
    """REDIS_URL set, served by fakeredis: enqueue, monitor and an in-process worker share it."""
    import fakeredis

    url = "redis://fakeredis.invalid:6379/0"
    fake = fakeredis.FakeRedis()
    app.config["REDIS_URL"] = url
    app.extensions.setdefault("matchmaker.redis", {})[url] = fake
    monkeypatch.setattr("workers.run.worker_connection", lambda _url: fake)
    return fake


@pytest.fixture
def run_jobs(app, fake_rq):
    """Work off the queues with an in-process AppSimpleWorker (burst), keeping pytest's signal handlers."""
    from workers.queues import QUEUES
    from workers.run import build_worker

    def run(*queues: str) -> None:
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            build_worker(app, "redis://fakeredis.invalid:6379/0", queues or QUEUES, simple=True).work(
                burst=True
            )
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return run


@pytest.fixture
def dead_redis_url() -> str:
    """A Redis URL nobody listens on."""
    from tests.servers import free_port

    return f"redis://127.0.0.1:{free_port()}/0"
