"""Redis down while listings are published and matches connect: every notification owed is sent
once Redis is back, by a real worker replaying the notification outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AnnouncedEvent, Delivery
from tests import factories as f
from tests.events.conftest import add_match
from tests.workers.conftest import wait_until
from tests.workers.helpers import outbox_pending

pytestmark = pytest.mark.redis


def _unhandled() -> int:
    return db.session.scalar(select(func.count(AnnouncedEvent.id)).where(AnnouncedEvent.handled_at.is_(None)))


def _sent_per_key() -> dict[tuple[str, str, str, int], int]:
    rows = db.session.execute(
        select(Delivery.cause, Delivery.object_ref, Delivery.channel, Delivery.user_id, func.count())
        .where(Delivery.status == "sent")
        .group_by(Delivery.cause, Delivery.object_ref, Delivery.channel, Delivery.user_id)
    )
    return {(cause, ref, channel, user): n for cause, ref, channel, user, n in rows}


def test_notifications_owed_during_a_redis_outage_are_sent_once_after_it(
    rq_app, client, world, redis_server, workers
):
    workers.start("--schedule", "tests.workers.sample_jobs:FAST_OUTBOXES")
    needs = [
        f.make_need(world.ent_a, world.alice, status="submitted", title=f"待发布需求{i}") for i in range(3)
    ]
    output = f.make_output(world.uni, world.rita)
    matches = [add_match(f.make_need(world.ent_a, world.alice), output, 0.9) for _ in range(2)]
    wait_until(lambda: outbox_pending() == 0, "the worker up and draining", logs=workers.logs)
    with redis_server.outage():
        for need in needs:
            url = f"/api/v1/needs/{need.id}/publish"
            assert client.post(url, headers=world.h_staff_jinhu).status_code == 200
        for match in matches:
            for who in (world.h_alice, world.h_rita):
                assert client.post(f"/api/v1/matches/{match.id}/interest", headers=who).status_code == 200
        assert _unhandled() == 3 + 2 * 2  # published x3, interested and connected per match
    wait_until(lambda: _unhandled() == 0, "the notification outbox replayed", logs=workers.logs)
    owed = {("listing.published", f"need/{n.id}@2", "inbox", world.alice.id) for n in needs}
    owed |= {
        ("match.connected", f"match/{m.id}", "inbox", u.id)
        for m in matches
        for u in (world.alice, world.rita)
    }
    sent = wait_until(lambda: (found := _sent_per_key()).keys() >= owed and found, "the inbox messages sent")
    assert set(sent.values()) == {1}  # nothing twice, by recipient, cause and channel
