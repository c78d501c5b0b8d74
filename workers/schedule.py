"""Recurring jobs on rq's cron scheduler, each run claimed once per time slot across all workers.

rq 3 offers ``rq.scheduler.RQScheduler`` (``enqueue_at``/``enqueue_in`` and retry back-off; the
worker runs it with ``with_scheduler=True`` under a per-queue lock), ``rq.Repeat`` (a finite number
of repeats of one job) and ``rq.cron.CronScheduler`` (interval or cron expression, the machinery
behind ``rq cron``). The last is the recurring facility, but every CronScheduler enqueues whatever
falls due on its own: two of them would run each job twice, and its cron fields follow the host's
local time zone. So each worker runs one CronScheduler holding ``SlotCronJob`` entries:

- a run belongs to a wall-clock slot: the latest cron time (in ``TIMEZONE``) or multiple of the
  interval (since the epoch) at or before now, the same instant in every process;
- before enqueueing, a scheduler claims the slot with ``SET key NX EX`` in Redis; whoever loses
  skips it, so a slot runs once however many workers there are; the job id names the slot too;
- on start, a cron entry resumes from the last enqueue rq recorded for it (``rq:cron_jobs``),
  so a slot missed while every worker was down runs once at start-up.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter
from redis import Redis
from rq import cron_job_registry
from rq.cron import CronJob, CronScheduler
from rq.queue import Queue
from rq.utils import now

from workers.queues import job_options

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Shanghai"
CLAIM_PREFIX = "matchmaker:cron-slot"
NAME = re.compile(r"^[A-Za-z0-9_-]+$")  # names go into rq job ids


@dataclass(frozen=True)
class Recurring:
    """One recurring job: a dotted job path, its queue, and either ``every`` seconds or a ``cron``."""

    name: str
    func: str
    queue: str
    every: int | None = None
    cron: str | None = None
    timeout: int | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError(f"recurring job name {self.name!r}: use letters, digits, - and _")
        if (self.every is None) == (self.cron is None):
            raise ValueError(f"recurring job {self.name}: give exactly one of every= or cron=")
        if self.every is not None and self.every < 1:
            raise ValueError(f"recurring job {self.name}: every= must be at least 1 second")
        if self.cron is not None and not croniter.is_valid(self.cron):
            raise ValueError(f"recurring job {self.name}: invalid cron expression {self.cron!r}")

    def describe(self, tz: str = TIMEZONE) -> str:
        """When it runs, in words staff read."""
        return f"每 {self.every} 秒" if self.every else f"cron {self.cron}（{tz}）"


SCHEDULE: tuple[Recurring, ...] = (
    # What an outage of Redis or the search engine left behind: outbox rows and match runs.
    Recurring("drain-backlog", "workers.jobs.maintenance.drain_backlog", "index", every=60),
    # `search check` on a schedule: an engine back empty (or drifted) is rebuilt from the database.
    Recurring("search-heal", "workers.jobs.index.heal_search", "index", every=300, timeout=3600),
    # Listings whose text changed get their vector and are re-ranked (the embedded set-up has no
    # worker to do it after publishing; on rq the drain and the match job already embed).
    Recurring(
        "embed-listings",
        "workers.jobs.index.embed_listings",
        "index",
        every=60,
        timeout=3600,
        kwargs={"rematch": True},
    ),
    Recurring(
        "nightly-rematch", "workers.jobs.maintenance.rematch_nightly", "match", cron="0 2 * * *", timeout=3600
    ),
    # Just after midnight, so yesterday's deadlines are expired before anyone starts work.
    Recurring("expire-sweep", "workers.jobs.match.expire_sweep", "default", cron="5 0 * * *", timeout=1800),
    # Notifications: new-match pushes that matching queued, deferred deliveries and due retries.
    Recurring("notify-pushes", "workers.jobs.notify.drain_pushes", "notify", every=60),
    # Announcements (published, connected, approved, ...) whose notify job Redis never received.
    Recurring("notify-outbox", "workers.jobs.notify.drain_announced", "notify", every=60),
    Recurring("notify-due", "workers.jobs.notify.send_due", "notify", every=60),
    # 揭榜挂帅: close application windows at their deadline (applying is refused on time regardless).
    Recurring("challenge-windows", "workers.jobs.challenges.close_challenge_windows", "default", every=60),
    # 需求信息汇编, Monday morning; one per ISO week (delivery keys), so a catch-up never sends twice.
    Recurring(
        "weekly-digest", "workers.jobs.notify.weekly_digest", "notify", cron="30 8 * * 1", timeout=1800
    ),
    # Participants of tomorrow's events hear the day before, at a civil hour (one per event day).
    Recurring("event-reminders", "workers.jobs.events.send_event_reminders", "notify", cron="0 16 * * *"),
    # 揭榜挂帅 delivery: milestone and award deadlines within a week, each reminded once.
    Recurring(
        "challenge-reminders", "workers.jobs.challenge_delivery.remind_due", "notify", cron="0 8 * * *"
    ),
)


def load_schedule(spec: str | None) -> tuple[Recurring, ...]:
    """The schedule named ``module:ATTRIBUTE`` (default: this module's SCHEDULE)."""
    if not spec:
        return SCHEDULE
    import importlib

    module, _, attr = spec.partition(":")
    entries = tuple(getattr(importlib.import_module(module), attr or "SCHEDULE"))
    if not all(isinstance(e, Recurring) for e in entries):
        raise TypeError(f"{spec} must be a sequence of workers.schedule.Recurring")
    return entries


def slot_at_or_before(entry: Recurring, moment: datetime, tz: tzinfo) -> datetime:
    """The start of the slot ``moment`` falls in (UTC): the same instant in every process."""
    if entry.every:
        start = math.floor(moment.timestamp() / entry.every) * entry.every
        return datetime.fromtimestamp(start, UTC)
    assert entry.cron is not None
    later = moment.astimezone(tz) + timedelta(microseconds=1)  # get_prev is strict; include moment
    return croniter(entry.cron, later).get_prev(datetime).astimezone(UTC)


def slot_after(entry: Recurring, moment: datetime, tz: tzinfo) -> datetime:
    """The first slot strictly after ``moment`` (UTC)."""
    if entry.every:
        start = (math.floor(moment.timestamp() / entry.every) + 1) * entry.every
        return datetime.fromtimestamp(start, UTC)
    assert entry.cron is not None
    return croniter(entry.cron, moment.astimezone(tz)).get_next(datetime).astimezone(UTC)


def claim_key(name: str, slot: datetime) -> str:
    """Redis key that marks a slot of a recurring job as taken."""
    return f"{CLAIM_PREFIX}:{name}:{int(slot.timestamp())}"


def claim_slot(connection: Redis, entry: Recurring, slot: datetime, owner: str, tz: tzinfo) -> bool:
    """Take the slot for this scheduler; False when another one already has it."""
    period = (slot_after(entry, slot, tz) - slot).total_seconds()
    ttl = max(int(period * 2), 120)
    return bool(connection.set(claim_key(entry.name, slot), owner, nx=True, ex=ttl))


class SlotCronJob(CronJob):
    """rq CronJob whose runs fall on shared wall-clock slots, each enqueued once across schedulers."""

    def __init__(
        self, entry: Recurring, options: Mapping[str, Any], tz: tzinfo, owner: str, resume: datetime | None
    ) -> None:
        self.entry, self.tz, self.owner = entry, tz, owner
        self.enqueue_options = dict(options)
        super().__init__(
            queue_name=entry.queue,
            func_name=entry.func,
            kwargs=dict(entry.kwargs),
            interval=entry.every,
            cron=entry.cron,
            job_timeout=self.enqueue_options.get("job_timeout"),
            name=entry.name,
        )
        if entry.every:  # the current slot: run now unless another worker already did
            self.next_enqueue_time = slot_at_or_before(entry, now(), tz)
        else:  # resume from the last recorded run, so a slot missed while all were down runs now
            self.next_enqueue_time = slot_after(entry, resume or now(), tz)

    def get_next_enqueue_time(self) -> datetime:
        """The next slot after the latest enqueue (or now)."""
        return slot_after(self.entry, self.latest_enqueue_time or now(), self.tz)

    def should_run(self) -> bool:
        """Due when the next slot has begun."""
        return self.next_enqueue_time is not None and now() >= self.next_enqueue_time

    def enqueue(self, connection: Redis) -> Any:
        """Claim the current slot and enqueue the job; None when another scheduler has the slot."""
        slot = slot_at_or_before(self.entry, now(), self.tz)
        if not claim_slot(connection, self.entry, slot, self.owner, self.tz):
            log.debug("recurring %s slot %s taken by another worker", self.name, slot.isoformat())
            return None
        stamp = int(slot.timestamp())
        try:
            with connection.pipeline() as pipe:
                job = Queue(self.queue_name, connection=connection).enqueue(
                    self.func_name,
                    args=(),
                    kwargs=self.kwargs,
                    job_id=f"cron-{self.name}-{stamp}",
                    meta={"recurring": self.name, "slot": stamp},
                    description=f"{self.name} @ {slot.astimezone(self.tz).isoformat()}",
                    pipeline=pipe,
                    **self.enqueue_options,
                )
                pipe.zadd(self.job_history_key, {job.id: stamp})
                cron_job_registry.add(self.name, pipe, enqueue_timestamp=now().timestamp())
                pipe.execute()
        except Exception:
            with suppress(Exception):  # give the slot back for another try, if Redis still answers
                connection.delete(claim_key(self.name, slot))
            raise
        log.info("recurring %s: enqueued job %s on %s", self.name, job.id, self.queue_name)
        return job


def last_enqueued(connection: Redis, name: str) -> datetime | None:
    """When rq last recorded an enqueue of the named recurring job, if it did."""
    score = connection.zscore(cron_job_registry.get_registry_key(), name)
    return None if score is None else datetime.fromtimestamp(score, UTC)


def build_scheduler(
    connection: Redis,
    entries: Iterable[Recurring],
    options_for: Callable[[Recurring], Mapping[str, Any]],
    tz: str = TIMEZONE,
) -> CronScheduler:
    """A CronScheduler holding a SlotCronJob per entry (not started)."""
    zone = ZoneInfo(tz)
    scheduler = CronScheduler(connection=connection)
    for entry in entries:
        resume = last_enqueued(connection, entry.name)
        job = SlotCronJob(entry, options_for(entry), zone, scheduler.name, resume)
        scheduler._cron_jobs.append(job)  # register() would build a plain CronJob
    return scheduler


def options_from_config(config: Mapping[str, Any]) -> Callable[[Recurring], dict[str, Any]]:
    """Per-entry rq options: the queue's timeout (or the entry's) and the configured retries."""

    def options(entry: Recurring) -> dict[str, Any]:
        found = job_options(entry.queue, config)
        if entry.timeout:
            found["job_timeout"] = entry.timeout
        return found

    return options


class _Stop:
    """Set by SIGTERM/SIGINT in the cron process."""

    requested = False

    @classmethod
    def request(cls, *_: Any) -> None:
        """Signal handler: finish the current round, then stop."""
        cls.requested = True


def run_cron(
    url: str,
    entries: tuple[Recurring, ...],
    options_for: Callable[[Recurring], Mapping[str, Any]],
    parent_pid: int | None = None,
) -> None:
    """Cron process body: enqueue due slots until stopped or orphaned; rides out Redis outages."""
    import os
    import signal
    import time

    from redis.exceptions import RedisError

    from workers.queues import worker_connection

    signal.signal(signal.SIGTERM, _Stop.request)
    signal.signal(signal.SIGINT, _Stop.request)
    connection = worker_connection(url, socket_timeout=5.0)  # no blocking reads here: fail fast
    scheduler: CronScheduler | None = None
    while not _Stop.requested and (parent_pid is None or os.getppid() == parent_pid):
        try:
            if scheduler is None:
                scheduler = build_scheduler(connection, entries, options_for)
                scheduler.register_birth()
            if scheduler.enqueue_jobs():
                scheduler.save()
            scheduler.heartbeat()  # re-registers itself after Redis comes back empty
            pause = min(scheduler.calculate_sleep_interval(), 1.0)
        except RedisError as exc:
            log.warning("recurring jobs: Redis unavailable (%s); retrying", exc)
            pause = 1.0
        time.sleep(max(pause, 0.05))
    if scheduler is not None:
        with suppress(Exception):
            scheduler.register_death()
    log.info("recurring jobs: scheduler %s stopped", scheduler.name if scheduler else "-")


def start_cron_process(
    url: str, entries: tuple[Recurring, ...], options_for: Callable[[Recurring], Mapping[str, Any]]
) -> Any:
    """Fork the cron process beside the worker; it exits with the worker (or when orphaned)."""
    import multiprocessing
    import os

    process = multiprocessing.get_context("fork").Process(
        target=run_cron, args=(url, entries, options_for, os.getpid()), name="matchmaker-cron", daemon=True
    )
    process.start()
    return process
