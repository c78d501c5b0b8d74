"""Creating events, the registration window and capacity, review scoping and who may see what."""

from __future__ import annotations

from datetime import timedelta

from matchmaker.models.common import utcnow
from tests import factories as f
from tests.conftest import XUYI
from tests.events.conftest import create_event, event_body


def _register(client, event_id, headers, **body):
    return client.post(f"/api/v1/events/{event_id}/registrations", json=body, headers=headers)


def test_only_staff_in_scope_create_and_rules_are_checked(client, world):
    assert client.post("/api/v1/events", json=event_body(), headers=world.h_alice).status_code == 403
    outside = client.post("/api/v1/events", json=event_body(region=XUYI), headers=world.h_staff_jinhu)
    assert outside.status_code == 403 and outside.json["message"] == "所选地区超出您的辖区"
    bad = event_body(ends_on="2020-01-01", max_meetings=9, slot_count=4)
    response = client.post("/api/v1/events", json=bad, headers=world.h_staff_jinhu)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"ends_on", "max_meetings"}
    assert "结束日期" in response.json["errors"]["ends_on"][0]
    assert client.post("/api/v1/events", json=event_body(), headers=world.h_staff_city).status_code == 201


def test_drafts_are_hidden_published_events_are_public(client, world):
    draft = client.post("/api/v1/events", json=event_body(), headers=world.h_staff_jinhu).json
    for headers in ({}, world.h_alice, world.h_staff_xuyi):
        assert client.get(f"/api/v1/events/{draft['id']}", headers=headers).status_code == 404
    assert client.get("/api/v1/events").json["total"] == 0
    assert client.get("/api/v1/events", headers=world.h_staff_jinhu).json["total"] == 1
    client.post(f"/api/v1/events/{draft['id']}/publish", headers=world.h_staff_jinhu)
    public = client.get(f"/api/v1/events/{draft['id']}").json
    assert public["status"] == "published" and public["participants"] == 0
    assert "registrations" not in public and public["slots"][1] == {
        "slot": 2,
        "starts": "09:20",
        "ends": "09:40",
    }
    assert client.get("/api/v1/events").json["total"] == 1


def test_registration_window_capacity_and_once_per_org(client, world):
    w = world
    need = f.make_need(w.ent_a, w.alice)
    later = create_event(
        client, w.h_staff_jinhu, registration_opens_at=(utcnow() + timedelta(days=1)).isoformat()
    )
    early = _register(client, later["id"], w.h_alice, need_ids=[need.id])
    assert early.status_code == 409 and early.json["message"] == "报名尚未开始"
    past = create_event(
        client, w.h_staff_jinhu,
        registration_opens_at=(utcnow() - timedelta(days=3)).isoformat(),
        registration_closes_at=(utcnow() - timedelta(minutes=1)).isoformat(),
    )  # fmt: skip
    assert _register(client, past["id"], w.h_alice, need_ids=[need.id]).json["message"] == "报名已截止"
    small = create_event(client, w.h_staff_jinhu, capacity=2)
    assert _register(client, small["id"], w.h_alice, need_ids=[need.id]).status_code == 201
    again = _register(client, small["id"], w.h_alice, need_ids=[need.id])
    assert again.status_code == 409 and again.json["message"] == "本单位已报名该活动"
    output = f.make_output(w.uni, w.rita)
    assert _register(client, small["id"], w.h_rita, output_ids=[output.id]).status_code == 201
    full = _register(client, small["id"], w.h_bob, need_ids=[f.make_need(w.ent_b, w.bob).id])
    assert full.status_code == 409 and full.json["message"] == "报名人数已满"


def test_only_own_published_listings_may_be_brought(client, world):
    w = world
    event = create_event(client, w.h_staff_jinhu)
    others = f.make_need(w.ent_b, w.bob)
    draft = f.make_need(w.ent_a, w.alice, status="draft")
    for ids in ([others.id], [draft.id], [999]):
        response = _register(client, event["id"], w.h_alice, need_ids=ids)
        assert response.status_code == 422 and "本单位已发布" in response.json["errors"]["need_ids"][0]
    empty = _register(client, event["id"], w.h_alice)
    assert empty.status_code == 422
    slots = _register(
        client, event["id"], w.h_alice, need_ids=[f.make_need(w.ent_a).id], unavailable_slots=[9]
    )
    assert slots.status_code == 422 and "unavailable_slots" in slots.json["errors"]
    staff = _register(client, event["id"], w.h_staff_jinhu, need_ids=[1])
    assert staff.status_code == 403


def test_review_is_for_staff_in_scope(client, world):
    w = world
    event = create_event(client, w.h_staff_jinhu)
    reg = _register(client, event["id"], w.h_alice, need_ids=[f.make_need(w.ent_a, w.alice).id]).json
    url = f"/api/v1/events/{event['id']}/registrations/{reg['id']}"
    foreign = client.post(f"{url}/approve", headers=w.h_staff_xuyi)
    assert foreign.status_code == 403 and foreign.json["message"] == "该活动不在您的管理辖区内"
    assert client.post(f"{url}/approve", headers=w.h_alice).status_code == 403
    assert client.post(f"{url}/reject", json={}, headers=w.h_staff_jinhu).status_code == 422
    rejected = client.post(f"{url}/reject", json={"reason": "携带需求与主题不符"}, headers=w.h_staff_city)
    assert rejected.status_code == 200 and rejected.json["status"] == "rejected"
    mine = client.get(f"/api/v1/events/{event['id']}/registration", headers=w.h_alice).json
    assert mine["reason"] == "携带需求与主题不符" and len(mine["checkin_code"]) == 12
    approved = client.post(f"{url}/approve", headers=w.h_staff_jinhu)
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert client.get(f"/api/v1/events/{event['id']}").json["participants"] == 1


def test_each_role_sees_only_its_own(client, fair):
    w, eid = fair.world, fair.eid
    base = f"/api/v1/events/{eid}"
    assert client.get(f"{base}/registrations").status_code == 401
    for headers in (w.h_alice, w.h_rita):
        assert client.get(f"{base}/registrations", headers=headers).status_code == 403
    assert client.get(f"{base}/registrations", headers=w.h_staff_xuyi).status_code == 403
    listed = client.get(f"{base}/registrations", headers=w.h_staff_jinhu).json["items"]
    assert len(listed) == 3 and all("checkin_code" not in item for item in listed)
    mine = client.get(f"{base}/registration", headers=w.h_bob).json
    assert mine["id"] == fair.regs["bob"]
    alice_schedule = f"{base}/schedule?registration_id={fair.regs['alice']}"
    assert client.get(alice_schedule, headers=w.h_bob).status_code == 403
    assert client.get(alice_schedule, headers=w.h_staff_jinhu).status_code == 200
    assert client.get(f"{base}/registration", headers=w.h_staff_jinhu).status_code == 404
    for path in ("agenda", "report"):
        assert client.get(f"{base}/{path}", headers=w.h_alice).status_code == 403
        assert client.get(f"{base}/{path}", headers=w.h_staff_xuyi).status_code == 403
