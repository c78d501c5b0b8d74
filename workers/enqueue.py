"""The one function services use to schedule work: inline in the embedded default, rq when Redis is set."""

from __future__ import annotations

import importlib
import logging
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
