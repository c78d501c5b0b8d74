"""Test data for the worker tests: outputs recorded for indexing, a need published through the API."""

from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import MatchRun, OutboxEvent
from tests import factories as f

make_outputs = f.make_matching_outputs
publish_need = f.publish_sensor_need


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
