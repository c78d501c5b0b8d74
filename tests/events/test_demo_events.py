"""The demo's events: a finished fair with outcomes that advanced matches, and an open 高校专场."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, EventMeeting, EventRegistration
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.events.conftest import add_match
from tooling.demo.events import FINISHED, UPCOMING, seed_events


def test_demo_events_are_created_once(world):
    needs = [f.make_need(f.make_org("enterprise", "320831", f"金湖第{i}阀门厂")) for i in range(12)]
    outputs = [f.make_output(f.make_org("university", "320102", f"第{i}理工学院")) for i in range(3)]
    for i, need in enumerate(needs):
        for j, output in enumerate(outputs):
            add_match(need, output, 0.3 + 0.05 * i + 0.01 * j)
    line = seed_events(utcnow())
    assert "洽谈" in line and "可生成洽谈日程" in line
    done = db.session.scalar(select(Event).where(Event.title == FINISHED))
    coming = db.session.scalar(select(Event).where(Event.title == UPCOMING))
    assert done.status == "finished" and coming.status == "published" and coming.type == "university"
    outcomes = set(db.session.scalars(select(EventMeeting.outcome).where(EventMeeting.event_id == done.id)))
    assert outcomes and outcomes <= {"held", "intent", "agreement", "no_show"}
    assert db.session.scalar(select(EventRegistration.id).filter_by(event_id=coming.id)) is not None
    assert seed_events(utcnow()) == "对接活动：演示活动已存在。"
    assert len(db.session.scalars(select(Event.id)).all()) == 2
