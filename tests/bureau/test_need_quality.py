"""Need quality through the API: technical indicators, the intake check, and submit refusing gaps."""

from __future__ import annotations

from tests import factories as f

VAGUE = {
    "title": "技术合作",
    "summary": "需要技术合作需要技术合作",
    "fields": ["instrument"],
    "need_type": "key_technology",
}
INDICATORS = [
    {"name": "全温区温漂", "comparator": "<=", "target": 0.01, "unit": "%FS/℃"},
    {"name": "批量良品率", "comparator": ">=", "target": 95},
]


def test_the_vague_need_of_the_issue_is_refused_on_submit_with_chinese_messages(client, world):
    need = client.post("/api/v1/needs", json=VAGUE, headers=world.h_alice).json
    r = client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice)
    assert r.status_code == 422 and r.json["code"] == "validation_error"
    assert set(r.json["errors"]) == {"title", "summary"}
    assert "笼统" in r.json["errors"]["title"][0]
    assert client.get(f"/api/v1/needs/{need['id']}", headers=world.h_alice).json["status"] == "draft"

    intake = client.get(f"/api/v1/needs/{need['id']}/intake", headers=world.h_alice).json
    assert intake["ready"] is False and {g["field"] for g in intake["blocking"]} == {"title", "summary"}
    assert "indicators" in {g["field"] for g in intake["advisory"]}


def test_indicators_are_stored_shown_replaced_and_advise_on_units(client, world):
    body = {**f.SENSOR_NEED, "indicators": INDICATORS}
    need = client.post("/api/v1/needs", json=body, headers=world.h_alice).json
    assert [(i["name"], i["comparator"], i["target"], i["unit"]) for i in need["indicators"]] == [
        ("全温区温漂", "<=", 0.01, "%FS/℃"),
        ("批量良品率", ">=", 95.0, ""),
    ]
    intake = client.get(f"/api/v1/needs/{need['id']}/intake", headers=world.h_alice).json
    assert intake["ready"] is True
    assert "以下指标未填写单位：批量良品率" in [g["message"] for g in intake["advisory"]]
    r = client.patch(
        f"/api/v1/needs/{need['id']}",
        json={"indicators": INDICATORS[:1]},
        headers=f.if_match(client, f"/api/v1/needs/{need['id']}", world.h_alice),
    )
    assert r.status_code == 200 and [i["name"] for i in r.json["indicators"]] == ["全温区温漂"]
    assert r.json["version"] == 2
    assert client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice).status_code == 200
    r = client.post("/api/v1/needs", json={**body, "indicators": [{"name": "温漂"}]}, headers=world.h_alice)
    assert r.status_code == 422 and "indicators" in r.json["errors"]


def test_a_second_copy_of_a_need_is_flagged_as_a_near_duplicate(client, world):
    first = f.make_need(world.ent_a, world.alice)
    copy = client.post(
        "/api/v1/needs",
        json={**f.SENSOR_NEED, "title": first.title, "summary": first.summary},
        headers=world.h_alice,
    ).json
    intake = client.get(f"/api/v1/needs/{copy['id']}/intake", headers=world.h_alice).json
    assert any(f"编号 {first.id}" in g["message"] for g in intake["advisory"])
    other_org = f.make_need(world.ent_b, world.bob, title=first.title, summary=first.summary)
    assert not any(f"编号 {other_org.id}" in g["message"] for g in intake["advisory"])


def test_intake_is_for_the_owner_and_staff_in_scope(client, world):
    need = f.make_need(world.ent_a, world.alice, status="draft")
    url = f"/api/v1/needs/{need.id}/intake"
    for who in ("alice", "staff_jinhu", "staff_city", "admin"):
        assert client.get(url, headers=getattr(world, f"h_{who}")).status_code == 200, who
    assert client.get(url, headers=world.h_bob).status_code == 404  # a draft: unknown to others
    assert client.get(url, headers=world.h_staff_xuyi).status_code == 404
    published = f.make_need(world.ent_a, world.alice)
    url = f"/api/v1/needs/{published.id}/intake"
    assert client.get(url, headers=world.h_bob).status_code == 403
    assert client.get(url, headers=world.h_staff_xuyi).status_code == 403
    assert client.get(url).status_code == 401
