"""The notification outbox: what Redis never received is replayed by the drain, each message once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AnnouncedEvent, Delivery, InboxMessage
from tests import factories as f
from tests.events.conftest import add_match
from tests.notifications.conftest import consent_all
from tests.servers import free_port
from workers.jobs.notify import drain_announced, send_due


def _inbox_by_cause() -> dict[tuple[int, str, str], int]:
    rows = db.session.execute(
        select(Delivery.user_id, Delivery.cause, Delivery.object_ref, func.count(InboxMessage.id))
        .join(InboxMessage, InboxMessage.delivery_id == Delivery.id)
        .group_by(Delivery.user_id, Delivery.cause, Delivery.object_ref)
    )
    return {(user, cause, ref): n for user, cause, ref, n in rows}


def test_announcements_made_while_redis_is_down_are_replayed_once(app, client, world, clock):
    consent_all(world.alice, world.rita)
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # down: every enqueue fails
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    match = add_match(f.make_need(world.ent_a, world.alice), f.make_output(world.uni, world.rita), 0.95)
    assert client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_jinhu).status_code == 200
    for who in (world.h_alice, world.h_rita):
        assert client.post(f"/api/v1/matches/{match.id}/interest", headers=who).status_code == 200
    pending = {(row.cause, row.ref) for row in db.session.scalars(select(AnnouncedEvent))}
    assert pending == {
        ("listing.published", f"need/{need.id}@2"),
        ("match.interested", f"match/{match.id}"),
        ("match.connected", f"match/{match.id}"),
    }
    assert db.session.scalar(select(func.count(Delivery.id))) == 0  # nobody told yet

    app.config["REDIS_URL"] = None  # Redis is back (here: jobs inline)
    assert drain_announced(grace=0) == 3
    send_due()
    assert drain_announced(grace=0) == 0  # all handled: a second drain plans nothing
    told = _inbox_by_cause()
    assert told[(world.alice.id, "listing.published", f"need/{need.id}@2")] == 1
    assert told[(world.alice.id, "match.connected", f"match/{match.id}")] == 1
    assert told[(world.rita.id, "match.connected", f"match/{match.id}")] == 1
    assert set(told.values()) == {1}
    emails = db.session.scalars(select(Delivery).filter_by(cause="match.connected", channel="email"))
    assert {d.status for d in emails} == {"sent"}


def test_the_drain_leaves_young_announcements_to_their_own_job(app, client, world, clock):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_jinhu)
    app.config["REDIS_URL"] = None
    assert drain_announced() == 0  # younger than NOTIFY_OUTBOX_GRACE: its job is most likely queued
    row = db.session.scalars(select(AnnouncedEvent)).one()
    row.created_at -= timedelta(seconds=app.config["NOTIFY_OUTBOX_GRACE"] + 1)  # its job never came
    db.session.commit()
    assert drain_announced() == 1
