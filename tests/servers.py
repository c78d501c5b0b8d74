"""Real servers on loopback for integration tests: PostgreSQL, redis-server, SMTP and osmem-server.

Each ``start_*`` starts a real server on 127.0.0.1 on a free port (data in a temp dir) and
returns an object with ``url`` (PostgreSQL also ``dsn``) and ``stop()``; each ``find_*`` returns
None when the binary is missing, so fixtures can skip with a reason.

- PostgreSQL: Debian binaries (/usr/lib/postgresql/<v>/bin, or initdb on PATH). Postgres refuses
  root, so as root it runs as the ``postgres`` account (else ``nobody``) via ``Popen(user=...)``.
- redis-server and osmem-server: ``with server.outage():`` (or ``stop()``/``start()``) takes the
  server down and brings it back, empty, on the same port.
- SMTP: an aiosmtpd ``Controller``; every message received is kept in ``messages``; ``outage()``
  refuses connections for a while (the messages stay).
- osmem-server 0.1.6 (bundled in the PyPI wheel): ``--help`` lists ``-addr`` (listen address,
  port 0 = free port, default 127.0.0.1:0), ``-seed``, ``-freeze``, ``-no-ja``, ``-no-stdin-watch``,
  ``-parent-pid``, ``-version``; it exits when its stdin closes or the parent pid goes. It answers
  as Elasticsearch but refuses the 8.x client's ``Content-Type: application/vnd.elasticsearch+json;
  compatible-with=8`` with 406, so ``es_client`` sends plain ``application/json`` (``PlainJsonNode``).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Any

import psycopg
from aiosmtpd.controller import Controller
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elasticsearch import Elasticsearch
from psycopg import sql

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 30.0


def free_port() -> int:
    """Return a TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_for(ready: Callable[[], bool], what: str, proc: subprocess.Popen[Any] | None = None) -> None:
    """Poll ``ready`` until true; fail at once if ``proc`` exits, or after START_TIMEOUT."""
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited during start-up with code {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {START_TIMEOUT:.0f} s")
        time.sleep(0.05)


def _terminate(proc: subprocess.Popen[Any], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# PostgreSQL
def find_postgres() -> Path | None:
    """Return the directory holding initdb and postgres (newest Debian version first), or None."""
    debian = sorted(glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(re.sub(r"\D", "", d) or 0))
    candidates = [Path(d) for d in reversed(debian)]
    if on_path := shutil.which("initdb"):
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    return None


def _run_as() -> dict[str, Any]:
    """Popen arguments that drop root to an account postgres accepts; none when not root."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    raise RuntimeError("running as root, but there is neither a 'postgres' nor a 'nobody' account")


def _conninfo(port: int, user: str, dbname: str) -> str:
    return f"host={LOOPBACK} port={port} user={user} dbname={dbname}"


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL cluster; ``dsn``/``url`` for SQLAlchemy, ``conninfo`` for psycopg."""

    process: subprocess.Popen[bytes]
    root: Path
    port: int
    user: str
    dbname: str
    args: list[str] = field(default_factory=list)
    as_user: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.conninfo = _conninfo(self.port, self.user, self.dbname)
        self.dsn = self.url = f"postgresql+psycopg://{self.user}@{LOOPBACK}:{self.port}/{self.dbname}"

    @contextmanager
    def outage(self) -> Iterator[None]:
        """Fast shutdown for the duration of the block (open sessions are cut), then start again
        on the same port with the same data."""
        _terminate(self.process, signal.SIGINT)
        try:
            yield
        finally:
            self.process = _launch_postgres(self.args, self.root, self.as_user)
            wait_for(lambda: _can_connect(self.conninfo), "postgres", self.process)

    def stop(self) -> None:
        """Fast shutdown (SIGINT) and remove the data directory."""
        _terminate(self.process, signal.SIGINT)
        shutil.rmtree(self.root, ignore_errors=True)


def _launch_postgres(args: list[str], root: Path, as_user: dict[str, Any]) -> subprocess.Popen[bytes]:
    with open(root / "postgres.log", "ab") as out:
        return subprocess.Popen(args, cwd=root, stdout=out, stderr=subprocess.STDOUT, **as_user)


def _can_connect(conninfo: str) -> bool:
    try:
        with psycopg.connect(conninfo, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def _initdb(bindir: Path, root: Path, user: str, as_user: dict[str, Any]) -> Path:
    """Create a UTF8, locale C cluster with trust auth under ``root``; return its data dir."""
    data = root / "data"
    args = [str(bindir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8"]
    done = subprocess.run(
        [*args, "--locale=C", "--no-sync"], cwd=root, capture_output=True, text=True, **as_user
    )
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed: {done.stderr.strip()[-800:]}")
    return data


def start_postgres(bindir: Path, user: str = "matchmaker", dbname: str = "matchmaker_test") -> PostgresServer:
    """initdb into a temp dir, start postgres on a free loopback port and create ``dbname``."""
    root = Path(tempfile.mkdtemp(prefix="matchmaker-pg-"))
    as_user = _run_as()
    if as_user:
        os.chown(root, as_user["user"], as_user["group"])
    try:
        data = _initdb(bindir, root, user, as_user)
        port, log = free_port(), root / "postgres.log"
        args = [str(bindir / "postgres"), "-D", str(data), "-h", LOOPBACK, "-p", str(port), "-k", str(root)]
        for setting in ("fsync=off", "synchronous_commit=off", "full_page_writes=off"):
            args += ["-c", setting]
        proc = _launch_postgres(args, root, as_user)
        admin = _conninfo(port, user, "postgres")
        try:
            wait_for(lambda: _can_connect(admin), "postgres", proc)
        except RuntimeError as exc:
            _terminate(proc, signal.SIGINT)
            raise RuntimeError(f"{exc}; log: {log.read_text(errors='replace')[-800:]}") from None
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(dbname)))
    return PostgresServer(proc, root, port, user, dbname, args, as_user)


# redis-server
def find_redis() -> str | None:
    """Return the path of redis-server, or None."""
    return shutil.which("redis-server")


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class _Restartable:
    """Mixin giving ``outage()`` to servers whose ``start()`` and ``stop()`` keep the port."""

    start: Callable[[], None]
    stop: Callable[[], None]

    @contextmanager
    def outage(self) -> Iterator[None]:
        """Stop the server for the duration of the block, then start it again (empty), same port."""
        self.stop()
        try:
            yield
        finally:
            self.start()


@dataclass
class RedisServer(_Restartable):
    """A redis-server without persistence."""

    binary: str = ""
    port: int = 0
    workdir: Path = Path()
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.url = f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> None:
        """Start on ``port`` unless running, and wait until it answers PING."""
        if self.process is not None and self.process.poll() is None:
            return
        args = [self.binary, "--port", str(self.port), "--bind", LOOPBACK, "--save", ""]
        args += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(args, cwd=self.workdir, stdout=subprocess.DEVNULL)
        wait_for(lambda: _redis_ping(self.port), "redis-server", self.process)

    def stop(self) -> None:
        """Stop the server; ``start()`` brings it back on the same port."""
        if self.process is not None:
            _terminate(self.process)

    def close(self) -> None:
        """Stop for good and remove the working directory."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_redis(binary: str) -> RedisServer:
    """Start redis-server on a free loopback port."""
    server = RedisServer(binary, free_port(), Path(tempfile.mkdtemp(prefix="matchmaker-redis-")))
    server.start()
    return server


# SMTP
@dataclass(frozen=True)
class ReceivedMessage:
    """One message as the SMTP server received it: envelope and raw bytes."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class SmtpServer(_Restartable):
    """A plain SMTP server on loopback (SMTPUTF8 on) keeping every message in ``messages``."""

    host: str = LOOPBACK
    port: int = 0
    messages: list[ReceivedMessage] = field(default_factory=list)
    controller: Controller | None = None

    def __post_init__(self) -> None:
        self.url = f"smtp://{self.host}:{self.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """aiosmtpd hook: keep the envelope and the raw bytes, and accept."""
        raw = envelope.original_content or envelope.content
        self.messages.append(ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), bytes(raw)))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        """Start listening on ``port`` (again), keeping the messages received so far."""
        if self.controller is None:
            self.controller = Controller(self, hostname=self.host, port=self.port, enable_SMTPUTF8=True)
            self.controller.start()

    def stop(self) -> None:
        """Stop the server thread; ``start()`` brings it back on the same port."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def start_smtp() -> SmtpServer:
    """Start an aiosmtpd server on a free loopback port."""
    server = SmtpServer(port=free_port())
    server.start()
    return server


# osmem-server and the Elasticsearch client
def find_osmem() -> str | None:
    """Return the osmem-server binary bundled with the osmem-server package, or None."""
    with suppress(ImportError, RuntimeError):  # OsmemError is a RuntimeError
        from osmem_server import resolve_binary

        path = resolve_binary()
        return path if os.access(path, os.X_OK) else None
    return None


@dataclass
class OsmemInstance(_Restartable):
    """osmem-server on a loopback port that survives ``stop()``/``start()`` (the data does not)."""

    binary: str = ""
    port: int = 0
    server: Any = None

    @property
    def url(self) -> str:
        """http:// URL of the server."""
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> None:
        """Start on ``port`` (a free one when 0) unless running, and wait until ready."""
        from osmem_server import OsmemServer

        if self.server is None:
            addr = f"{LOOPBACK}:{self.port}"
            self.server = OsmemServer.start(binary=self.binary, japanese=False, addr=addr)
            self.port = int(self.server.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        """Stop the process; ``start()`` brings an empty one back on the same port."""
        if self.server is not None:
            self.server.close()
            if self.server.process.stdout is not None:
                self.server.process.stdout.close()  # OsmemServer.close() leaves its stdout pipe open
            self.server = None


def start_osmem(binary: str) -> OsmemInstance:
    """Start osmem-server on a free loopback port."""
    instance = OsmemInstance(binary)
    instance.start()
    return instance


_COMPAT_MEDIA = re.compile(r"application/vnd\.elasticsearch\+([\w.+-]+)\s*;\s*compatible-with=\d+")


class PlainJsonNode(Urllib3HttpNode):
    """urllib3 node that turns the 8.x client's compatibility media types back into plain ones."""

    def perform_request(  # type: ignore[override]
        self, method: str, target: str, body: bytes | None = None, headers: Any = None, **kw: Any
    ) -> Any:
        """Send the request with ``Accept`` and ``Content-Type`` rewritten to plain media types."""
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT_MEDIA.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kw)


def es_client(url: str, **kwargs: Any) -> Elasticsearch:
    """Official Elasticsearch 8.x client that sends plain application/json (osmem-server needs it)."""
    return Elasticsearch(url, node_class=PlainJsonNode, **kwargs)
