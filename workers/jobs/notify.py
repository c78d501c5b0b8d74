"""Notification jobs (queue 'notify'): plan an event's deliveries, send one delivery, sweep what is due.

Every job takes ids and strings and is idempotent: planning skips existing delivery keys and
sending skips rows that are no longer queued, so a replay or a retry never sends twice.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
QUEUE = "notify"


def _send_all(ids: list[int]) -> None:
    from workers.enqueue import enqueue

    for delivery_id in ids:
        enqueue("workers.jobs.notify.send_delivery", delivery_id, queue=QUEUE)


def notify_event(cause: str, ref: str) -> int:
    """Plan and send the deliveries of one event; returns how many were queued."""
    from matchmaker.notifications import dispatch
    from matchmaker.services.notifications import drain_pushes

    ids = dispatch.plan(cause, ref)
    if cause == "listing.published":
        # Publishing ran matching first (inline in the embedded default): deliver its new matches too.
        ids += drain_pushes()
    log.info("notify %s %s: %d queued", cause, ref, len(ids))
    _send_all(ids)
    return len(ids)


def send_delivery(delivery_id: int) -> str:
    """Send one delivery if due; a transient channel error is raised so rq retries it."""
    from matchmaker.notifications import dispatch

    status = dispatch.send(delivery_id)
    log.info("delivery %s: %s", delivery_id, status)
    return status


def drain_pushes() -> int:
    """Deliver the new-match pushes that matching left behind (periodic, and after publishing)."""
    from matchmaker.services.notifications import drain_pushes as drain

    ids = drain()
    _send_all(ids)
    return len(ids)


def send_due(limit: int = 500) -> dict[str, int]:
    """Send deferred deliveries whose time has come and retries that are due; counts by outcome."""
    from matchmaker.notifications import channels, dispatch

    counts: dict[str, int] = {}
    stuck = dispatch.give_up_stuck()
    if stuck:
        counts["stuck"] = stuck
    for delivery_id in dispatch.due(limit):
        try:
            status = dispatch.send(delivery_id)
        except channels.DeliveryError:
            status = "retry"
        counts[status] = counts.get(status, 0) + 1
    return counts


def weekly_digest() -> int:
    """Plan and send this week's digest e-mails (需求信息汇编); returns how many were queued."""
    from matchmaker.notifications.digest import plan_weekly

    ids = plan_weekly()
    _send_all(ids)
    return len(ids)
