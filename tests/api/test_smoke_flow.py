"""The README walk-through: register/login, create a need, submit, county staff publish, others view."""

from __future__ import annotations

from tests.conftest import JINHU


def test_need_walkthrough(client, world):
    new = {
        "title": "压力传感器温漂补偿技术攻关",
        "summary": "寻求压力传感器高低温温漂补偿算法与工艺改进方案。",
        "detail": "目标温漂 0.01%FS/℃，可提供测试平台。",
        "fields": ["instrument.sensor"],
        "keywords": ["压力传感器", "温度补偿"],
        "need_type": "key_technology",
        "modes": ["joint_development"],
        "budget_min": 20,
        "budget_max": 50,
    }
    r = client.post("/api/v1/needs", json=new, headers=world.h_alice)
    assert r.status_code == 201, r.json
    need = r.json
    assert need["status"] == "draft" and need["region"] == JINHU and need["contact_visible"] is True
    etag = r.headers["ETag"]

    assert client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice).status_code == 200
    # another county's officer may not publish it
    r = client.post(f"/api/v1/needs/{need['id']}/publish", headers=world.h_staff_xuyi)
    assert r.status_code == 403 and r.json["code"] == "forbidden"
    r = client.post(f"/api/v1/needs/{need['id']}/publish", headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["status"] == "published"
    assert r.headers["ETag"] != etag

    r = client.get(f"/api/v1/needs/{need['id']}", headers=world.h_bob)
    assert r.status_code == 200
    assert r.json["contact_phone"] != world.alice.phone and "****" in r.json["contact_phone"]
    assert r.json["detail"] == new["detail"]
    anon = client.get(f"/api/v1/needs/{need['id']}")
    assert anon.json["detail"] is None and anon.json["contact_visible"] is False
