"""Queue names, per-queue job options (timeout, retry with backoff) and the Redis connections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry as RedisRetry
from rq import Retry

QUEUES = ("index", "match", "notify", "default")

# Seconds a job may run before the worker kills it; JOB_TIMEOUTS in the config overrides per queue.
JOB_TIMEOUTS: dict[str, int] = {"index": 300, "match": 600, "notify": 120, "default": 600}
# Retries after a failure and the waits between them (JOB_RETRY_MAX, JOB_RETRY_INTERVALS).
RETRY_MAX = 3
RETRY_INTERVALS: tuple[int, ...] = (10, 60, 300)
# A request must not hang on a dead Redis: its work is durable anyway (outbox, match runs).
CONNECT_TIMEOUT = 1.0
SOCKET_TIMEOUT = 2.0


def _short_retry() -> RedisRetry:
    return RedisRetry(ExponentialBackoff(cap=0.2, base=0.05), 1)


def redis_connection(url: str | None = None) -> Redis:
    """A Redis connection for REDIS_URL (short timeouts: an outage must not hang a request)."""
    url = url or current_app.config["REDIS_URL"]
    ext = current_app.extensions.setdefault("matchmaker.redis", {})
    if url not in ext:
        ext[url] = Redis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=SOCKET_TIMEOUT, retry=_short_retry()
        )
    return ext[url]


def worker_connection(url: str, socket_timeout: float | None = None) -> Redis:
    """A connection of the worker's own (rq raises its read timeout above the blocking dequeue wait)."""
    return Redis.from_url(
        url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=socket_timeout, retry=_short_retry()
    )


def job_timeout(queue: str, config: Mapping[str, Any] | None = None) -> int:
    """The job timeout of a queue, in seconds."""
    config = current_app.config if config is None else config
    overrides = config.get("JOB_TIMEOUTS") or {}
    return int(overrides.get(queue) or JOB_TIMEOUTS.get(queue) or JOB_TIMEOUTS["default"])


def retry_policy(config: Mapping[str, Any] | None = None) -> Retry | None:
    """rq Retry from JOB_RETRY_MAX and JOB_RETRY_INTERVALS (seconds); None when retries are off."""
    config = current_app.config if config is None else config
    times = int(config.get("JOB_RETRY_MAX", RETRY_MAX))
    if times <= 0:
        return None
    intervals = [int(i) for i in config.get("JOB_RETRY_INTERVALS") or RETRY_INTERVALS]
    return Retry(max=times, interval=intervals)


def job_options(queue: str, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Default rq options for a job on this queue: explicit timeout and retry with backoff."""
    options: dict[str, Any] = {"job_timeout": job_timeout(queue, config)}
    retry = retry_policy(config)
    if retry is not None:
        options["retry"] = retry
    return options


def current_job_id() -> str | None:
    """The rq job id this code runs under, or None inline."""
    from rq import get_current_job

    job = get_current_job()
    return job.id if job is not None else None
