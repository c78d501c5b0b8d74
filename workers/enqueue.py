"""The one function services use to schedule work: inline in the embedded default, rq when Redis is set."""

from __future__ import annotations

import importlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)


def resolve(path: str) -> Any:
    """Import a job function from its dotted path."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def enqueue(path: str, *args: Any, queue: str = "default", **options: Any) -> Any:
    """Run the job now (no REDIS_URL) or put it on the rq queue; never raise into the caller.

    A failure here loses nothing: every job's input is also recorded durably (the outbox, the
    match run table), and the periodic drain replays it. On rq, jobs get the queue's timeout and
    the configured retries with backoff unless ``options`` say otherwise.
    """
    url = current_app.config.get("REDIS_URL")
    if not url:
        try:
            return resolve(path)(*args)
        except Exception:
            log.exception("inline job %s%r failed; the periodic drain will retry", path, args)
            return None
    from redis.exceptions import RedisError
    from rq import Queue

    from workers.queues import job_options, redis_connection

    try:
        job = Queue(queue, connection=redis_connection(url)).enqueue(
            path, *args, **{**job_options(queue), **options}
        )
    except RedisError as exc:
        log.warning("Redis unavailable (%s); %s%r left for the periodic drain", exc, path, args)
        return None
    except Exception:
        log.exception("could not enqueue %s%r; the periodic drain will replay it", path, args)
        return None
    log.info("enqueued job %s on %s: %s%r", job.id, queue, path, args)
    return job


# Without Redis, background jobs run one after another in a single thread of this process (SQLite
# takes one writer at a time); what a dying process leaves unfinished the periodic drain replays.
_background: ThreadPoolExecutor | None = None
_pending: list[Future] = []
_lock = threading.Lock()


def _run_in_app(app: Any, path: str, args: tuple[Any, ...]) -> Any:
    with app.app_context():
        try:
            return resolve(path)(*args)
        except Exception:
            log.exception("background job %s%r failed; the periodic drain will retry", path, args)
            return None


def enqueue_background(path: str, *args: Any, queue: str = "default") -> Any:
    """Like ``enqueue``, but without Redis the job runs in a background thread, never in the caller."""
    global _background
    if current_app.config.get("REDIS_URL"):
        return enqueue(path, *args, queue=queue)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _lock:
        if _background is None:
            _background = ThreadPoolExecutor(1, thread_name_prefix="matchmaker-background")
        future = _background.submit(_run_in_app, app, path, args)
        _pending[:] = [f for f in _pending if not f.done()] + [future]
    return future


def wait_background() -> None:
    """Block until every background job started so far has finished (tests, benchmarks, shutdown)."""
    with _lock:
        pending = list(_pending)
    for future in pending:
        future.result()


PENDING_PREFIX = "matchmaker:pending"


def enqueue_once(path: str, *args: Any, queue: str = "default", key: str) -> Any:
    """Enqueue the job unless one under ``key`` is already waiting (a burst of writes gets one drain).

    The job calls ``started(key)`` first thing, so writes committed while it runs get a new one.
    The marker expires with the queue's timeout in case a job never starts; the periodic drain covers
    that gap.
    """
    url = current_app.config.get("REDIS_URL")
    if not url or not current_app.config.get("JOB_COALESCE", True):  # off: the benchmark's baseline
        return enqueue(path, *args, queue=queue)
    from redis.exceptions import RedisError

    from workers.queues import job_timeout, redis_connection

    marker = f"{PENDING_PREFIX}:{key}"
    try:
        if not redis_connection(url).set(marker, "1", nx=True, ex=job_timeout(queue)):
            return None
    except RedisError as exc:
        log.warning("Redis unavailable (%s); %s left for the periodic drain", exc, path)
        return None
    job = enqueue(path, *args, queue=queue)
    if job is None:
        started(key)  # not queued after all: let the next write try again
    return job


def started(key: str) -> None:
    """Clear the pending marker of ``key`` as its job begins (no-op inline or without Redis)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return
    from redis.exceptions import RedisError

    from workers.queues import redis_connection

    try:
        redis_connection(url).delete(f"{PENDING_PREFIX}:{key}")
    except RedisError:
        log.warning("Redis unavailable; pending marker %s left to expire", key)
