"""Behind a reverse proxy (TRUSTED_PROXIES) the limiter and the audit log see the real client."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import AuditLog
from tests import factories as f

PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy's address


@pytest.fixture
def proxied(tmp_path):
    """An app behind one trusted proxy, with a tight login limit."""
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "SEARCH_LOCAL_PATH": str(tmp_path / "search.sqlite3"),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
            "TRUSTED_PROXIES": 1,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


def _login(client, user, client_ip: str, *, forwarded: str | None = None):
    header = {"X-Forwarded-For": forwarded or client_ip}
    body = {"login": user.email, "password": f.PASSWORD}
    return client.post("/api/v1/auth/login", json=body, headers=header, environ_base=PROXY)


def test_each_client_behind_the_proxy_has_its_own_limit_and_audit_address(proxied):
    client = proxied.test_client()
    org = f.make_org("enterprise", "320831")
    users = [f.make_user(org, ["enterprise"]) for _ in range(5)]
    answers = [_login(client, u, f"203.0.113.{n}").status_code for n, u in enumerate(users)]
    assert answers == [200] * 5  # five clients through one proxy: nobody is limited
    same = [_login(client, users[0], "198.51.100.7").status_code for _ in range(4)]
    assert same == [200, 200, 200, 429]  # one client: its own limit
    ips = db.session.scalars(select(AuditLog.ip).where(AuditLog.action == "login")).all()
    assert set(ips) == {f"203.0.113.{n}" for n in range(5)} | {"198.51.100.7"}


def test_addresses_added_by_the_client_before_the_proxy_are_not_believed(proxied):
    client = proxied.test_client()
    user = f.make_user(f.make_org("enterprise", "320831"), ["enterprise"])
    # The client forges a first hop; the proxy appends the address it saw. Only that one counts.
    r = _login(client, user, "", forwarded="1.2.3.4, 198.51.100.9")
    assert r.status_code == 200
    assert db.session.scalar(select(AuditLog.ip).where(AuditLog.action == "login")) == "198.51.100.9"


def test_without_trusted_proxies_forwarded_headers_are_ignored(client, world):
    body = {"login": world.alice.email, "password": f.PASSWORD}
    r = client.post("/api/v1/auth/login", json=body, headers={"X-Forwarded-For": "1.2.3.4"})
    assert r.status_code == 200
    assert db.session.scalar(select(AuditLog.ip).where(AuditLog.action == "login")) == "127.0.0.1"
