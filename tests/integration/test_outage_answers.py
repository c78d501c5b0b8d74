"""PostgreSQL stopped under a running app: every request answers 503 in the one error shape."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from sqlalchemy import text

from matchmaker.extensions import db
from tests import factories as f

SHAPE = {"code", "status", "message", "errors"}


@pytest.fixture
def app(pg_app):
    """Every test here runs on PostgreSQL."""
    return pg_app


@pytest.mark.postgres
def test_postgres_down_answers_503_in_the_error_shape_and_recovers(app, postgres_server, world):
    client = app.test_client()
    need = f.make_need(world.ent_a, world.alice)
    login = {"login": world.alice.email, "password": f.PASSWORD}
    requests = [
        ("get", "/api/v1/needs", {}),
        ("get", f"/api/v1/needs/{need.id}", {"headers": world.h_alice}),
        ("post", "/api/v1/auth/login", {"json": login}),
        (
            "patch",
            f"/api/v1/needs/{need.id}",
            {"json": {"contact_name": "李经理"}, "headers": {**world.h_alice, "If-Match": "*"}},
        ),
    ]
    assert client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).status_code == 200  # pool warm
    with postgres_server.outage():
        for method, url, kwargs in requests * 2:  # warm pooled connections first, then fresh connects
            response = getattr(client, method)(url, **kwargs)  # a teardown error would raise here
            assert response.status_code == 503, (url, response.data[:300])
            assert set(response.json) == SHAPE and response.json["code"] == "database_unavailable"
            assert response.headers["Retry-After"]
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json["checks"]["database"].startswith("unreachable")
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.postgres
def test_a_database_lost_after_the_response_was_built_still_answers_json(app, postgres_server, world):
    """The connection is cut between the view and the session teardown (as when PostgreSQL stops then)."""

    def cut_my_connection(response):
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with psycopg.connect(postgres_server.conninfo, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return response

    app.after_request(cut_my_connection)
    # In a thread of its own the request has its own app context, so its teardown runs at its end
    # (in the test's context the request would share the fixture's session).
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(app.test_client().get, "/api/v1/needs").result()  # teardown errors raise
    assert response.status_code == 200 and response.is_json
