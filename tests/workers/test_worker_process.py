"""Real worker processes (``python -m workers.run``) against the real redis-server fixture."""

from __future__ import annotations

import pytest
from rq import Queue, Worker
from rq.cron import CronScheduler
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from matchmaker.extensions import search_backend
from matchmaker.models import Match
from tests.workers.conftest import wait_until
from tests.workers.helpers import make_outputs, need_run, outbox_pending, publish_need
from tests.workers.sample_jobs import SLOTS_KEY
from workers import monitor
from workers.enqueue import enqueue

pytestmark = pytest.mark.redis


def test_failing_job_is_retried_then_lands_in_the_failed_registry(rq_app, conn, workers):
    rq_app.config.update(JOB_RETRY_MAX=2, JOB_RETRY_INTERVALS=[1])
    workers.start("default", "--no-cron")
    job = enqueue("tests.workers.sample_jobs.always_fail", "retry", queue="default")
    assert job is not None and job.retries_left == 2
    failed = FailedJobRegistry("default", connection=conn)
    wait_until(lambda: job.id in failed, "the job in the failed registry", logs=workers.logs)
    assert int(conn.get("test:attempts:retry")) == 3  # the first run and two retries
    [shown] = monitor.failed_jobs(conn)
    assert shown["id"] == job.id and shown["error"] == "RuntimeError: 故意失败：retry"
    # staff requeue it; the worker runs it once more and it fails again, visibly
    result = rq_app.test_cli_runner().invoke(args=["jobs", "requeue", job.id])
    assert result.exit_code == 0, result.output
    wait_until(lambda: int(conn.get("test:attempts:retry")) == 4 and job.id in failed, "the requeued run")


def test_need_published_while_redis_is_down_is_indexed_and_matched_after(
    rq_app, client, world, redis_server, conn, workers
):
    workers.start("--schedule", "tests.workers.sample_jobs:FAST_DRAIN")
    good, _ = make_outputs(world)
    wait_until(lambda: outbox_pending() == 0, "the outputs indexed by the worker", logs=workers.logs)
    redis_server.stop()
    try:
        need_id = publish_need(client, world)  # the enqueues fail; the outbox and match run stay
        assert need_run(need_id).reason == "publish"
    finally:
        redis_server.start()  # back on the same port, empty
    wait_until(
        lambda: need_run(need_id).finished_at is not None and outbox_pending() == 0,
        "the recurring drain to index and match the need",
        logs=workers.logs,
    )
    assert f"need-{need_id}" in search_backend().id_versions()
    assert Match.query.filter_by(need_id=need_id, output_id=good.id).count() == 1
    assert all(proc.poll() is None for proc in workers.procs)  # the worker rode out the outage


def test_recurring_job_runs_once_per_slot_with_two_workers(conn, workers):
    workers.start("default", "--schedule", "tests.workers.sample_jobs:COUNTER", count=2)
    wait_until(lambda: monitor.live_cron_schedulers(conn) == 2, "both cron processes", logs=workers.logs)
    assert {job.name for sched in CronScheduler.all(conn) for job in sched.get_jobs()} == {"count-slot"}
    wait_until(lambda: conn.hlen(SLOTS_KEY) >= 3, "three slots of the recurring job", logs=workers.logs)
    workers.stop()
    runs = {int(slot): int(count) for slot, count in conn.hgetall(SLOTS_KEY).items()}
    assert set(runs.values()) == {1}, runs  # no slot ran twice
    finished = FinishedJobRegistry("default", connection=conn).get_job_ids()
    assert set(finished) == {f"cron-count-slot-{slot}" for slot in runs}


def test_publishing_a_need_gets_its_matches_from_the_worker(rq_app, client, world, conn, workers):
    workers.start("--no-cron")  # no drain: only the jobs the publish enqueued can do the work
    good, other = make_outputs(world)
    wait_until(lambda: outbox_pending() == 0, "the outputs indexed by the worker", logs=workers.logs)
    need_id = publish_need(client, world)
    # The end state is in the database: the horse commits the finished run before rq files the job
    # in its FinishedJobRegistry, so the registry is no witness of "done" (it raced this test).
    run = wait_until(lambda: _finished(need_run(need_id)), "the match run", logs=workers.logs)
    assert run.attempts == 1 and run.result["created"] >= 1  # ranked once, by the publish's own job
    assert Match.query.filter_by(need_id=need_id, output_id=good.id).count() == 1
    items = client.get(f"/api/v1/needs/{need_id}/matches", headers=world.h_alice).json["items"]
    assert items and items[0]["output"]["id"] == good.id
    assert other.id not in {item["output"]["id"] for item in items}, [
        (i["output"]["title"], i["score"], i["breakdown"], i["explanation"]) for i in items
    ]
    assert Queue("match", connection=conn).count == 0


def _finished(run):
    return run if run.finished_at is not None else None


def test_worker_shows_up_again_after_redis_restarts_empty(conn, redis_server, workers):
    workers.start("default", "--no-cron")
    wait_until(lambda: Worker.count(connection=conn) == 1, "the worker registered", logs=workers.logs)
    with redis_server.outage():
        pass  # back at once, with nothing in it
    wait_until(lambda: Worker.count(connection=conn) == 1, "the worker registered again", logs=workers.logs)
    [worker] = Worker.all(connection=conn)
    assert worker.queue_names() == ["default"]
