"""Under rq (fakeredis, in-process worker): publishing fans out to notify jobs; failed sends are retried."""

from __future__ import annotations

from rq import Queue

from matchmaker.extensions import db
from matchmaker.models import Delivery
from matchmaker.notifications import dispatch
from matchmaker.notifications.channels import TransientError
from tests.notifications.conftest import Flaky, consent_all, publish_matching_need
from workers.jobs.notify import send_due


def test_publish_under_rq_sends_through_notify_jobs_and_retries(
    app, client, world, clock, fake_rq, run_jobs, monkeypatch
):
    app.config["JOB_RETRY_INTERVALS"] = [0]
    real = dispatch._channel
    flaky = Flaky(TransientError("provider busy"))
    consent_all(world.rita)
    publish_matching_need(client, world)
    assert Queue("notify", connection=fake_rq).count == 1  # the review notice, waiting for a worker

    def channel(name):
        return flaky if name == "sms" else real(name)

    monkeypatch.setattr(dispatch, "_channel", channel)
    run_jobs()
    sms = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="sms").one()
    assert (sms.status, sms.attempts, sms.error) == ("queued", 1, "TransientError: provider busy")
    email = db.session.query(Delivery).filter_by(user_id=world.rita.id, channel="email").one()
    assert email.status == "sent"
    clock.advance(minutes=2)
    assert send_due() == {"sent": 1}  # the periodic sweep picks up the due retry
    assert db.session.get(Delivery, sms.id).attempts == 2  # type: ignore[union-attr]
