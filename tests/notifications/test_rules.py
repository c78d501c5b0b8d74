"""Rules: quiet hours, frequency caps, consent, personalisation opt-out, dedupe and retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.models import Delivery
from matchmaker.models.common import CHINA
from matchmaker.notifications import causes, dispatch, rules
from matchmaker.notifications.channels import PermanentError, TransientError
from tests.notifications.conftest import Flaky, consent_all, publish_matching_need
from workers.jobs import notify

SH = CHINA


def _notice(user, n: int) -> list[int]:
    """Plan a 'listing published' notice for the user (inbox, e-mail, SMS) about listing n."""
    context = {"kind_label": "技术需求", "title": f"测试需求{n}", "reason": "", "link": None}
    ids = dispatch.plan_user(causes.get("listing.published"), f"need/{n}@1", user, context)
    db.session.commit()
    return ids


def _sms(user, n: int) -> Delivery:
    return (
        db.session.query(Delivery).filter_by(user_id=user.id, channel="sms", object_ref=f"need/{n}@1").one()
    )


def _row(delivery_id: int) -> Delivery:
    row = db.session.get(Delivery, delivery_id)
    assert row is not None
    return row


def _send_all(ids):
    for i in ids:
        dispatch.send(i)


@pytest.mark.parametrize(
    ("local", "until"),
    [
        (datetime(2026, 11, 18, 22, 30), datetime(2026, 11, 19, 8, 0)),
        (datetime(2026, 11, 18, 21, 0), datetime(2026, 11, 19, 8, 0)),
        (datetime(2026, 11, 18, 7, 59), datetime(2026, 11, 18, 8, 0)),
        (datetime(2026, 11, 18, 8, 0), None),
        (datetime(2026, 11, 18, 20, 59), None),
    ],
)
def test_quiet_until(local, until):
    expected = until.replace(tzinfo=SH) if until else None
    assert rules.quiet_until(local.replace(tzinfo=SH), "21:00-08:00") == expected


def test_sms_at_night_is_deferred_to_eight_not_dropped(client, world, clock, outbox):
    clock.at = datetime(2026, 11, 18, 22, 30, tzinfo=SH).astimezone(UTC)
    consent_all(world.rita)
    publish_matching_need(client, world)
    sms = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="sms").one()
    assert (sms.status, sms.rule) == ("deferred", "quiet_hours")
    assert sms.not_before == datetime(2026, 11, 19, 8, 0, tzinfo=SH)
    assert db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="email").one().status == "sent"
    clock.at = datetime(2026, 11, 19, 7, 59, tzinfo=SH).astimezone(UTC)
    assert notify.send_due() == {}
    clock.at = datetime(2026, 11, 19, 8, 0, tzinfo=SH).astimezone(UTC)
    assert notify.send_due() == {"sent": 1}
    assert len(list((outbox / "sms").glob("*.json"))) == 1


def test_daily_cap_per_number(app, world, clock):
    app.config.update(SMS_MAX_PER_NUMBER_PER_DAY=2, SMS_MAX_PER_USER_PER_HOUR=10)
    consent_all(world.rita)
    for n in (1, 2, 3):
        _send_all(_notice(world.rita, n))
        clock.advance(minutes=5)
    assert [_sms(world.rita, n).status for n in (1, 2, 3)] == ["sent", "sent", "deferred"]
    held = _sms(world.rita, 3)
    assert held.rule == "cap_number_daily" and held.not_before == datetime(2026, 11, 19, 8, 0, tzinfo=SH)


def test_hourly_cap_per_user(app, world, clock):
    app.config.update(SMS_MAX_PER_USER_PER_HOUR=2)
    consent_all(world.rita)
    first = clock.at
    for n in (1, 2, 3):
        _send_all(_notice(world.rita, n))
        clock.advance(minutes=10)
    held = _sms(world.rita, 3)
    assert (held.status, held.rule, held.not_before) == (
        "deferred",
        "cap_user_hourly",
        first + timedelta(hours=1),
    )
    clock.at = first + timedelta(hours=1)
    notify.send_due()
    assert _sms(world.rita, 3).status == "sent"


def test_no_consent_suppresses_email_and_sms_but_not_the_inbox(world, clock):
    consent_all(world.bob, channels=("email",))
    from matchmaker.services.notifications import record_consent

    record_consent(user_id=world.bob.id, purpose="email", granted=False, source="settings")  # withdrawn
    _send_all(_notice(world.bob, 1))
    rows = {d.channel: (d.status, d.rule) for d in db.session.query(Delivery).filter_by(user_id=world.bob.id)}
    assert rows == {
        "inbox": ("sent", None),
        "email": ("suppressed", "no_consent"),
        "sms": ("suppressed", "no_consent"),
    }


def test_personalisation_opt_out_suppresses_match_pushes_only(client, world, clock, outbox):
    consent_all(world.rita, world.alice)
    r = client.post(
        "/api/v1/notifications/consents",
        json={"purpose": "personalised", "granted": False},
        headers=world.h_rita,
    )
    assert r.status_code == 201 and r.json["personalised"] is False
    publish_matching_need(client, world)
    rita = db.session.query(Delivery).filter_by(user_id=world.rita.id, cause="match.new").all()
    assert {(d.channel, d.status, d.rule) for d in rita} == {
        (ch, "suppressed", "personalisation_opt_out") for ch in ("inbox", "email", "sms")
    }
    alice = (
        db.session.query(Delivery).filter_by(user_id=world.alice.id, cause="match.new", channel="email").one()
    )
    assert alice.status == "sent"


def test_delivery_key_is_unique(world, clock):
    consent_all(world.rita)
    assert len(_notice(world.rita, 1)) == 3
    assert _notice(world.rita, 1) == []
    db.session.add(
        Delivery(cause="listing.published", object_ref="need/1@1", channel="sms", user_id=world.rita.id)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_transient_failure_is_retried_then_sent(monkeypatch, world, clock):
    flaky = Flaky(TransientError("connection reset"))
    monkeypatch.setattr(dispatch, "_channel", lambda name: flaky)
    consent_all(world.rita)
    ids = _notice(world.rita, 1)
    sms_id = _sms(world.rita, 1).id
    with pytest.raises(TransientError):  # raised so rq schedules its retry
        notify.send_delivery(sms_id)
    _send_all(i for i in ids if i != sms_id)
    row = _row(sms_id)
    assert (row.status, row.attempts, row.error) == ("queued", 1, "TransientError: connection reset")
    assert notify.send_due() == {}  # not due yet
    clock.advance(seconds=61)
    assert notify.send_due() == {"sent": 1}
    row = _row(sms_id)
    assert (row.status, row.attempts, row.provider_id) == ("sent", 2, f"flaky-{sms_id}")
    assert [m.delivery_id for m in flaky.sent].count(sms_id) == 1


def test_permanent_failure_and_exhausted_retries_are_recorded(app, monkeypatch, world, clock):
    app.config["NOTIFY_MAX_ATTEMPTS"] = 2
    consent_all(world.rita)
    _notice(world.rita, 1)
    email = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="email").one()
    monkeypatch.setattr(dispatch, "_channel", lambda name: Flaky(PermanentError("550 mailbox unavailable")))
    assert notify.send_delivery(email.id) == "failed"  # no retry for a permanent error
    row = _row(email.id)
    assert (row.error, row.attempts) == ("PermanentError: 550 mailbox unavailable", 1)

    flaky = Flaky(TransientError("timeout"), TransientError("timeout"))
    monkeypatch.setattr(dispatch, "_channel", lambda name: flaky)
    sms_id = _sms(world.rita, 1).id
    with pytest.raises(TransientError):
        dispatch.send(sms_id)
    clock.advance(minutes=2)
    assert dispatch.send(sms_id) == "failed"  # the second attempt was the last
    row = _row(sms_id)
    assert (row.attempts, row.error) == (2, "TransientError: timeout")
    assert flaky.sent == []


def test_match_pushes_beyond_the_daily_allowance_stay_in_the_inbox(app, world, clock):
    app.config["NOTIFY_MAX_PUSHES_PER_DAY"] = 2
    consent_all(world.rita)
    cause = causes.get("match.new")
    context = {
        "my_kind": "科技成果",
        "my_title": "成果",
        "other_kind": "技术需求",
        "other_title": "需求",
        "score": 91,
        "explanation": "关键词重合",
        "link": None,
    }
    for n in (1, 2, 3):
        dispatch.plan_user(cause, f"match/{n}", world.rita, context)
    db.session.commit()
    third = {
        d.channel: (d.status, d.rule) for d in db.session.query(Delivery).filter_by(object_ref="match/3")
    }
    assert third == {
        "inbox": ("queued", None),
        "email": ("suppressed", "push_daily_cap"),
        "sms": ("suppressed", "push_daily_cap"),
    }
    clock.advance(days=1, seconds=1)
    assert len(dispatch.plan_user(cause, "match/4", world.rita, context)) == 3


def test_an_sms_interrupted_midway_is_reported_not_repeated(world, clock):
    consent_all(world.rita)
    _notice(world.rita, 1)
    row = _sms(world.rita, 1)
    row.status, row.updated_at = "sending", clock.at  # a worker died after claiming it
    db.session.commit()
    assert notify.send_due() == {"sent": 2}  # the inbox and e-mail rows; the SMS is left alone
    clock.advance(minutes=16)
    assert notify.send_due() == {"unknown": 1}  # an SMS has no id the provider de-duplicates on
    row = _sms(world.rita, 1)
    assert row.status == "failed" and "not resent" in (row.error or "")
