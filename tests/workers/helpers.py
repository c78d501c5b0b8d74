"""Test data for the worker tests: outputs recorded for indexing, a need published through the API."""

from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import MatchRun, OutboxEvent
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import unit_of_work
from tests import factories as f


def make_outputs(world):
    """A matching and an unrelated research output, each recorded in the outbox as publishing does."""
    good = f.make_output(world.uni, world.rita, title="MEMS 压力传感器温度漂移数字补偿方法")
    other = f.make_output(
        world.uni,
        world.rita,
        title="盱眙龙虾冷链保鲜工艺",
        abstract="一种小龙虾冷链保鲜与杀菌工艺。",
        fields=["food"],
        keywords=["保鲜"],
    )
    for output in (good, other):
        with unit_of_work() as uow:
            record_change(uow, output)
    return good, other


def publish_need(client, world) -> int:
    """Create, submit and publish (as county staff) a need that the good output answers."""
    body = {
        "title": "压力传感器温漂补偿技术攻关",
        "summary": "我公司压力传感器高低温温漂明显，寻求温度补偿算法。",
        "fields": ["instrument.sensor"],
        "keywords": ["传感器", "温度补偿"],
        "need_type": "key_technology",
        "modes": ["license"],
    }
    need = client.post("/api/v1/needs", json=body, headers=world.h_alice).json
    client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice)
    response = client.post(f"/api/v1/needs/{need['id']}/publish", headers=world.h_staff_jinhu)
    assert response.status_code == 200, response.json
    return need["id"]


def outbox_pending() -> int:
    """Search outbox rows not yet acknowledged."""
    stmt = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.acked_at.is_(None))
    return db.session.scalar(stmt) or 0


def need_run(need_id: int) -> MatchRun:
    """The (one) match run of a need, read afresh."""
    db.session.expire_all()
    return db.session.scalars(
        select(MatchRun).where(MatchRun.kind == "need", MatchRun.object_id == need_id)
    ).one()
