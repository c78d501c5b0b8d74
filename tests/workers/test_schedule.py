"""Recurring-job registration and slot claiming, on fakeredis with a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import fakeredis
import pytest
from rq import Queue
from rq.cron import CronScheduler

from workers import schedule as s
from workers.enqueue import resolve

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVERY_MINUTE = s.Recurring("drain", "workers.jobs.maintenance.drain_backlog", "index", every=60)
NIGHTLY = s.Recurring("nightly", "workers.jobs.maintenance.rematch_nightly", "match", cron="0 2 * * *")
OPTIONS = {"index": 300, "match": 3600}


@pytest.fixture
def clock(monkeypatch):
    """Set the time both rq's cron module and workers.schedule read."""
    state = {"now": datetime(2026, 3, 1, 1, 0, 30, tzinfo=UTC)}

    def set_time(moment: datetime) -> None:
        state["now"] = moment

    monkeypatch.setattr(s, "now", lambda: state["now"])
    monkeypatch.setattr("rq.cron.now", lambda: state["now"])
    return set_time


def _options(entry: s.Recurring) -> dict:
    from rq import Retry

    return {"job_timeout": OPTIONS[entry.queue], "retry": Retry(max=3, interval=[10, 60, 300])}


def _scheduler(conn, *entries: s.Recurring) -> CronScheduler:
    return s.build_scheduler(conn, entries or (EVERY_MINUTE,), _options)


def test_slots_are_wall_clock_instants_in_shanghai_time():
    at = datetime(2026, 3, 1, 10, 0, 42, tzinfo=SHANGHAI)
    assert s.slot_at_or_before(EVERY_MINUTE, at, SHANGHAI) == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert s.slot_after(EVERY_MINUTE, at, SHANGHAI) == datetime(2026, 3, 1, 2, 1, tzinfo=UTC)
    # 02:00 in Shanghai is 18:00 UTC the day before, whatever the host's time zone
    assert s.slot_after(NIGHTLY, at, SHANGHAI) == datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
    assert s.slot_at_or_before(NIGHTLY, at, SHANGHAI) == datetime(2026, 2, 28, 18, 0, tzinfo=UTC)
    exactly = datetime(2026, 3, 2, 2, 0, tzinfo=SHANGHAI)
    assert s.slot_at_or_before(NIGHTLY, exactly, SHANGHAI) == exactly


def test_a_slot_is_enqueued_once_however_many_schedulers_run(clock):
    conn = fakeredis.FakeRedis()
    clock(datetime(2026, 3, 1, 1, 0, 30, tzinfo=UTC))
    first, second = _scheduler(conn), _scheduler(conn)
    first.enqueue_jobs()
    second.enqueue_jobs()
    queue = Queue("index", connection=conn)
    assert queue.get_job_ids() == [f"cron-drain-{int(datetime(2026, 3, 1, 1, 0, tzinfo=UTC).timestamp())}"]
    clock(datetime(2026, 3, 1, 1, 1, 0, 200000, tzinfo=UTC))  # next minute: the other one is first
    second.enqueue_jobs()
    first.enqueue_jobs()
    assert queue.count == 2
    job = queue.fetch_job(queue.get_job_ids()[-1])
    assert job is not None
    assert job.meta == {"recurring": "drain", "slot": int(datetime(2026, 3, 1, 1, 1, tzinfo=UTC).timestamp())}
    assert job.timeout == 300 and job.retries_left == 3 and job.retry_intervals == [10, 60, 300]


def test_a_scheduler_that_wakes_late_does_not_rerun_a_finished_slot(clock):
    conn = fakeredis.FakeRedis()
    clock(datetime(2026, 3, 1, 1, 0, 5, tzinfo=UTC))
    late, punctual = _scheduler(conn), _scheduler(conn)
    punctual.enqueue_jobs()
    clock(datetime(2026, 3, 1, 1, 0, 59, tzinfo=UTC))  # still the same minute
    late.enqueue_jobs()
    assert Queue("index", connection=conn).count == 1


def test_nightly_job_waits_for_two_oclock_shanghai(clock):
    conn = fakeredis.FakeRedis()
    clock(datetime(2026, 3, 1, 10, 0, tzinfo=UTC))  # 18:00 in Shanghai
    scheduler = _scheduler(conn, NIGHTLY)
    assert scheduler.enqueue_jobs() == []
    clock(datetime(2026, 3, 1, 18, 0, 1, tzinfo=UTC))  # 02:00:01 the next day in Shanghai
    assert [j.name for j in scheduler.enqueue_jobs()] == ["nightly"]
    assert scheduler.enqueue_jobs() == []
    job = Queue("match", connection=conn).get_jobs()[0]
    assert job.timeout == 3600 and "02:00:00+08:00" in (job.description or "")


def test_a_nightly_run_missed_while_every_worker_was_down_runs_once_at_start(clock):
    conn = fakeredis.FakeRedis()
    clock(datetime(2026, 3, 1, 17, 0, tzinfo=UTC))
    running = _scheduler(conn, NIGHTLY)  # nothing recorded yet: next run at the coming 02:00
    clock(datetime(2026, 3, 1, 18, 0, 2, tzinfo=UTC))
    running.enqueue_jobs()
    assert Queue("match", connection=conn).count == 1
    # every worker was down across the next night; they come back at 09:00 Shanghai
    clock(datetime(2026, 3, 3, 1, 0, tzinfo=UTC))
    restarted = [_scheduler(conn, NIGHTLY), _scheduler(conn, NIGHTLY)]
    for scheduler in restarted:
        scheduler.enqueue_jobs()
    assert Queue("match", connection=conn).count == 2
    # a brand-new installation does not run the nightly job at start-up
    fresh = fakeredis.FakeRedis()
    assert _scheduler(fresh, NIGHTLY).enqueue_jobs() == []


def test_a_claimed_slot_is_given_back_when_enqueueing_fails(clock, monkeypatch):
    conn = fakeredis.FakeRedis()
    scheduler = _scheduler(conn)

    def broken(*args, **kwargs):
        raise ConnectionError("redis went away")

    working = Queue.enqueue
    monkeypatch.setattr(Queue, "enqueue", broken)
    with pytest.raises(ConnectionError):
        scheduler.enqueue_jobs()
    monkeypatch.setattr(Queue, "enqueue", working)
    clock(datetime(2026, 3, 1, 1, 0, 31, tzinfo=UTC))
    assert [j.name for j in _scheduler(conn).enqueue_jobs()] == ["drain"]


def test_recurring_entries_are_validated():
    with pytest.raises(ValueError, match="exactly one"):
        s.Recurring("x", "a.b", "default")
    with pytest.raises(ValueError, match="exactly one"):
        s.Recurring("x", "a.b", "default", every=5, cron="* * * * *")
    with pytest.raises(ValueError, match="invalid cron"):
        s.Recurring("x", "a.b", "default", cron="every night")
    with pytest.raises(ValueError, match="letters"):
        s.Recurring("夜间", "a.b", "default", every=5)


def test_default_schedule_and_options_from_config():
    assert s.load_schedule(None) == s.SCHEDULE
    assert {e.name for e in s.SCHEDULE} >= {"drain-backlog", "nightly-rematch", "expire-sweep"}
    for entry in s.SCHEDULE:
        assert callable(resolve(entry.func)), entry.func  # a renamed job breaks here, not at 02:00
    assert s.load_schedule("tests.workers.sample_jobs:COUNTER")[0].name == "count-slot"
    with pytest.raises(TypeError):
        s.load_schedule("workers.queues:QUEUES")
    options = s.options_from_config(
        {"JOB_RETRY_MAX": 2, "JOB_RETRY_INTERVALS": [5], "JOB_TIMEOUTS": {"index": 90}}
    )
    by_name = {e.name: options(e) for e in s.SCHEDULE}
    drain, nightly = by_name["drain-backlog"], by_name["nightly-rematch"]
    assert drain["job_timeout"] == 90 and drain["retry"].max == 2 and drain["retry"].intervals == [5]
    assert nightly["job_timeout"] == 3600
    assert "retry" not in s.options_from_config({"JOB_RETRY_MAX": 0})(s.SCHEDULE[0])


def test_cron_process_stops_when_asked(monkeypatch):
    conn = fakeredis.FakeRedis()
    monkeypatch.setattr("workers.queues.worker_connection", lambda url, **_: conn)
    monkeypatch.setattr("signal.signal", lambda *args: None)  # keep pytest's own handlers
    calls = []

    def stop_after_first_round(seconds):
        calls.append(seconds)
        s._Stop.requested = True

    monkeypatch.setattr("time.sleep", stop_after_first_round)
    try:
        s.run_cron("redis://fake", (EVERY_MINUTE,), _options)
    finally:
        s._Stop.requested = False
    assert Queue("index", connection=conn).count == 1
    assert CronScheduler.all(conn) == []  # it registered and then unregistered itself
    assert len(calls) == 1 and 0 < calls[0] <= 1
