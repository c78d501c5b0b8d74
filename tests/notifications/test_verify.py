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


def test_a_taken_number_gets_the_same_answer_and_no_code(app, client, world, clock, outbox):
    app.config["VERIFY_MAX_PER_TARGET_PER_HOUR"] = 1
    taken = client.post(SEND, json={"channel": "phone", "target": world.alice.phone}, headers=world.h_bob)
    clock.advance(seconds=61)
    free = client.post(SEND, json={"channel": "phone", "target": "13700002222"}, headers=world.h_bob)
    assert taken.status_code == free.status_code == 202
    assert taken.json["message"] == free.json["message"]
    sent_to = [json.loads(p.read_text())["phone"] for p in (outbox / "sms").glob("*.json")]
    assert sent_to == ["13700002222"]  # Alice's phone never got a code from Bob's request
    again = client.post(SEND, json={"channel": "phone", "target": world.alice.phone}, headers=world.h_bob)
    assert again.status_code == 429  # the hourly limit counts it like any other address


def test_invalid_targets_and_anonymous_callers_are_refused(client, world, clock):
    assert (
        client.post(SEND, json={"channel": "phone", "target": "12345"}, headers=world.h_bob).status_code
        == 422
    )
    assert client.post(SEND, json={"channel": "phone", "target": "13700001111"}).status_code == 401


def test_codes_are_limited_per_account_and_per_number_per_day(app, client, world, clock):
    app.config.update(VERIFY_MAX_PER_USER_PER_DAY=3, VERIFY_MAX_PER_TARGET_PER_HOUR=10)
    for n in range(3):
        body = {"channel": "phone", "target": f"1370000100{n}"}
        assert client.post(SEND, json=body, headers=world.h_bob).status_code == 202
        clock.advance(seconds=61)
    r = client.post(SEND, json={"channel": "phone", "target": "13700001009"}, headers=world.h_bob)
    assert r.status_code == 429 and "今日" in r.json["message"]  # a fourth number the same day
    clock.advance(hours=24, seconds=1)
    assert (
        client.post(SEND, json={"channel": "email", "target": "b@x.cn"}, headers=world.h_bob).status_code
        == 202
    )

    app.config.update(VERIFY_MAX_PER_USER_PER_DAY=100, VERIFY_MAX_PER_TARGET_PER_DAY=2)
    target = {"channel": "phone", "target": "13700007777"}
    for headers in (world.h_alice, world.h_rita):  # two accounts, one victim number
        assert client.post(SEND, json=target, headers=headers).status_code == 202
        clock.advance(hours=2)
    assert client.post(SEND, json=target, headers=world.h_staff_city).status_code == 429


def test_the_platform_daily_sms_cap_stops_codes_and_alerts_staff_once(
    app, client, world, clock, outbox, caplog
):
    app.config["SMS_DAILY_CAP"] = 2
    users = (world.h_alice, world.h_bob, world.h_rita)
    answers = [
        client.post(SEND, json={"channel": "phone", "target": f"1370000300{n}"}, headers=h).status_code
        for n, h in enumerate(users)
    ]
    assert answers == [202, 202, 429]
    assert len(list((outbox / "sms").glob("*.json"))) == 2
    r = client.post(SEND, json={"channel": "email", "target": "rita@x.cn"}, headers=world.h_rita)
    assert r.status_code == 202  # e-mail codes still go
    client.post(SEND, json={"channel": "phone", "target": "13700003009"}, headers=world.h_staff_xuyi)
    assert any("SMS daily cap reached" in rec.getMessage() for rec in caplog.records)
    alerts = client.get("/api/v1/notifications/inbox", headers=world.h_admin).json["items"]
    city = client.get("/api/v1/notifications/inbox", headers=world.h_staff_city).json["items"]
    county = client.get("/api/v1/notifications/inbox", headers=world.h_staff_jinhu).json["items"]
    assert [m["title"] for m in alerts] == [m["title"] for m in city] == ["今日短信发送量已达上限"]
    assert county == []  # city and platform operators are told, once
