"""enqueue(): inline without Redis, rq options with it, nothing lost when Redis is down; the worker's
per-job app context (fresh session, job id in the log)."""

from __future__ import annotations

import io
import logging

from rq import Queue

from matchmaker.models import Match
from tests.workers.helpers import make_outputs, need_run, outbox_pending, publish_need
from workers.enqueue import enqueue
from workers.jobs.maintenance import drain_backlog
from workers.queues import redis_connection, worker_connection


def test_inline_mode_runs_the_job_and_swallows_its_failure(app):
    assert enqueue("tests.workers.sample_jobs.session_is_clean") == 0
    assert enqueue("json.loads", "{not json") is None


def test_rq_jobs_get_the_queue_timeout_and_retries_with_backoff(app, fake_rq):
    job = enqueue("workers.jobs.match.run_match", 7, queue="match")
    assert job.args == (7,) and job.origin == "match"
    assert job.timeout == 600 and job.retries_left == 3 and job.retry_intervals == [10, 60, 300]
    app.config.update(JOB_RETRY_MAX=1, JOB_RETRY_INTERVALS=[2], JOB_TIMEOUTS={"index": 45})
    job = enqueue("workers.jobs.index.drain_search_outbox", queue="index")
    assert job.timeout == 45 and job.retries_left == 1 and job.retry_intervals == [2]
    job = enqueue("workers.jobs.index.drain_search_outbox", queue="index", job_timeout=5, retry=None)
    assert job.timeout == 5 and job.retries_left is None
    assert Queue("index", connection=fake_rq).count == 2


def test_redis_connections_give_up_quickly(app, dead_redis_url):
    app.config["REDIS_URL"] = dead_redis_url
    kwargs = redis_connection().connection_pool.connection_kwargs
    assert kwargs["socket_connect_timeout"] <= 1 and kwargs["socket_timeout"] <= 2
    assert worker_connection(dead_redis_url).connection_pool.connection_kwargs["socket_connect_timeout"] <= 1


def test_redis_down_at_publish_loses_nothing(app, client, world, dead_redis_url):
    app.config["REDIS_URL"] = dead_redis_url
    good, _ = make_outputs(world)
    need_id = publish_need(client, world)  # enqueueing fails after commit, the request does not
    pending = outbox_pending()  # two outputs, and the need's create, submit and publish
    assert need_run(need_id).finished_at is None and pending == 5
    staff = client.get("/api/v1/jobs", headers=world.h_staff_city).json
    assert staff["redis"].startswith("unreachable") and staff["backlog"]["match_runs_pending"] == 1
    assert staff["backlog"]["outbox_pending"] == pending
    assert staff["backlog"]["notifications_pending"] == 1  # 'listing.published', kept for the drain
    # Redis is back (here: the inline set-up); the recurring drain finishes everything
    app.config["REDIS_URL"] = None
    result = drain_backlog(grace=0)
    assert result["search"]["acked"] == pending and result["match_runs"] == 1
    assert need_run(need_id).finished_at is not None and outbox_pending() == 0
    assert app.extensions["matchmaker.search"].id_versions().keys() >= {
        f"need-{need_id}",
        f"output-{good.id}",
    }
    assert Match.query.filter_by(need_id=need_id, output_id=good.id).count() == 1


def test_the_drain_leaves_fresh_match_runs_to_their_own_job(app, client, world, dead_redis_url):
    app.config["REDIS_URL"] = dead_redis_url
    make_outputs(world)
    need_id = publish_need(client, world)
    app.config["REDIS_URL"] = None
    assert drain_backlog()["match_runs"] == 0  # requested seconds ago: its run_match job is queued
    assert need_run(need_id).finished_at is None


def test_each_job_runs_in_a_fresh_app_context_and_logs_its_id(app, fake_rq, run_jobs):
    from workers.run import LOG_FORMAT, JobIdFilter

    dirty = enqueue("tests.workers.sample_jobs.dirty_session")
    clean = enqueue("tests.workers.sample_jobs.session_is_clean")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(JobIdFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger("workers.run")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        run_jobs("default")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    assert dirty.return_value(refresh=True) == 1
    assert clean.return_value(refresh=True) == 0  # the first job's pending object did not leak
    assert f"job={dirty.id} " in out.getvalue() and f"job={clean.id} " in out.getvalue()
