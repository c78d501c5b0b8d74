"""Redis stopped under a running app: login keeps working, with its rate limit kept in memory."""

from __future__ import annotations

import logging

import pytest

from matchmaker import create_app
from matchmaker.extensions import limiter
from tests import factories as f
from tests.workers.conftest import wait_until


@pytest.mark.redis
def test_login_works_while_redis_is_down_with_limits_kept_in_memory(
    app, tmp_path, redis_server, world, caplog
):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]  # the world's database, limits on the real Redis
    limited = create_app(
        {
            "ENV_NAME": "testing",
            "SEARCH_LOCAL_PATH": str(tmp_path / "limited.sqlite3"),
            "RATELIMIT_STORAGE_URI": redis_server.url,
            "SQLALCHEMY_DATABASE_URI": uri,
        }
    )
    client = limited.test_client()
    login = {"login": world.alice.email, "password": f.PASSWORD}
    caplog.set_level(logging.INFO, logger="flask-limiter")
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    with redis_server.outage():
        codes = [client.post("/api/v1/auth/login", json=login).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]  # ten a minute still, counted afresh in this process
    assert "falling back to in-memory storage" in caplog.text

    def back_on_redis() -> bool:
        client.post("/api/v1/auth/login", json=login)
        return "storage recovered" in caplog.text

    wait_until(back_on_redis, "the limiter back on Redis")
    assert not limiter._storage_dead
