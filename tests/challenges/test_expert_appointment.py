"""Expert status is appointed by staff in scope (or imported from a bureau's pool), never self-declared,
and an expert is in the pool only while their unit is verified."""

from __future__ import annotations

from matchmaker.extensions import db
from tests import challenge_factories as cf
from tests import factories as f
from tests.conftest import JINHU


def _pool_ids(client, headers) -> set[int]:
    r = client.get("/api/v1/experts", headers=headers)
    assert r.status_code == 200, r.json
    return {e["user_id"] for e in r.json["items"]}


def test_a_researcher_cannot_make_themselves_an_expert(client, world):
    lab = f.make_org("institute", JINHU, "金湖智能装备研究院")
    lee = f.make_user(lab, ["researcher"], name="李研究员")
    h_lee = f.auth(lee)
    body = {"fields": ["instrument.sensor"], "specialties": "压力传感器", "title": "研究员"}
    assert client.put("/api/v1/experts/me", json=body, headers=h_lee).status_code == 403
    assert (
        client.patch(f"/api/v1/users/{lee.id}", json={"roles": ["expert"]}, headers=h_lee).status_code == 403
    )
    assert client.post(f"/api/v1/users/{lee.id}/expert", json={}, headers=h_lee).status_code == 403
    assert client.post(f"/api/v1/users/{lee.id}/expert", json={}, headers=world.h_alice).status_code == 403


def test_staff_in_scope_appoint_and_withdraw_experts(client, world):
    lab = f.make_org("institute", JINHU, "金湖智能装备研究院")
    lee = f.make_user(lab, ["researcher"], name="李研究员")
    url = f"/api/v1/users/{lee.id}/expert"
    assert client.post(url, json={}, headers=world.h_staff_xuyi).status_code == 403  # another county
    r = client.post(url, json={}, headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["roles"] == ["expert", "researcher"]
    body = {"fields": ["instrument.sensor"], "specialties": "压力传感器", "title": "研究员"}
    assert client.put("/api/v1/experts/me", json=body, headers=f.auth(lee)).status_code == 200
    assert lee.id in _pool_ids(client, world.h_staff_city)
    r = client.post(url, json={"appointed": False}, headers=world.h_staff_city)
    assert r.status_code == 200 and r.json["roles"] == ["researcher"]
    assert lee.id not in _pool_ids(client, world.h_staff_city)


def test_an_expert_leaves_the_pool_while_their_unit_is_unverified(client, world):
    expert = cf.make_expert(world.uni, "周教授")
    assert expert.id in _pool_ids(client, world.h_admin)
    world.uni.verified = False
    db.session.commit()
    assert expert.id not in _pool_ids(client, world.h_admin)
    unverified = f.make_user(world.uni, ["researcher"])
    r = client.post(f"/api/v1/users/{unverified.id}/expert", json={}, headers=world.h_admin)
    assert r.status_code == 403 and r.json["code"] == "organization_unverified"


def test_a_bureau_pool_is_imported_from_a_file(app, world, tmp_path):
    lab = f.make_org("institute", JINHU, "金湖智能装备研究院")
    lee = f.make_user(lab, ["researcher"], name="李研究员")
    shaky = f.make_org("institute", JINHU, "待认证研究所", verified=False)
    wu = f.make_user(shaky, ["researcher"], name="吴工")
    pool = tmp_path / "pool.csv"
    pool.write_text(
        "email,fields,specialties,title\n"
        f"{lee.email},instrument.sensor、equipment,压力传感器标定,研究员\n"
        f"{wu.email},equipment,数控机床,高级工程师\n"
        "ghost@example.com,equipment,无,无\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["experts", "import", str(pool)])
    assert result.exit_code == 0, result.output
    assert "已认定专家 1 人" in result.output and "未认证" in result.output and "未注册" in result.output
    db.session.expire_all()
    assert lee.has_role("expert") and not wu.has_role("expert")
    from matchmaker.models import ExpertProfile

    assert db.session.get(ExpertProfile, lee.id).fields == ["instrument.sensor", "equipment"]
