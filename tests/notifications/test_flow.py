"""End to end with the embedded defaults: publishing a matching need reaches the researcher everywhere."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser

from matchmaker.extensions import db
from matchmaker.models import Delivery, Match
from tests.notifications.conftest import body_of, consent_all, publish_matching_need
from workers.jobs import notify


def _files(outbox, channel):
    folder = outbox / channel
    return sorted(folder.glob("*.*")) if folder.exists() else []


def _rita_sms(outbox, world):
    return [p for p in _files(outbox, "sms") if json.loads(p.read_text())["phone"] == world.rita.phone]


def _mail_to(outbox, user):
    parser = BytesParser(policy=policy.default)
    mails = [parser.parsebytes(p.read_bytes()) for p in _files(outbox, "email")]
    return [m for m in mails if m["To"] == user.email]


def _rita_mail(outbox, world):
    return _mail_to(outbox, world.rita)


def test_publish_leaves_email_sms_and_inbox_for_matched_researcher(client, world, clock, outbox):
    consent_all(world.rita, world.alice)
    publish_matching_need(client, world)
    (mail,) = [m for m in _rita_mail(outbox, world) if "匹配推荐" in m["Subject"]]
    assert "压力传感器温漂补偿技术攻关" in body_of(mail)
    (sms,) = _rita_sms(outbox, world)
    assert json.loads(sms.read_text())["params"]["my_kind"] == "科技成果"
    r = client.get("/api/v1/notifications/inbox/unread-count", headers=world.h_rita)
    assert r.json["count"] == 1
    items = client.get("/api/v1/notifications/inbox", headers=world.h_rita).json["items"]
    assert "匹配推荐" in items[0]["title"] and items[0]["read_at"] is None
    # the enterprise hears both that its need is published and about the match
    causes = {d.cause for d in db.session.query(Delivery).filter_by(user_id=world.alice.id, status="sent")}
    assert causes == {"listing.published", "match.new"}


def test_second_run_sends_nothing_twice(client, world, clock, outbox):
    consent_all(world.rita)
    need_id = publish_matching_need(client, world)
    before = (len(_files(outbox, "email")), len(_files(outbox, "sms")), db.session.query(Delivery).count())
    match = db.session.query(Match).filter_by(need_id=need_id).one()
    assert notify.notify_event("match.new", f"match/{match.id}") == 0
    assert notify.notify_event("listing.published", f"need/{need_id}@3") == 0
    assert notify.drain_pushes() == 0
    for delivery in db.session.query(Delivery).all():  # replaying every send job changes nothing
        notify.send_delivery(delivery.id)
    assert notify.send_due() == {}
    after = (len(_files(outbox, "email")), len(_files(outbox, "sms")), db.session.query(Delivery).count())
    assert after == before


def test_preference_change_stops_the_sms(client, world, clock, outbox):
    consent_all(world.rita)
    r = client.put(
        "/api/v1/notifications/preferences",
        json={"preferences": [{"kind": "match", "channel": "sms", "enabled": False}]},
        headers=world.h_rita,
    )
    assert r.status_code == 200
    publish_matching_need(client, world)
    assert _rita_sms(outbox, world) == []
    assert len([m for m in _rita_mail(outbox, world) if "匹配推荐" in m["Subject"]]) == 1
    row = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="sms").one()
    assert (row.status, row.rule) == ("suppressed", "preference_off")


def test_other_side_interest_and_connection_are_notified(client, world, clock, outbox):
    consent_all(world.rita, world.alice)
    need_id = publish_matching_need(client, world)
    match = db.session.query(Match).filter_by(need_id=need_id).one()
    client.post(f"/api/v1/matches/{match.id}/interest", headers=world.h_alice)
    interested = db.session.query(Delivery).filter_by(cause="match.interested", channel="inbox").all()
    assert [d.user_id for d in interested] == [world.rita.id]
    client.post(f"/api/v1/matches/{match.id}/interest", headers=world.h_rita)
    connected = db.session.query(Delivery).filter_by(cause="match.connected", channel="email", status="sent")
    assert {d.user_id for d in connected} == {world.rita.id, world.alice.id}
    mail = [m for m in _rita_mail(outbox, world) if "对接成功" in m["Subject"]]
    assert "联系方式" in body_of(mail[0])


def test_rejection_carries_the_reason(client, world, clock, outbox):
    consent_all(world.alice)
    body = {
        "title": "高精度流量计国产化",
        "summary": "寻求流量计核心部件国产化方案。",
        "fields": ["instrument"],
        "keywords": ["流量计"],
        "need_type": "key_technology",
        "modes": ["license"],
    }
    need = client.post("/api/v1/needs", json=body, headers=world.h_alice).json
    client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice)
    r = client.post(
        f"/api/v1/needs/{need['id']}/reject", json={"reason": "预算区间未填写"}, headers=world.h_staff_jinhu
    )
    assert r.status_code == 200
    items = client.get("/api/v1/notifications/inbox", headers=world.h_alice).json["items"]
    assert "审核退回" in items[0]["title"] and "预算区间未填写" in items[0]["body"]
    (mail,) = _mail_to(outbox, world.alice)
    assert "预算区间未填写" in body_of(mail, "html")
