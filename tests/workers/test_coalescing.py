"""A burst of writes under rq: one pending search drain at a time, deliveries sent in batches."""

from __future__ import annotations

from rq import Queue
from rq.job import Job
from rq.registry import FinishedJobRegistry
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Delivery
from tests import factories as f
from tests.notifications.conftest import consent_all
from tests.workers.helpers import outbox_pending


def _publish(client, world, n: int) -> None:
    for i in range(n):
        need = f.make_need(world.ent_a, world.alice, status="submitted", title=f"批量发布的需求{i}")
        assert client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_jinhu).status_code == 200


def test_a_burst_of_publishes_queues_one_drain_and_one_send_job_per_event(client, world, fake_rq, run_jobs):
    consent_all(world.alice, channels=("email",))  # inbox and e-mail for each publication
    _publish(client, world, 4)
    assert Queue("index", connection=fake_rq).count == 1  # not one per write
    run_jobs("index")
    assert outbox_pending() == 0
    _publish(client, world, 1)  # the drain has started since: new writes get a drain of their own
    assert Queue("index", connection=fake_rq).count == 1
    run_jobs("index", "notify")
    assert outbox_pending() == 0
    finished = FinishedJobRegistry("notify", connection=fake_rq).get_job_ids()
    ran = [Job.fetch(job_id, connection=fake_rq).func_name for job_id in finished]
    assert "workers.jobs.notify.send_delivery" not in ran
    sends = ran.count("workers.jobs.notify.send_deliveries")
    sent = db.session.scalar(select(func.count(Delivery.id)).where(Delivery.status == "sent"))
    assert sends == 5 and sent > sends  # one work horse per event, several messages each


def test_the_benchmark_baseline_queues_a_drain_per_write_and_a_job_per_delivery(
    app, client, world, fake_rq, run_jobs
):
    app.config.update(JOB_COALESCE=False, NOTIFY_SEND_BATCH=1)  # as before coalescing and batching
    consent_all(world.alice, channels=("email",))
    _publish(client, world, 3)
    assert Queue("index", connection=fake_rq).count == 3
    run_jobs("index", "notify")
    finished = FinishedJobRegistry("notify", connection=fake_rq).get_job_ids()
    sends = [Job.fetch(job_id, connection=fake_rq) for job_id in finished]
    batches = [job.args[0] for job in sends if job.func_name == "workers.jobs.notify.send_deliveries"]
    assert len(batches) >= 6 and {len(ids) for ids in batches} == {1}  # inbox and e-mail, each alone
