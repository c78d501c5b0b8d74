"""Record listing changes in the outbox and schedule the index drain after commit."""

from __future__ import annotations

from typing import Any

from matchmaker.extensions import db
from matchmaker.models import OutboxEvent
from matchmaker.services.uow import UnitOfWork

DRAIN, DRAIN_KEY = "workers.jobs.index.drain_search_outbox", "drain-search"  # one waiting drain at a time


def record_change(uow: UnitOfWork, listing: Any, op: str = "upsert") -> OutboxEvent:
    """Write an outbox row for the listing in this transaction; after commit, drain it to search."""
    from workers.enqueue import enqueue_once

    event = OutboxEvent(
        topic="search", kind=listing.KIND, object_id=listing.id, version=listing.version, op=op
    )
    db.session.add(event)
    uow.after_commit(lambda: enqueue_once(DRAIN, queue="index", key=DRAIN_KEY), key=DRAIN_KEY)
    return event
