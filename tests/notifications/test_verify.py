"""One-time codes for a new phone or e-mail: sent by SMS or e-mail, rate-limited, single use."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser

from matchmaker.extensions import db
from matchmaker.models import User
from tests.notifications.conftest import body_of


def _fresh(user: User) -> User:
    db.session.refresh(user)
    return user


SEND, CONFIRM = "/api/v1/auth/verify/send", "/api/v1/auth/verify/confirm"


def _last_code(outbox) -> str:
    latest = sorted((outbox / "sms").glob("*.json"))[-1]
    return json.loads(latest.read_text())["params"]["code"]


def test_phone_change_with_code(client, world, clock, outbox):
    clock.at = clock.at.replace(hour=15)  # 23:00 in Shanghai: codes are not held by quiet hours
    new = "13700001234"
    r = client.post(SEND, json={"channel": "phone", "target": new}, headers=world.h_bob)
    assert r.status_code == 202
    code = _last_code(outbox)
    wrong = "000000" if code != "000000" else "111111"
    body = {"channel": "phone", "target": new, "code": wrong}
    assert client.post(CONFIRM, json=body, headers=world.h_bob).status_code == 422
    r = client.post(CONFIRM, json={**body, "code": code}, headers=world.h_bob)
    assert r.status_code == 200
    assert _fresh(world.bob).phone == new
    assert client.post(CONFIRM, json={**body, "code": code}, headers=world.h_bob).status_code == 422  # used


def test_email_change_with_code(client, world, clock, outbox):
    r = client.post(SEND, json={"channel": "email", "target": "Bob.Li@Example.cn"}, headers=world.h_bob)
    assert r.status_code == 202
    (path,) = (outbox / "email").glob("*.eml")
    mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert mail["To"] == "bob.li@example.cn" and mail["List-Unsubscribe"] is None
    code = body_of(mail).split("验证码是 ")[1][:6]
    body = {"channel": "email", "target": "bob.li@example.cn", "code": code}
    assert client.post(CONFIRM, json=body, headers=world.h_bob).status_code == 200
    assert _fresh(world.bob).email == "bob.li@example.cn"


def test_codes_are_limited_per_number_and_per_client(app, client, world, clock):
    app.config["VERIFY_CLIENT_RATE_LIMIT"] = "4 per hour"
    body = {"channel": "phone", "target": "13700005678"}
    assert client.post(SEND, json=body, headers=world.h_bob).status_code == 202
    assert client.post(SEND, json=body, headers=world.h_bob).status_code == 429  # within 60 seconds
    app.config["VERIFY_MAX_PER_TARGET_PER_HOUR"] = 2
    clock.advance(seconds=61)
    assert client.post(SEND, json=body, headers=world.h_bob).status_code == 202
    clock.advance(seconds=61)
    assert client.post(SEND, json=body, headers=world.h_bob).status_code == 429  # two an hour
    other = {"channel": "phone", "target": "13700009999"}
    assert (
        client.post(SEND, json=other, headers=world.h_alice).status_code == 429
    )  # a fifth request from the same client


def test_taken_or_invalid_targets_are_refused(client, world, clock):
    taken = {"channel": "phone", "target": world.alice.phone}
    assert client.post(SEND, json=taken, headers=world.h_bob).status_code == 409
    assert (
        client.post(SEND, json={"channel": "phone", "target": "12345"}, headers=world.h_bob).status_code
        == 422
    )
    assert client.post(SEND, json={"channel": "phone", "target": "13700001111"}).status_code == 401
