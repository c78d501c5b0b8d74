"""Notification jobs (queue 'notify'): plan an event's deliveries, send one delivery, sweep what is due.

Every job takes ids and strings and is idempotent: planning skips existing delivery keys and
sending skips rows that are no longer queued, so a replay or a retry never sends twice.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
QUEUE = "notify"


# NOTIFY_SEND_BATCH's default: deliveries per send job, so one horse sends many, well inside the
# job timeout (SMTP 10 s each).
BATCH = 10


def _send_all(ids: list[int]) -> None:
    from flask import current_app

    from workers.enqueue import enqueue

    batch = int(current_app.config.get("NOTIFY_SEND_BATCH") or BATCH)
    for start in range(0, len(ids), batch):
        enqueue("workers.jobs.notify.send_deliveries", ids[start : start + batch], queue=QUEUE)


def notify_event(cause: str, ref: str, announced_id: int | None = None) -> int:
    """Plan and send the deliveries of one event (and tick off its outbox row); how many were queued."""
    from matchmaker.notifications import dispatch
    from matchmaker.services.notifications import drain_pushes, mark_announced

    ids = dispatch.plan(cause, ref)
    if cause == "listing.published":
        # Publishing ran matching first (inline in the embedded default): deliver its new matches too.
        ids += drain_pushes()
    if announced_id is not None:  # planned and committed: a replay from here on plans nothing new
        mark_announced(announced_id)
    log.info("notify %s %s: %d queued", cause, ref, len(ids))
    _send_all(ids)
    return len(ids)


def drain_announced(grace: int | None = None, limit: int = 500) -> int:
    """Plan the announcements whose notify job Redis never ran (periodic); returns how many."""
    from flask import current_app

    from matchmaker.extensions import db
    from matchmaker.services.notifications import announced_pending, mark_announced

    wait = current_app.config.get("NOTIFY_OUTBOX_GRACE", 60) if grace is None else grace
    done = 0
    for announced_id, cause, ref in announced_pending(limit, wait):
        try:
            notify_event(cause, ref, announced_id)
            done += 1
        except Exception as exc:
            db.session.rollback()
            mark_announced(announced_id, exc)
            log.exception("announcement %s (%s %s) failed; it stays pending", announced_id, cause, ref)
    if done:
        log.info("notification outbox: %d announcements replayed", done)
    return done


def send_delivery(delivery_id: int) -> str:
    """Send one delivery if due; a transient channel error is raised so rq retries it."""
    from matchmaker.notifications import dispatch

    status = dispatch.send(delivery_id)
    log.info("delivery %s: %s", delivery_id, status)
    return status


def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of deliveries; a transient failure leaves that one queued for the due sweep."""
    from matchmaker.notifications import channels, dispatch

    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        try:
            status = dispatch.send(delivery_id)
        except channels.DeliveryError:
            status = "retry"  # _failed queued it again with its back-off; send_due picks it up
        counts[status] = counts.get(status, 0) + 1
    log.info("deliveries %s: %s", delivery_ids, counts)
    return counts


def drain_pushes() -> int:
    """Deliver the new-match pushes that matching left behind (periodic, and after publishing)."""
    from matchmaker.services.notifications import drain_pushes as drain

    ids = drain()
    _send_all(ids)
    return len(ids)


def send_due(limit: int = 500) -> dict[str, int]:
    """Send deferred deliveries whose time has come and retries that are due; counts by outcome."""
    from matchmaker.notifications import dispatch

    interrupted = dispatch.resolve_interrupted()
    counts = send_deliveries(dispatch.due(limit))
    counts.update(interrupted)
    return counts


def weekly_digest() -> int:
    """Plan and send this week's digest e-mails (需求信息汇编); returns how many were queued."""
    from matchmaker.notifications.digest import plan_weekly

    ids = plan_weekly()
    _send_all(ids)
    return len(ids)
