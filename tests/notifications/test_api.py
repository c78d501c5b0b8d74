"""Access to the inbox, settings and the delivery log; one-click unsubscribe."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import Delivery
from matchmaker.notifications import causes, dispatch, tokens
from tests.notifications.conftest import consent_all

INBOX = "/api/v1/notifications/inbox"
LOG = "/api/v1/notifications/deliveries"


def _notice(user, n: int) -> None:
    context = {"kind_label": "技术需求", "title": f"测试需求{n}", "reason": "", "link": None}
    for i in dispatch.plan_user(causes.get("listing.published"), f"need/{n}@1", user, context):
        db.session.commit()
        dispatch.send(i)


def test_inbox_unread_count_and_mark_read(client, world, clock):
    _notice(world.alice, 1)
    _notice(world.alice, 2)
    page = client.get(INBOX, headers=world.h_alice).json
    assert (page["total"], page["unread"]) == (2, 2)
    assert (
        page["items"][0]["title"] == "【审核通过】您的技术需求已发布"
        and "测试需求2" in page["items"][0]["body"]
    )
    first = page["items"][1]["id"]
    r = client.post(f"{INBOX}/{first}/read", headers=world.h_alice)
    assert r.status_code == 200 and r.json["read_at"] is not None
    assert client.get(f"{INBOX}/unread-count", headers=world.h_alice).json == {"count": 1}
    assert client.get(f"{INBOX}?unread=true", headers=world.h_alice).json["total"] == 1
    assert client.post(f"{INBOX}/read-all", headers=world.h_alice).json == {"count": 1}
    assert client.get(f"{INBOX}/unread-count", headers=world.h_alice).json == {"count": 0}


def test_a_user_cannot_read_or_mark_anothers_messages(client, world, clock):
    _notice(world.alice, 1)
    message_id = client.get(INBOX, headers=world.h_alice).json["items"][0]["id"]
    assert client.get(INBOX, headers=world.h_bob).json["total"] == 0
    assert client.post(f"{INBOX}/{message_id}/read", headers=world.h_bob).status_code == 404
    assert client.post(f"{INBOX}/{message_id}/read", headers=world.h_admin).status_code == 404
    client.post(f"{INBOX}/read-all", headers=world.h_bob)
    assert client.get(f"{INBOX}/unread-count", headers=world.h_alice).json == {"count": 1}
    assert client.get(INBOX).status_code == 401


def test_delivery_log_by_role_and_region(client, world, clock):
    consent_all(world.alice, world.bob)
    _notice(world.alice, 1)  # 金湖
    _notice(world.bob, 2)  # 盱眙
    for who in ("h_alice", "h_rita"):
        assert client.get(LOG, headers=getattr(world, who)).status_code == 403
    jinhu = client.get(LOG, headers=world.h_staff_jinhu).json
    assert {row["user_id"] for row in jinhu["items"]} == {world.alice.id} and jinhu["total"] == 3
    city = client.get(LOG, headers=world.h_staff_city).json
    assert {row["user_id"] for row in city["items"]} == {world.alice.id, world.bob.id}
    sms = client.get(f"{LOG}?channel=sms&status=sent", headers=world.h_admin).json
    assert sms["total"] == 2 and all(row["provider"] == "outbox" for row in sms["items"])
    assert "content" not in sms["items"][0] and "address" not in sms["items"][0]
    assert client.get(f"{LOG}?status=lost", headers=world.h_admin).status_code == 422


def test_unsubscribe_link_is_signed(app, client, world, clock):
    good = tokens.unsubscribe_token(app.config["SECRET_KEY"], world.bob.id, "digest")
    forged = tokens.unsubscribe_token("another-secret", world.bob.id, "digest")
    url = "/api/v1/notifications/unsubscribe?token="
    assert client.get(url + forged).status_code == 404
    r = client.post(url + good, data={"List-Unsubscribe": "One-Click"})  # RFC 8058 one-click POST
    assert r.status_code == 200 and "每周需求信息汇编" in r.json["message"]
    consent_all(world.bob)
    prefs = client.get("/api/v1/notifications/settings", headers=world.h_bob).json["preferences"]
    digest_email = [p for p in prefs if p["kind"] == "digest" and p["channel"] == "email"]
    assert digest_email[0]["enabled"] is False
    assert client.get(url + good).status_code == 200  # a second click changes nothing and still works


def test_settings_and_consent_history(client, world, clock):
    r = client.get("/api/v1/notifications/settings", headers=world.h_bob).json
    assert r["consents"] == {"email": None, "sms": None, "personalised": None} and r["personalised"] is True
    body = {"purpose": "sms", "granted": True, "source": "settings_page"}
    assert client.post("/api/v1/notifications/consents", json=body, headers=world.h_bob).json["consents"][
        "sms"
    ]
    body = {"purpose": "sms", "granted": False}
    r = client.post("/api/v1/notifications/consents", json=body, headers=world.h_bob)
    assert r.json["consents"]["sms"] is False
    bad = {"preferences": [{"kind": "spam", "channel": "sms", "enabled": True}]}
    assert client.put("/api/v1/notifications/preferences", json=bad, headers=world.h_bob).status_code == 422
    assert db.session.query(Delivery).count() == 0
