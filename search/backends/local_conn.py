"""SQLite connections of the embedded engine: one per thread on a file (WAL), one behind a lock in memory."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from search.backends import local_sql as sql
from search.backends.base import SearchUnavailable


class Connections:
    """Hands each thread its connection and runs transactions; busy or broken databases are unavailable."""

    def __init__(self, path: str, timeout: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout
        self.memory = path == ":memory:"
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        # In memory there is one database on one connection only, so every use goes through the lock;
        # on a file each thread has its own connection and WAL lets readers run beside the writer.
        self._lock = threading.RLock()
        if not self.memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)

    def _connect(self) -> sqlite3.Connection:
        # A connection is used by one thread at a time (or under the lock); close() may run elsewhere.
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        if not self.memory:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA mmap_size=268435456")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute(sql.HITS_DDL)
        with self._lock:
            self._conns.append(conn)
        return conn

    def _conn(self) -> sqlite3.Connection:
        if self.memory:
            with self._lock:
                return self._conns[0] if self._conns else self._connect()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @contextlib.contextmanager
    def tx(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A transaction (BEGIN IMMEDIATE to write); SQLite operational errors become SearchUnavailable."""
        with self._lock if self.memory else contextlib.nullcontext():
            conn = self._conn()
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                raise SearchUnavailable(f"本地检索库不可用：{exc}") from exc

    def close(self) -> None:
        """Close every connection opened so far."""
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()
        self._local = threading.local()
