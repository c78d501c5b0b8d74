"""Scheduled maintenance jobs: drain what an outage left behind, and the nightly re-matching.

Match runs are replayed by two recurring jobs (the drain, every minute, and the nightly batch);
both take one Redis lock so they never rank the same run at the same time, and the drain leaves
alone runs younger than ``grace`` seconds, whose own ``run_match`` job is most likely still queued.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from workers.queues import current_job_id

log = logging.getLogger(__name__)
REPLAY_LOCK = "matchmaker:lock:match-replay"
DRAIN_GRACE = 120


@contextmanager
def replay_lock(timeout: int, wait: float = 0) -> Iterator[bool]:
    """Hold the match-replay lock under rq (yields False when another job has it); inline, no lock."""
    from flask import current_app
    from redis.exceptions import LockError

    url = current_app.config.get("REDIS_URL")
    if not url or current_job_id() is None:
        yield True
        return
    from workers.queues import redis_connection

    lock = redis_connection(url).lock(REPLAY_LOCK, timeout=timeout, blocking=wait > 0, blocking_timeout=wait)
    acquired = bool(lock.acquire())
    try:
        yield acquired
    finally:
        if acquired:
            with suppress(LockError):  # expired meanwhile: nothing left to release
                lock.release()


def replay_stale_runs(grace: int, limit: int) -> int:
    """Run the unfinished match runs older than ``grace`` seconds; returns how many ran."""
    from workers.jobs.match import replay_match_runs

    return replay_match_runs(limit, grace)


def drain_backlog(
    grace: int = DRAIN_GRACE, search_limit: int = 500, match_limit: int = 200
) -> dict[str, Any]:
    """Replay unacknowledged search outbox rows, then stale unfinished match runs; idempotent."""
    from workers.jobs.index import drain_search_outbox

    search = drain_search_outbox(limit=search_limit)
    with replay_lock(timeout=600) as mine:
        runs = replay_stale_runs(grace, match_limit) if mine else None
    result = {"search": search, "match_runs": runs}
    if search.get("pending") or runs:
        log.info("job %s drained the backlog: %s", current_job_id(), result)
    return result


def rematch_nightly() -> int:
    """Nightly re-matching of everything published, holding the replay lock (waits for a drain)."""
    from workers.jobs.match import nightly_rematch

    with replay_lock(timeout=3600, wait=300) as mine:
        if not mine:
            raise RuntimeError("match replay lock still held after 300 s; retrying later")
        created = nightly_rematch()
    log.info("job %s: nightly re-matching queued and ran %s runs", current_job_id(), created)
    return created
