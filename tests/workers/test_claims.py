"""A match run claimed by a job whose work horse died is taken back by rq's retry of that job at once."""

from __future__ import annotations

from rq import Queue

from matchmaker.extensions import db
from matchmaker.models.common import utcnow
from tests.workers.helpers import make_outputs, need_run, publish_need


def _left_claimed(need_id: int, job_id: str) -> None:
    """What a horse killed mid-ranking leaves: a fresh claim in its job's name, nothing finished."""
    run = need_run(need_id)
    run.started_at, run.claimed_by, run.attempts = utcnow(), job_id, 1
    db.session.commit()


def test_the_retry_of_the_claiming_job_ranks_the_run_at_once(app, client, world, fake_rq, run_jobs):
    make_outputs(world)
    need_id = publish_need(client, world)
    [job] = Queue("match", connection=fake_rq).get_jobs()
    _left_claimed(need_id, job.id)
    run_jobs("match")  # the same job id again, as rq's retry runs it
    run = need_run(need_id)
    assert run.finished_at is not None and run.attempts == 2  # ranked by the retry, not 15 min later


def test_another_job_leaves_a_fresh_claim_alone(app, client, world, fake_rq, run_jobs):
    make_outputs(world)
    need_id = publish_need(client, world)
    _left_claimed(need_id, "some-other-job")  # e.g. the drain, ranking it right now
    run_jobs("match")  # the publish's own job
    assert need_run(need_id).finished_at is None  # still someone else's: not ranked twice at once
