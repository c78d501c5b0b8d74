"""An import's matching is queued, not run in the request: durable runs, a few batch jobs, and
nothing lost while Redis is down (the periodic drain ranks them once it is back)."""

from __future__ import annotations

import pytest
from rq import Queue
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import MatchRun
from tests.imports.conftest import need_row, upload, xlsx_bytes
from workers.jobs.maintenance import drain_backlog

pytestmark = pytest.mark.redis


def _runs(finished: bool | None = None) -> int:
    query = select(func.count()).select_from(MatchRun)
    if finished is not None:
        query = query.where(MatchRun.finished_at.is_not(None) if finished else MatchRun.finished_at.is_(None))
    return db.session.scalar(query) or 0


def _file(world, count: int) -> bytes:
    return xlsx_bytes(
        [need_row(world.ent_a.uscc, f"第{i}项：压力传感器温漂补偿技术攻关") for i in range(count)]
    )


def test_a_published_import_queues_its_matching_in_batches(rq_app, conn, world):
    report = upload(rq_app.test_client(), world.h_staff_jinhu, _file(world, 150)).json
    assert report["created"] == 150
    assert (_runs(), _runs(finished=False)) == (150, 150)  # recorded, none ranked in the request
    jobs = Queue("match", connection=conn).jobs
    assert [job.func_name for job in jobs] == ["workers.jobs.match.run_matches"] * 2
    assert sorted(len(job.args[0]) for job in jobs) == [50, 100]


def test_an_import_during_a_redis_outage_loses_no_matching(rq_app, world, redis_server):
    with redis_server.outage():
        report = upload(rq_app.test_client(), world.h_staff_jinhu, _file(world, 20)).json
    assert report["created"] == 20 and _runs(finished=False) == 20
    drain_backlog(grace=0)  # the periodic drain, once Redis (and a worker) is back
    db.session.expire_all()
    assert (_runs(finished=True), _runs(finished=False)) == (20, 0)
