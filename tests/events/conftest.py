"""An event in 金湖 with participants whose stored matches make a known agenda."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from matchmaker.extensions import db
from matchmaker.models import Event, Match
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.conftest import JINHU, XUYI


def event_body(**extra):
    """A valid create body: a 高校专场 in 金湖 next month, registration open now."""
    now = utcnow()
    body = {
        "title": "金湖县仪器仪表产业高校专场对接会",
        "type": "university",
        "fields": ["instrument"],
        "region": JINHU,
        "venue": "金湖县科技创业园报告厅",
        "starts_on": (date.today() + timedelta(days=30)).isoformat(),
        "ends_on": (date.today() + timedelta(days=30)).isoformat(),
        "capacity": 20,
        "registration_opens_at": (now - timedelta(days=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=10)).isoformat(),
        "slot_count": 4,
        "slot_minutes": 20,
        "first_slot_at": "09:00",
        "tables_per_slot": 5,
        "max_meetings": 3,
    }
    body.update(extra)
    return body


def create_event(client, headers, **extra) -> dict:
    """Create and publish an event through the API."""
    response = client.post("/api/v1/events", json=event_body(**extra), headers=headers)
    assert response.status_code == 201, response.json
    published = client.post(f"/api/v1/events/{response.json['id']}/publish", headers=headers)
    assert published.status_code == 200, published.json
    return published.json


def add_match(need, output, score: float) -> Match:
    """A stored match between a need and an output."""
    match = Match(
        need_id=need.id, output_id=output.id, need_org_id=need.org_id, output_org_id=output.org_id,
        region=need.region, score=score, breakdown={}, explanation="", status="proposed",
    )  # fmt: skip
    db.session.add(match)
    db.session.commit()
    return match


def set_status(event_id: int, status: str) -> None:
    """Jump the event to a state (the day itself) without walking the workflow."""
    event = db.session.get(Event, event_id)
    event.status = status
    db.session.commit()


@pytest.fixture
def fair(client, world):
    """金湖 event; alice (need) and bob (need) registered and approved, rita (output) too, with matches."""
    w = world
    need_a = f.make_need(w.ent_a, w.alice, title="压力传感器温漂补偿技术攻关")
    need_b = f.make_need(w.ent_b, w.bob, title="凹土基复合材料改性", fields=["materials"])
    output = f.make_output(w.uni, w.rita)
    m_a = add_match(need_a, output, 0.9)
    m_b = add_match(need_b, output, 0.6)
    event = create_event(client, w.h_staff_jinhu)
    ids = {}
    for who, body in (
        ("alice", {"need_ids": [need_a.id]}),
        ("bob", {"need_ids": [need_b.id], "unavailable_slots": [1]}),
        ("rita", {"output_ids": [output.id]}),
    ):
        response = client.post(
            f"/api/v1/events/{event['id']}/registrations", json=body, headers=getattr(w, f"h_{who}")
        )
        assert response.status_code == 201, response.json
        ids[who] = response.json["id"]
        approve = f"/api/v1/events/{event['id']}/registrations/{ids[who]}/approve"
        assert client.post(approve, headers=w.h_staff_jinhu).status_code == 200
    return SimpleNamespace(
        world=w, event=event, eid=event["id"], regs=ids, need_a=need_a, need_b=need_b, output=output,
        match_a=m_a, match_b=m_b, XUYI=XUYI,
    )  # fmt: skip
