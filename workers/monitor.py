"""What staff see of background work: queue counts, failed jobs and their errors, requeueing, the
recurring jobs, and the durable backlog (unacknowledged outbox rows, unfinished match runs).

The backlog lives in the database, so it is reported even in the embedded inline mode and while
Redis is down: it is the work the periodic drain still owes, whatever happened to the queue.
Callers need an app context; ``overview_for``/``requeue_for`` also check the caller's role.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.results import Result

from matchmaker.errors import Conflict, DomainError, Forbidden, NotFound
from workers.queues import QUEUES, redis_connection
from workers.schedule import SCHEDULE, TIMEZONE, Recurring, last_enqueued

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class QueueUnavailable(DomainError):
    """Redis cannot be reached, so the queue cannot be changed now."""

    status, code, message = 503, "unavailable", "任务队列（Redis）暂时无法连接，请稍后再试"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def backlog() -> dict[str, Any]:
    """Work recorded in the database that the drain has not finished yet."""
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.models import AnnouncedEvent, MatchRun, OutboxEvent

    outbox = db.session.execute(
        select(func.count(), func.min(OutboxEvent.created_at)).where(
            OutboxEvent.topic == "search", OutboxEvent.acked_at.is_(None)
        )
    ).one()
    runs = db.session.execute(
        select(func.count(), func.min(MatchRun.requested_at)).where(MatchRun.finished_at.is_(None))
    ).one()
    told = db.session.execute(
        select(func.count(), func.min(AnnouncedEvent.created_at)).where(AnnouncedEvent.handled_at.is_(None))
    ).one()
    return {
        "outbox_pending": outbox[0] or 0,
        "outbox_oldest_at": _iso(outbox[1]),
        "match_runs_pending": runs[0] or 0,
        "match_runs_oldest_at": _iso(runs[1]),
        "notifications_pending": told[0] or 0,
        "notifications_oldest_at": _iso(told[1]),
    }


def queue_counts(connection: Redis) -> list[dict[str, Any]]:
    """Queued, started, failed, scheduled and deferred jobs per queue."""
    rows = []
    for name in QUEUES:
        queue = Queue(name, connection=connection)
        registries = {
            "started": queue.started_job_registry,
            "failed": queue.failed_job_registry,
            "scheduled": queue.scheduled_job_registry,
            "deferred": queue.deferred_job_registry,
        }
        row = {"name": name, "queued": queue.count}
        row.update({key: reg.get_job_count(cleanup=False) for key, reg in registries.items()})
        rows.append(row)
    return rows


def recurring_status(connection: Redis, entries: tuple[Recurring, ...] = SCHEDULE) -> list[dict[str, Any]]:
    """Each recurring job: what runs, when, and when a worker last enqueued it."""
    return [
        {
            "name": entry.name,
            "func": entry.func,
            "queue": entry.queue,
            "schedule": entry.describe(TIMEZONE),
            "last_enqueued_at": _iso(last_enqueued(connection, entry.name)),
        }
        for entry in entries
    ]


def live_cron_schedulers(connection: Redis) -> int:
    """Cron processes that sent a heartbeat lately (none: the recurring jobs are not running)."""
    import time

    from rq import cron_scheduler_registry
    from rq.defaults import DEFAULT_CRON_SCHEDULER_TTL

    key = cron_scheduler_registry.get_registry_key()
    return int(connection.zcount(key, time.time() - DEFAULT_CRON_SCHEDULER_TTL, "+inf"))


def _error(job: Job) -> str:
    result = job.latest_result()
    if result is not None and result.type == Result.Type.FAILED and result.exc_string:
        return result.exc_string
    return ""


def describe_failed(job: Job, *, full: bool = False) -> dict[str, Any]:
    """One failed job: what it was, when it failed, and its error (last line, or the traceback)."""
    error = _error(job)
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return {
        "id": job.id,
        "queue": job.origin,
        "func": job.func_name,
        "args": [repr(a) for a in job.args],
        "description": job.description,
        "failed_at": _iso(job.ended_at),
        "error": lines[-1] if lines else "（无错误信息）",
        "traceback": error if full else None,
    }


def failed_jobs(
    connection: Redis, queue: str | None = None, limit: int = 50, *, full: bool = False
) -> list[dict[str, Any]]:
    """Failed jobs, newest first, with their errors."""
    found: list[dict[str, Any]] = []
    for name in [queue] if queue else QUEUES:
        registry = Queue(name, connection=connection).failed_job_registry
        ids = registry.get_job_ids(0, limit - 1, desc=True, cleanup=False)
        found.extend(describe_failed(job, full=full) for job in Job.fetch_many(ids, connection) if job)
    found.sort(key=lambda item: item["failed_at"] or "", reverse=True)
    return found[:limit]


def requeue(connection: Redis, job_id: str) -> dict[str, Any]:
    """Put one failed job back on its queue."""
    if not JOB_ID.match(job_id):
        raise NotFound("任务不存在或已过期")
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        raise NotFound("任务不存在或已过期") from None
    try:
        job.failed_job_registry.requeue(job)
    except InvalidJobOperation:
        raise Conflict("只有失败的任务可以重新排队") from None
    return {"id": job.id, "queue": job.origin, "func": job.func_name, "status": "queued"}


def requeue_all(connection: Redis, queue: str | None = None) -> int:
    """Put every failed job (of one queue, or all) back on its queue; returns how many."""
    count = 0
    for name in [queue] if queue else QUEUES:
        registry = Queue(name, connection=connection).failed_job_registry
        for job_id in registry.get_job_ids(cleanup=False):
            try:
                registry.requeue(job_id)
                count += 1
            except (InvalidJobOperation, NoSuchJobError):
                continue  # requeued by someone else meanwhile, or expired
    return count


def overview(*, failed_limit: int = 20, full: bool = False) -> dict[str, Any]:
    """Queue mode, per-queue counts, workers, recurring jobs, recent failures and the backlog."""
    from rq import Worker

    url = current_app.config.get("REDIS_URL")
    data: dict[str, Any] = {"mode": "rq" if url else "inline", "redis": None, "backlog": backlog()}
    if not url:
        return data
    try:
        connection = redis_connection(url)
        data.update(
            redis="ok",
            queues=queue_counts(connection),
            workers=Worker.count(connection=connection),
            cron_schedulers=live_cron_schedulers(connection),
            recurring=recurring_status(connection),
            failed=failed_jobs(connection, limit=failed_limit, full=full),
        )
    except RedisError as exc:
        data["redis"] = f"unreachable: {type(exc).__name__}"
    return data


def overview_for(actor: Any) -> dict[str, Any]:
    """The overview for bureau staff and admins (admins also get the tracebacks)."""
    if not actor.has_role("staff", "admin"):
        raise Forbidden("只有科技局工作人员和管理员可以查看后台任务")
    return overview(full=actor.has_role("admin"))


def requeue_for(actor: Any, job_id: str) -> dict[str, Any]:
    """Admins put a failed job back on its queue; the action is audit-logged."""
    from matchmaker.extensions import db
    from matchmaker.services import audit

    if not actor.has_role("admin"):
        raise Forbidden("只有管理员可以重新排队失败的任务")
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise Conflict("内嵌模式下任务同步执行，没有任务队列")
    try:
        result = requeue(redis_connection(url), job_id)
    except RedisError:
        raise QueueUnavailable() from None
    audit.record(actor, "job_requeue", "job", None, job_id=job_id, func=result["func"])
    db.session.commit()
    return result
