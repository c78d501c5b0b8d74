"""Jobs and schedules the worker tests hand to real worker processes (repo root on PYTHONPATH)."""

from __future__ import annotations

from flask import current_app
from rq import get_current_job

from workers.schedule import Recurring

# The recurring drain every two seconds, replaying match runs at once (no grace), for the outage
# tests. Not every second: a worker takes the index queue first, and on a busy machine a drain
# takes most of a second, so a drain due each second kept the index queue from ever emptying and
# the notify queue behind it never ran (test_notification_outage timed out that way).
FAST_DRAIN = (
    Recurring(
        "drain-backlog", "workers.jobs.maintenance.drain_backlog", "index", every=2, kwargs={"grace": 0}
    ),
)
# The drains of both outboxes every second, no grace: the notification outage test.
FAST_OUTBOXES = (
    *FAST_DRAIN,
    Recurring("notify-outbox", "workers.jobs.notify.drain_announced", "notify", every=1, kwargs={"grace": 0}),
)
# One recurring job every second that records which slot it ran for.
COUNTER = (Recurring("count-slot", "tests.workers.sample_jobs.count_slot", "default", every=1),)
SLOTS_KEY = "test:slots"


def _redis():
    from workers.queues import redis_connection

    return redis_connection(current_app.config["REDIS_URL"])  # needs the app context the worker pushes


def always_fail(tag: str) -> None:
    """Count the attempt, then fail."""
    _redis().incr(f"test:attempts:{tag}")
    raise RuntimeError(f"故意失败：{tag}")


def count_slot() -> int:
    """Count one run for the slot this recurring job was enqueued for."""
    job = get_current_job()
    assert job is not None
    return int(_redis().hincrby(SLOTS_KEY, str(job.meta["slot"]), 1))


def dirty_session() -> int:
    """Leave an uncommitted object in the session, as a careless job would."""
    from matchmaker.extensions import db
    from matchmaker.models import Organization

    db.session.add(Organization(kind="enterprise", name="未提交的单位", region="320831", fields=[]))
    return len(db.session.new)


def session_is_clean() -> int:
    """How many uncommitted objects this job's session starts with."""
    from matchmaker.extensions import db

    return len(db.session.new)
