"""Worker entry point: ``python -m workers.run [queues...]`` (default: index match notify default).

One process = one rq worker (with rq's scheduler on, for retry back-off and ``enqueue_in``) plus a
forked cron process that enqueues the recurring jobs of ``workers.schedule`` (each slot once, however
many workers run). Every job runs inside a fresh app context, so it gets its own SQLAlchemy session,
removed when the job ends, and log lines carry its job id.

Fork safety: the default worker forks a work horse per job. That keeps the worker alive when a job
leaks memory, crashes or is killed for its timeout, and forks are cheap because the parent loads the
app and jieba's dictionary once and never opens a database connection itself. Still, whatever pooled
connection the parent might hold must not be shared: the horse calls ``db.engine.dispose(close=False)``
(drop the inherited pool without closing the parent's sockets) and sets aside an inherited search
backend (its SQLite connections must not be used or closed in the child); redis-py notices the new
pid and reconnects by itself. ``--simple`` runs jobs in the worker process instead (rq
SimpleWorker): no fork at all, a warm connection pool, but one misbehaving job takes the worker down.

If Redis goes away the worker retries its connection; when rq gives up (it quits on a read timeout)
the worker is rebuilt with back-off until a SIGTERM/SIGINT asks it to stop.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any

from flask import Flask
from redis.exceptions import RedisError
from rq import SimpleWorker, Worker, worker_registration

from workers.queues import QUEUES, worker_connection

log = logging.getLogger("workers.run")
WORKER_TTL = 60  # seconds; rq's default (420) leaves a worker unlisted for 7 minutes after a restart
MAINTENANCE_INTERVAL = 60  # rq restarts a scheduler that died (e.g. in a Redis outage) this often
LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] job=%(job_id)s %(name)s: %(message)s"
_JOB_ID: ContextVar[str | None] = ContextVar("matchmaker_job_id", default=None)
_INHERITED: list[Any] = []  # what a work horse inherited from the parent: kept, never used or closed


class JobIdFilter(logging.Filter):
    """Stamp every log record with the id of the job being run ("-" outside jobs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add ``record.job_id``."""
        record.job_id = _JOB_ID.get() or "-"
        return True


def _forget_inherited_connections(app: Flask) -> None:
    from matchmaker.extensions import db

    db.engine.dispose(close=False)
    backend = app.extensions.pop("matchmaker.search", None)
    if backend is not None:
        _INHERITED.append(backend)


def _perform_in_app(worker: Any, job: Any, queue: Any, execution: Any, perform: Callable[..., bool]) -> bool:
    token = _JOB_ID.set(job.id)
    try:
        with worker.app.app_context():  # a fresh scoped session, removed at teardown
            if worker.is_horse:
                _forget_inherited_connections(worker.app)
            log.info("job %s: %s on queue %s", job.id, job.func_name, queue.name)
            return perform(job, queue, execution)
    finally:
        _JOB_ID.reset(token)


class _AppContextMixin:
    """Runs each job inside a fresh app context and remembers a requested shutdown."""

    app: Flask
    stop_signalled = False

    def perform_job(self, job: Any, queue: Any, execution: Any) -> bool:
        """Run the job inside a fresh app context."""
        return _perform_in_app(self, job, queue, execution, super().perform_job)  # type: ignore[misc]

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        """rq's heartbeat, re-registering the worker when Redis came back empty (a restart)."""
        super().heartbeat(timeout, pipeline)  # type: ignore[misc]
        worker: Any = self  # the rq attributes come from the Worker class mixed in beside this one
        if pipeline is None and not worker.connection.sismember(worker.redis_workers_keys, worker.key):
            # rq registers a worker once, at birth; heartbeats only extend keys that must exist.
            with worker.connection.pipeline() as pipe:
                pipe.hset(worker.key, mapping=worker.serialize())
                worker_registration.register(worker, pipe)
                pipe.expire(worker.key, worker.worker_ttl + 60)
                pipe.execute()
            log.warning("worker %s registered again (Redis had lost its registration)", worker.name)

    def request_stop(self, signum: Any, frame: Any) -> None:
        """Remember that shutdown was asked for, then stop as rq does."""
        self.stop_signalled = True
        super().request_stop(signum, frame)  # type: ignore[misc]


class AppWorker(_AppContextMixin, Worker):
    """rq Worker forking a horse per job; the horse drops inherited connections and runs in the app."""


class AppSimpleWorker(_AppContextMixin, SimpleWorker):
    """rq SimpleWorker (no fork) running each job inside a fresh app context."""


def build_worker(
    app: Flask, url: str, queues: Sequence[str], *, simple: bool = False, name: str | None = None
) -> AppWorker | AppSimpleWorker:
    """A worker on the queues with its own Redis connection, bound to the app."""
    cls = AppSimpleWorker if simple else AppWorker
    worker = cls(
        list(queues),
        connection=worker_connection(url),
        name=name,
        maintenance_interval=MAINTENANCE_INTERVAL,
        # An idle worker heartbeats when its blocking dequeue (worker_ttl - 15 s) times out; a short
        # one re-registers it soon after Redis restarted empty (redis-py reconnects the wait silently).
        worker_ttl=int(app.config.get("WORKER_TTL", WORKER_TTL)),
    )
    worker.app = app
    return worker


class _Stop:
    requested = False

    @classmethod
    def request(cls, *_: Any) -> None:
        cls.requested = True


def _pause(seconds: float) -> bool:
    """Sleep between worker restarts; True when a stop signal arrived meanwhile."""
    signal.signal(signal.SIGTERM, _Stop.request)
    signal.signal(signal.SIGINT, _Stop.request)
    deadline = time.monotonic() + seconds
    while not _Stop.requested and time.monotonic() < deadline:
        time.sleep(0.1)
    return _Stop.requested


def run_until_stopped(app: Flask, url: str, args: argparse.Namespace) -> int:
    """Run the worker; rebuild it with back-off when it quits on its own (Redis trouble)."""
    delay = 1.0
    while True:
        worker = None
        started = time.monotonic()
        try:
            worker = build_worker(app, url, args.queues, simple=args.simple, name=args.name)
            worker.work(with_scheduler=True, burst=args.burst, logging_level=args.log_level)
        except RedisError as exc:
            log.error("worker lost Redis: %s", exc)
        if args.burst or (worker is not None and worker.stop_signalled):
            return 0
        if time.monotonic() - started > 300:
            delay = 1.0  # it had been running fine: start over with a short pause
        log.warning("worker stopped without being asked to (Redis?); restarting in %.0f s", delay)
        if _pause(delay):
            return 0
        delay = min(delay * 2, 30.0)


def configure_logging(level: str) -> None:
    """One stderr handler on the root logger whose lines name the running job's id."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(JobIdFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # plugin set-up chatter at import


def warm_up() -> None:
    """Load jieba and the domain dictionary in the parent, so every forked horse starts warm."""
    from search.analysis import segment

    segment("产学研对接：技术需求与科技成果匹配")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options of the worker."""
    parser = argparse.ArgumentParser(prog="python -m workers.run", description="matchmaker rq worker")
    parser.add_argument(
        "queues", nargs="*", default=list(QUEUES), help=f"queues (default: {' '.join(QUEUES)})"
    )
    parser.add_argument("--simple", action="store_true", help="run jobs in-process (no fork per job)")
    parser.add_argument("--burst", action="store_true", help="quit when the queues are empty")
    parser.add_argument("--no-cron", action="store_true", help="do not enqueue the recurring jobs")
    parser.add_argument("--schedule", help="recurring jobs as module:ATTRIBUTE (default workers.schedule)")
    parser.add_argument("--name", help="worker name (default: random)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)
    unknown = sorted(set(args.queues) - set(QUEUES))
    if unknown:
        parser.error(f"unknown queues {unknown}; known: {', '.join(QUEUES)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Create the app, start the cron process and run the worker until it is told to stop."""
    from matchmaker import create_app
    from workers.schedule import load_schedule, options_from_config, start_cron_process

    args = parse_args(argv)
    configure_logging(args.log_level)
    app = create_app()
    url = app.config.get("REDIS_URL")
    if not url:
        log.error("未设置 REDIS_URL：内嵌模式下任务在请求中同步执行，无需启动 worker")
        return 2
    warm_up()
    cron = None
    if not (args.no_cron or args.burst):
        cron = start_cron_process(url, load_schedule(args.schedule), options_from_config(app.config))
    try:
        return run_until_stopped(app, url, args)
    finally:
        if cron is not None and cron.is_alive():
            cron.terminate()
            cron.join(10)


if __name__ == "__main__":
    sys.exit(main())
