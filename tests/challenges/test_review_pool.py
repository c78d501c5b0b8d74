"""The expert pool: own profile, staff listing with conflicts left out, suggestions for a challenge."""

from __future__ import annotations

from tests import factories as f
from tests.challenge_factories import make_expert, review_scene


def test_an_expert_keeps_their_own_profile(client, world):
    assert client.get("/api/v1/experts/me", headers=world.h_rita).status_code == 404
    body = {"fields": ["instrument.sensor"], "specialties": "MEMS 压力传感器", "title": "教授"}
    response = client.put("/api/v1/experts/me", json=body, headers=world.h_rita)
    assert response.status_code == 200
    assert response.json["institution"] == "东南理工大学" and response.json["fields"] == ["instrument.sensor"]
    assert client.get("/api/v1/experts/me", headers=world.h_rita).json["title"] == "教授"
    assert client.put("/api/v1/experts/me", json=body, headers=world.h_alice).status_code == 403
    bad = client.put("/api/v1/experts/me", json={"fields": ["no.such"]}, headers=world.h_rita)
    assert bad.status_code == 422 and "fields" in bad.json["errors"]


def test_staff_list_the_pool_by_field_and_without_conflicted_experts(client, world):
    s = review_scene(world)
    insider = make_expert(s.inst_a, "周明", ["instrument.sensor"])
    everyone = client.get("/api/v1/experts", headers=world.h_staff_jinhu).json["items"]
    assert {e["user_id"] for e in everyone} == {world.rita.id, s.sun.id, insider.id}
    sensors = client.get("/api/v1/experts?field=instrument.sensor", headers=world.h_staff_jinhu).json["items"]
    assert {e["user_id"] for e in sensors} == {world.rita.id, insider.id}
    free = client.get(f"/api/v1/experts?application_id={s.app_a.id}", headers=world.h_staff_jinhu).json[
        "items"
    ]
    assert insider.id not in {e["user_id"] for e in free} and world.rita.id in {e["user_id"] for e in free}
    assert client.get("/api/v1/experts", headers=world.h_alice).status_code == 403
    assert client.get("/api/v1/experts?regoin=1", headers=world.h_staff_jinhu).status_code == 422


def test_suggestions_rank_by_field_overlap_and_skip_the_posting_unit(client, world):
    s = review_scene(world)
    make_expert(world.ent_a, "郑工", ["instrument.sensor"])  # the posting unit's own engineer
    make_expert(f.make_org("university", "320102", "南京农业大学"), "马教授", ["agriculture"])
    url = f"/api/v1/challenges/{s.challenge.id}/expert-suggestions"
    items = client.get(url, headers=world.h_staff_jinhu).json["items"]
    assert [e["user_id"] for e in items] == [world.rita.id, s.sun.id]  # exact field first, then sibling
    assert items[0]["score"] > items[1]["score"] and items[0]["reasons"]
    assert client.get(url, headers=world.h_staff_xuyi).status_code == 404
    assert client.get(url, headers=world.h_alice).status_code == 404
