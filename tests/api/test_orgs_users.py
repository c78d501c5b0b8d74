"""Organisation directory, profile edits and verification; admin user management."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditLog
from matchmaker.taxonomy.validators import uscc_with_check
from tests import factories as f


def _names(response) -> list[str]:
    assert response.status_code == 200, response.json
    return sorted(item["name"] for item in response.json["items"])


# directory


def test_public_directory_with_filters(client, world):
    everyone = _names(client.get("/api/v1/organizations"))
    assert len(everyone) == 4 and "金湖仪表科技有限公司" in everyone
    assert _names(client.get("/api/v1/organizations?kind=enterprise")) == [
        "盱眙新材料股份有限公司",
        "金湖仪表科技有限公司",
    ]
    assert _names(client.get("/api/v1/organizations?region=320831")) == ["金湖仪表科技有限公司"]
    assert _names(client.get("/api/v1/organizations?region=320800&kind=bureau")) == ["淮安市科学技术局"]
    assert _names(client.get("/api/v1/organizations?q=新材料")) == ["盱眙新材料股份有限公司"]
    page = client.get("/api/v1/organizations?per_page=3&page=2").json
    assert page["total"] == 4 and len(page["items"]) == 1


def test_organisation_profile_is_public(client, world):
    r = client.get(f"/api/v1/organizations/{world.ent_a.id}")
    assert r.status_code == 200
    assert r.json["region_name"] == "江苏省淮安市金湖县" and r.json["verified"] is True
    assert client.get("/api/v1/organizations/9999").status_code == 404


# profile edits


def test_member_edits_profile_and_it_is_audited(client, world):
    change = {
        "description": "主营压力变送器与智能流量计。",
        "website": "https://www.example.com",
        "qualifications": [{"code": "high_tech", "year": 2023}],
        "fields": ["instrument", "equipment"],
    }
    r = client.patch(f"/api/v1/organizations/{world.ent_a.id}", json=change, headers=world.h_alice)
    assert r.status_code == 200, r.json
    assert r.json["qualifications"] == [{"code": "high_tech", "year": 2023}]
    assert r.json["fields"] == ["instrument", "equipment"] and r.json["name"] == "金湖仪表科技有限公司"
    row = db.session.scalar(select(AuditLog).where(AuditLog.object_type == "organization"))
    assert row.action == "update" and row.actor_id == world.alice.id


def test_invalid_profile_edit_is_422(client, world):
    url = f"/api/v1/organizations/{world.ent_a.id}"
    for change, field in (
        ({"region": "999999"}, "region"),
        ({"qualifications": [{"code": "famous", "year": 2023}]}, "qualifications"),
        ({"website": "not a url"}, "website"),
        ({"name": "金"}, "name"),
    ):
        r = client.patch(url, json=change, headers=world.h_alice)
        assert r.status_code == 422 and field in r.json["errors"], change


def test_unverified_org_may_correct_its_credit_code_but_not_take_anothers(client, world):
    url = f"/api/v1/organizations/{world.ent_a.id}"
    fixed = uscc_with_check("91320831MA1QWERT0")
    r = client.patch(url, json={"uscc": fixed.lower()}, headers=world.h_alice)
    assert r.status_code == 200 and r.json["uscc"] == fixed
    r = client.patch(url, json={"uscc": world.ent_b.uscc}, headers=world.h_alice)
    assert r.status_code == 409 and "uscc" in r.json["errors"]
    assert client.get(url).json["uscc"] == fixed


def test_a_verified_org_that_changes_its_credit_code_needs_verifying_again(client, world):
    new = uscc_with_check("91320831MA1QWERT0")
    r = client.patch(f"/api/v1/organizations/{world.ent_a.id}", json={"uscc": new}, headers=world.h_alice)
    assert r.status_code == 200 and r.json["uscc"] == new and r.json["verified"] is False


def test_staff_can_withdraw_verification(client, world):
    url = f"/api/v1/organizations/{world.ent_b.id}/verify"
    assert client.post(url, json={}, headers=world.h_staff_xuyi).json["verified"] is True
    assert client.post(url, json={"verified": False}, headers=world.h_staff_xuyi).json["verified"] is False
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "organization")).all()
    assert actions == ["verify", "unverify"]


# admin user management


def test_admin_lists_users_by_role(client, world):
    r = client.get("/api/v1/users?role=staff", headers=world.h_admin)
    assert r.status_code == 200 and r.json["total"] == 3
    assert {u["region_scope"] for u in r.json["items"]} == {"320831", "320830", "320800"}
    assert client.get("/api/v1/users?role=researcher", headers=world.h_admin).json["total"] == 1
    assert client.get("/api/v1/users?role=king", headers=world.h_admin).status_code == 422


def test_admin_creates_staff_who_then_review_their_county(client, world):
    body = {
        "name": "洪泽区科技局 吴科员",
        "email": "wu@hongze.example.com",
        "phone": "13770001234",
        "password": "Hongze#2026",
        "roles": ["staff"],
        "org_id": world.bureau.id,
    }
    r = client.post("/api/v1/users", json=body, headers=world.h_admin)
    assert r.status_code == 422 and "region_scope" in r.json["errors"]
    r = client.post("/api/v1/users", json={**body, "region_scope": "320831"}, headers=world.h_admin)
    assert r.status_code == 201 and r.json["roles"] == ["staff"]
    assert (
        client.post(
            "/api/v1/users", json={**body, "region_scope": "320831"}, headers=world.h_admin
        ).status_code
        == 409
    )

    token = client.post(
        "/api/v1/auth/login", json={"login": body["phone"], "password": body["password"]}
    ).json["token"]
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    r = client.post(f"/api/v1/needs/{need.id}/publish", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json["status"] == "published"


def test_admin_rejects_unknown_org_and_region(client, world):
    body = {"name": "某人", "email": "x@example.com", "password": "Passw0rd!x", "roles": ["enterprise"]}
    r = client.post("/api/v1/users", json={**body, "org_id": 999}, headers=world.h_admin)
    assert r.status_code == 422 and "org_id" in r.json["errors"]
    r = client.post(
        "/api/v1/users", json={**body, "roles": ["staff"], "region_scope": "000000"}, headers=world.h_admin
    )
    assert r.status_code == 422 and "region_scope" in r.json["errors"]


def test_admin_changes_scope_and_it_takes_effect(client, world):
    jinhu = f.make_need(world.ent_a, world.alice, status="submitted")
    r = client.patch(
        f"/api/v1/users/{world.staff_xuyi.id}", json={"region_scope": "320800"}, headers=world.h_admin
    )
    assert r.status_code == 200 and r.json["region_scope"] == "320800"
    r = client.post(f"/api/v1/needs/{jinhu.id}/publish", headers=world.h_staff_xuyi)
    assert r.status_code == 200
    r = client.patch(
        f"/api/v1/users/{world.staff_xuyi.id}", json={"region_scope": None}, headers=world.h_admin
    )
    assert r.status_code == 422
    assert (
        client.patch("/api/v1/users/9999", json={"name": "无此人"}, headers=world.h_admin).status_code == 404
    )


def test_admin_cannot_set_password_hash_or_id(client, world):
    for field, value in (("password_hash", "x"), ("id", 5), ("email", "new@example.com")):
        r = client.patch(f"/api/v1/users/{world.bob.id}", json={field: value}, headers=world.h_admin)
        assert r.status_code == 422 and field in r.json["errors"]
