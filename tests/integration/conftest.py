"""Session-wide real servers on loopback: ``postgres_server``, ``redis_server``, ``smtp_server``, ``osmem``.

Each fixture skips, with the reason, only when the server's binary cannot be found; a server that
is installed but fails to start is an error. ``osmem`` is not called ``osmem_server``: the
osmem-server package's own pytest plugin already has ``osmem_server``, ``osmem_clone`` and
``osmem_url``. Servers are shared by the session, so tests use their own keys, tables and indices,
and a test that stops redis or osmem restarts it (``with server.outage(): ...`` does both).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

# tests/integration has no __init__.py, so pytest puts this folder, not the repo root, on sys.path.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402

INSTALL_HINT = "run `make test` with CI=true or MATCHMAKER_INSTALL_SERVERS=1 to install it"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[servers.PostgresServer]:
    """A PostgreSQL server with an empty database; use ``.dsn`` (SQLAlchemy) or ``.conninfo``."""
    bindir = servers.find_postgres()
    if bindir is None:
        pytest.skip(f"PostgreSQL not installed (no /usr/lib/postgresql/*/bin/initdb); {INSTALL_HINT}")
    server = servers.start_postgres(bindir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[servers.RedisServer]:
    """A redis-server without persistence; ``.url``, and ``.outage()`` to take it down and back."""
    binary = servers.find_redis()
    if binary is None:
        pytest.skip(f"redis-server not installed (Debian package redis-server); {INSTALL_HINT}")
    server = servers.start_redis(binary)
    yield server
    server.close()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[servers.SmtpServer]:
    """An SMTP server on loopback; ``.host``/``.port``, received mail in ``.messages``."""
    server = servers.start_smtp()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def osmem() -> Iterator[servers.OsmemInstance]:
    """osmem-server speaking the Elasticsearch REST API; ``.url``, ``servers.es_client(osmem.url)``."""
    binary = servers.find_osmem()
    if binary is None:
        pytest.skip("osmem-server binary not found (PyPI package osmem-server, or OSMEM_SERVER_BIN)")
    instance = servers.start_osmem(binary)
    yield instance
    instance.stop()


@pytest.fixture
def postgres_database(postgres_server) -> Iterator[str]:
    """A fresh, empty database of its own on the session's PostgreSQL server (SQLAlchemy URL)."""
    name = "matchmaker_scratch"
    admin = f"host=127.0.0.1 port={postgres_server.port} user={postgres_server.user} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    yield f"postgresql+psycopg://{postgres_server.user}@127.0.0.1:{postgres_server.port}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pg_app(postgres_database, tmp_path) -> Iterator[Any]:
    """The testing app on its own PostgreSQL database (pre-ping pool as in production, room for
    25 concurrent sessions); jobs meet a dead Redis, so their work waits in the outboxes."""
    from matchmaker import create_app
    from matchmaker.extensions import db

    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": postgres_database,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": 25, "max_overflow": 5},
            "SEARCH_LOCAL_PATH": str(tmp_path / "search.sqlite3"),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
            "IMPORTS_DIR": str(tmp_path / "imports"),
            "REDIS_URL": f"redis://127.0.0.1:{servers.free_port()}/0",
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()
