"""Passwords: the 等保 2.0 rule, lockout with an audit row per failure, change, and reset by code."""

from __future__ import annotations

import json
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditLog
from tests import factories as f

LOGIN, ME = "/api/v1/auth/login", "/api/v1/auth/me"
RESET, CONFIRM = "/api/v1/auth/password-reset", "/api/v1/auth/password-reset/confirm"
NEW = "Huaian#Kj2026x"


@pytest.fixture(autouse=True)
def _generous_client_limit(app):
    app.config["LOGIN_RATE_LIMIT"] = "200 per minute"  # these tests are about the per-account lockout


def _login(client, login, password=f.PASSWORD):
    return client.post(LOGIN, json={"login": login, "password": password})


def _bearer(r) -> dict[str, str]:
    return {"Authorization": f"Bearer {r.json['token']}"}


def _register(client, password, email="sun@example.com"):
    body = {
        "name": "孙经理",
        "email": email,
        "password": password,
        "roles": ["enterprise"],
        "organization": {"kind": "enterprise", "name": "金湖阀门有限公司", "region": "320831"},
    }
    return client.post("/api/v1/auth/register", json=body)


@pytest.mark.parametrize(
    "password",
    ["12345678", "password", "P@ssw0rd", "Admin@123", "abcdefgh", "ABCD1234", "Aa1!"],
)
def test_weak_passwords_are_refused_at_registration(client, password):
    r = _register(client, password)
    assert r.status_code == 422 and r.json["errors"]["password"], password
    assert _login(client, "sun@example.com", password).status_code == 401


def test_a_password_holding_the_email_name_is_refused(client):
    r = _register(client, "Zhangwei#2026", email="zhangwei@example.com")
    assert r.status_code == 422 and "邮箱" in r.json["errors"]["password"][0]


def test_a_strong_password_is_accepted(client):
    assert _register(client, "Jinhu#Valve2026").status_code == 202
    assert _login(client, "sun@example.com", "Jinhu#Valve2026").status_code == 200


def _age_failures(minutes: int) -> None:
    """Move the failure rows back in time, as if the minutes had passed."""
    for row in db.session.scalars(select(AuditLog).where(AuditLog.action == "login_failed")):
        row.at -= timedelta(minutes=minutes)
    db.session.commit()


def test_five_failures_lock_the_account_for_fifteen_minutes_and_each_is_audited(client, world):
    answers = [_login(client, world.alice.email, "Wrong#Guess1").status_code for _ in range(5)]
    assert answers == [401] * 5
    locked = _login(client, world.alice.email)  # even the right password
    assert locked.status_code == 429 and locked.json["code"] == "account_locked"
    assert _login(client, world.bob.email).status_code == 200  # other accounts are not affected
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "login_failed")).all()
    assert len(rows) == 5 and {r.object_id for r in rows} == {world.alice.id}
    assert {r.ip for r in rows} == {"127.0.0.1"} and all(r.detail["reason"] == "wrong_password" for r in rows)
    _age_failures(16)
    assert _login(client, world.alice.email).status_code == 200


def test_an_unknown_login_locks_exactly_like_a_real_one(client, world):
    real = [_login(client, world.alice.email, "Wrong#Guess1").status_code for _ in range(6)]
    ghost = [_login(client, "nobody@example.com", "Wrong#Guess1").status_code for _ in range(6)]
    assert real == ghost == [401] * 5 + [429]


def test_change_password_needs_the_old_one_and_signs_out_other_sessions(client, world):
    here, there = _login(client, world.alice.email), _login(client, world.alice.email)
    url = "/api/v1/auth/password"
    wrong = client.post(
        url, json={"old_password": "Wrong#Guess1", "new_password": NEW}, headers=_bearer(here)
    )
    assert wrong.status_code == 422 and "old_password" in wrong.json["errors"]
    weak = client.post(
        url, json={"old_password": f.PASSWORD, "new_password": "12345678"}, headers=_bearer(here)
    )
    assert weak.status_code == 422 and "new_password" in weak.json["errors"]
    assert client.post(url, json={"old_password": f.PASSWORD, "new_password": NEW}).status_code == 401
    ok = client.post(url, json={"old_password": f.PASSWORD, "new_password": NEW}, headers=_bearer(here))
    assert ok.status_code == 200
    assert client.get(ME, headers=_bearer(here)).status_code == 200  # this session stays
    assert client.get(ME, headers=_bearer(there)).status_code == 401  # the other one is signed out
    assert _login(client, world.alice.email).status_code == 401
    assert _login(client, world.alice.email, NEW).status_code == 200


def _mailed_code(outbox: Path) -> str:
    (path,) = (outbox / "email").glob("*.eml")
    mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    return mail.get_body(("plain",)).get_content().split("验证码是 ")[1][:6]


def test_reset_by_email_code_signs_out_everywhere(app, client, world):
    outbox = Path(app.config["OUTBOX_DIR"])
    session = _login(client, world.alice.email)
    unknown = client.post(RESET, json={"login": "nobody@example.com"})
    known = client.post(RESET, json={"login": world.alice.email.upper()})
    assert unknown.status_code == known.status_code == 202 and unknown.json == known.json
    code = _mailed_code(outbox)  # one mail: the unknown address got nothing
    body = {
        "login": world.alice.email,
        "code": "000000" if code != "000000" else "111111",
        "new_password": NEW,
    }
    assert client.post(CONFIRM, json=body).status_code == 422
    assert client.post(CONFIRM, json={**body, "code": code}).status_code == 200
    assert client.get(ME, headers=_bearer(session)).status_code == 401
    assert _login(client, world.alice.email, NEW).status_code == 200
    assert (
        client.post(CONFIRM, json={**body, "code": code, "new_password": "Other#Kj2026y"}).status_code == 422
    )


def test_reset_by_sms_code_and_it_lifts_a_lockout(app, client, world):
    outbox = Path(app.config["OUTBOX_DIR"])
    for _ in range(5):
        _login(client, world.bob.phone, "Wrong#Guess1")
    assert _login(client, world.bob.phone).status_code == 429
    assert client.post(RESET, json={"login": world.bob.phone}).status_code == 202
    (sms,) = (outbox / "sms").glob("*.json")
    message = json.loads(sms.read_text())
    assert message["phone"] == world.bob.phone
    body = {"login": world.bob.phone, "code": message["params"]["code"], "new_password": NEW}
    assert client.post(CONFIRM, json=body).status_code == 200
    assert _login(client, world.bob.phone, NEW).status_code == 200


def test_a_contact_change_code_cannot_reset_a_password(app, client, world):
    outbox = Path(app.config["OUTBOX_DIR"])
    r = client.post(
        "/api/v1/auth/verify/send", json={"channel": "email", "target": "new@x.cn"}, headers=world.h_bob
    )
    assert r.status_code == 202
    code = _mailed_code(outbox)
    body = {"login": "new@x.cn", "code": code, "new_password": NEW}
    assert client.post(CONFIRM, json=body).status_code == 422  # no such account, and the wrong purpose


def test_reset_answers_the_same_when_the_account_hits_its_limit(app, client, world):
    first = client.post(RESET, json={"login": world.alice.email})
    again = client.post(RESET, json={"login": world.alice.email})  # within the minute: no second mail
    assert first.status_code == again.status_code == 202 and first.json == again.json
    assert len(list((Path(app.config["OUTBOX_DIR"]) / "email").glob("*.eml"))) == 1
