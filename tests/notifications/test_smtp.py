"""E-mail over a real SMTP server on loopback: Chinese subject encoding, both parts, List-Unsubscribe."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser

from matchmaker.extensions import db
from matchmaker.models import Delivery
from tests.notifications.conftest import body_of, consent_all, publish_matching_need
from workers.jobs.notify import send_due


def _received(smtp_server, address):
    parser = BytesParser(policy=policy.default)
    return [(m.data, parser.parsebytes(m.data)) for m in smtp_server.messages if address in m.rcpt_tos]


def test_match_mail_goes_over_smtp(app, client, world, clock, smtp_server, outbox):
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_SSL=False)
    consent_all(world.rita)
    publish_matching_need(client, world)
    [(raw, mail)] = _received(smtp_server, world.rita.email)
    found = re.search(rb"^Subject: (.*(?:\r?\n[ \t].*)*)", raw, re.M)
    assert found is not None
    raw_subject = found.group(1)
    assert raw_subject.isascii() and b"=?utf-8?" in raw_subject.lower()  # RFC 2047 encoded words
    assert mail["Subject"].startswith("【匹配推荐】您的科技成果有新的技术需求匹配")
    assert mail.get_content_type() == "multipart/alternative"
    plain = body_of(mail)
    html = body_of(mail, "html")
    assert "压力传感器温漂补偿技术攻关" in plain and "压力传感器温漂补偿技术攻关" in html
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://localhost:5000/api/v1/notifications/unsubscribe?token=")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in plain
    row = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="email").one()
    assert row.provider == "smtp" and row.provider_id == mail["Message-ID"]
    assert not (outbox / "email").exists()  # nothing went to the local outbox

    # the link in the mail switches match e-mails off with one click
    path = unsubscribe.removeprefix("http://localhost:5000")
    assert client.get(path).status_code == 200
    r = client.get("/api/v1/notifications/settings", headers=world.h_rita).json
    assert {"kind": "match", "label": "匹配推荐与对接进展", "channel": "email", "enabled": False} in r[
        "preferences"
    ]


def test_smtp_outage_is_retried_not_dropped(app, client, world, clock):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_SSL=False)
    consent_all(world.rita)
    publish_matching_need(client, world)
    row = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="email").one()
    assert (row.status, row.attempts) == ("queued", 1)
    assert "SMTP unavailable" in (row.error or "") and row.not_before > clock.at


def test_a_mail_interrupted_mid_send_goes_again_under_the_same_message_id(
    app, client, world, clock, smtp_server
):
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_SSL=False)
    consent_all(world.rita)
    publish_matching_need(client, world)
    [(_, first)] = _received(smtp_server, world.rita.email)
    row = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="email").one()
    # the worker died after the server accepted the mail, before it recorded 'sent'
    row.status, row.sent_at, row.updated_at = "sending", None, clock.at
    db.session.commit()
    assert "resent" not in send_due()  # it may still be sending: left alone for now
    clock.advance(seconds=app.config["NOTIFY_SENDING_TIMEOUT"] + 1)
    assert send_due() == {"sent": 1, "resent": 1}
    copies = _received(smtp_server, world.rita.email)
    assert len(copies) == 2 and {mail["Message-ID"] for _, mail in copies} == {first["Message-ID"]}
    row = db.session.get(Delivery, row.id)
    assert (row.status, row.attempts, row.provider_id) == ("sent", 2, first["Message-ID"])
    assert db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="email").count() == 1
