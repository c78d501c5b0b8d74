"""Registration, login by e-mail or mobile, tokens (logout, expiry, revocation, deactivation), rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from matchmaker import create_app
from matchmaker.auth.tokens import digest
from matchmaker.extensions import db
from matchmaker.models import ApiToken, AuditLog, Organization, User
from matchmaker.models.common import utcnow
from matchmaker.taxonomy.validators import uscc_with_check
from tests import factories as f

USCC = uscc_with_check("91320830MA1R8T6Q0")
PASSWORD = "Qiye@2026huaian"


def _register(client, **changes):
    body = {
        "name": "周经理",
        "email": "zhou@example.com",
        "phone": "13951234567",
        "password": PASSWORD,
        "roles": ["enterprise"],
        "organization": {
            "kind": "enterprise",
            "name": "盱眙凹土科技有限公司",
            "region": "320830",
            "uscc": USCC,
        },
    }
    body["organization"].update(changes.pop("organization", {}))
    body.update(changes)
    return client.post("/api/v1/auth/register", json=body)


def _login(client, login, password=PASSWORD):
    return client.post("/api/v1/auth/login", json={"login": login, "password": password})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_register_login_me_logout(client):
    r = _register(client)
    assert r.status_code == 202, r.json
    assert "password" not in r.json and set(r.json) == {"message"}

    by_email = _login(client, "Zhou@Example.com")
    assert by_email.status_code == 200 and by_email.json["token_type"] == "Bearer"
    user = by_email.json["user"]
    assert user["email"] == "zhou@example.com" and user["roles"] == ["enterprise"]
    assert (
        user["organization"]["name"] == "盱眙凹土科技有限公司" and user["organization"]["verified"] is False
    )
    by_phone = _login(client, "+86 139 5123 4567")
    assert by_phone.status_code == 200 and by_phone.json["user"]["id"] == user["id"]

    token = by_email.json["token"]
    me = client.get("/api/v1/auth/me", headers=_bearer(token))
    assert me.status_code == 200 and me.json["phone"] == "13951234567"

    assert client.post("/api/v1/auth/logout", headers=_bearer(token)).status_code == 200
    gone = client.get("/api/v1/auth/me", headers=_bearer(token))
    assert gone.status_code == 401 and gone.json["code"] == "unauthorized"
    # the other session is untouched
    assert client.get("/api/v1/auth/me", headers=_bearer(by_phone.json["token"])).status_code == 200


def test_registered_user_can_post_a_need_in_own_county(client):
    _register(client)
    token = _login(client, "zhou@example.com").json["token"]
    need = {
        "title": "凹凸棒石黏土提纯工艺",
        "summary": "寻求凹凸棒石黏土高效提纯与改性工艺，用于高端吸附材料。",
        "fields": ["materials"],
        "need_type": "process_improvement",
    }
    r = client.post("/api/v1/needs", json=need, headers=_bearer(token))
    assert r.status_code == 201 and r.json["region"] == "320830"


def test_login_and_register_are_audited(client):
    _register(client)
    user_id = _login(client, "zhou@example.com").json["user"]["id"]
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.actor_id == user_id)).all()
    assert actions == ["register", "login"]


def test_me_needs_a_token(client):
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.post("/api/v1/auth/logout").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer mm_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"]
)
def test_bad_credentials_are_rejected_even_on_public_endpoints(client, header):
    r = client.get("/api/v1/needs", headers={"Authorization": header})
    assert r.status_code == 401 and r.json["message"]


def test_wrong_password_and_unknown_user_look_the_same(client, world):
    wrong = _login(client, world.alice.email, "wrong-password")
    unknown = _login(client, "nobody@example.com", "wrong-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["message"] == unknown.json["message"] == "账号或密码错误"
    assert _login(client, world.alice.email, f.PASSWORD).status_code == 200


def test_expired_token_is_rejected(client, world):
    token = _login(client, world.alice.email, f.PASSWORD).json["token"]
    assert client.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 401


def test_revoked_token_is_rejected(client, world):
    token = _login(client, world.bob.email, f.PASSWORD).json["token"]
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    row.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 401


def test_token_expiry_follows_the_configured_ttl(app, client, world):
    r = _login(client, world.alice.email, f.PASSWORD)
    ttl = timedelta(hours=app.config["TOKEN_TTL_HOURS"])
    expires = db.session.scalar(
        select(ApiToken.expires_at).where(ApiToken.token_hash == digest(r.json["token"]))
    )
    assert abs(expires - (utcnow() + ttl)) < timedelta(minutes=5)


def test_deactivated_user_is_locked_out(client, world):
    r = client.patch(f"/api/v1/users/{world.alice.id}", json={"is_active": False}, headers=world.h_admin)
    assert r.status_code == 200 and r.json["is_active"] is False
    assert client.get("/api/v1/auth/me", headers=world.h_alice).status_code == 401
    assert _login(client, world.alice.email, f.PASSWORD).status_code == 401
    r = client.patch(f"/api/v1/users/{world.alice.id}", json={"is_active": True}, headers=world.h_admin)
    assert r.status_code == 200
    assert client.get("/api/v1/auth/me", headers=world.h_alice).status_code == 401  # old tokens stay revoked
    assert _login(client, world.alice.email, f.PASSWORD).status_code == 200


# duplicates


def test_a_taken_email_or_phone_gets_the_same_answer_as_a_new_one_and_nothing_is_created(client):
    first = _register(client)
    other_org = {"name": "另一家公司", "uscc": uscc_with_check("91320830MA1R8T6Q1")}
    by_email = _register(
        client,
        email="ZHOU@example.com",
        phone="13951234000",
        password="Lvse#Huai2026",
        organization=other_org,
    )
    by_phone = _register(client, email="other@example.com", password="Lvse#Huai2026", organization=other_org)
    assert first.status_code == by_email.status_code == by_phone.status_code == 202
    assert first.json == by_email.json == by_phone.json
    assert db.session.scalar(select(func.count(User.id))) == 1  # no second account, no second unit
    assert db.session.scalar(select(func.count(Organization.id))) == 1
    assert _login(client, "zhou@example.com").status_code == 200  # the original password still holds
    assert _login(client, "other@example.com", "Lvse#Huai2026").status_code == 401


def test_duplicate_uscc_is_409_whatever_the_spelling(client):
    assert _register(client).status_code == 202
    for spelling in (USCC, USCC.lower(), f" {USCC[:9]} {USCC[9:]} "):
        r = _register(client, email="other@example.com", phone="13951230000", organization={"uscc": spelling})
        assert r.status_code == 409, (spelling, r.json)
        assert "uscc" in r.json["errors"]["organization"]


def test_email_is_stored_trimmed_so_login_works(client):
    assert _register(client, email="  Zhou@Example.com ").status_code == 202
    assert _login(client, "zhou@example.com").status_code == 200


def test_self_registration_cannot_grant_staff_admin_or_expert(client):
    for roles in (["staff"], ["enterprise", "admin"], ["expert"], ["researcher", "expert"]):
        r = _register(client, roles=roles)
        assert r.status_code == 422 and "roles" in r.json["errors"]
    assert _login(client, "zhou@example.com").status_code == 401


# rate limit


@pytest.fixture
def limited_client(tmp_path):
    """An app whose login limit is three attempts a minute."""
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limited.sqlite3'}",
            "SEARCH_LOCAL_PATH": str(tmp_path / "limited-search.sqlite3"),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_login_rate_limit(limited_client):
    for _ in range(3):
        assert _login(limited_client, "guess@example.com", "guess-1234").status_code == 401
    r = _login(limited_client, "guess@example.com", "guess-1234")
    assert r.status_code == 429
    assert set(r.json) == {"code", "status", "message", "errors"} and r.json["code"] == "too_many_requests"
    assert r.headers["Retry-After"] and "频繁" in r.json["message"]
    assert _login(limited_client, "other@example.com", "guess-1234").status_code == 429  # per address
    assert limited_client.get("/api/v1/needs").status_code == 200  # other endpoints are not limited


def test_registration_records_the_notification_consents_ticked(client, app):
    from matchmaker.models.notifications import Consent

    assert _register(client, consents=["email"]).status_code == 202
    user_id = _login(client, "zhou@example.com").json["user"]["id"]
    rows = Consent.query.filter_by(user_id=user_id).all()
    assert [(c.purpose, c.granted, c.source) for c in rows] == [("email", True, "registration")]
    bad = _register(
        client, email="other@example.com", phone="13951234568", consents=["fax"], organization={"uscc": None}
    )
    assert bad.status_code == 422 and "consents" in bad.json["errors"]
