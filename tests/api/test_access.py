"""Who may see and do what: two enterprises in two counties, a university, county and city staff, admin."""

from __future__ import annotations

import pytest

from matchmaker.extensions import db
from tests import factories as f

NEED = {
    "title": "数控机床主轴热变形补偿",
    "summary": "主轴高速运转后热变形导致加工精度下降，寻求热误差建模与补偿方案。",
    "detail": "现有机床定位精度 8 微米，目标 3 微米；可提供试验机床。",
    "fields": ["equipment"],
    "need_type": "key_technology",
}
OUTPUT = {
    "title": "基于深度学习的焊缝缺陷识别系统",
    "abstract": "利用卷积神经网络识别 X 射线焊缝图像中的气孔、裂纹与未熔合缺陷，识别率超过 95%。",
    "fields": ["it.ai"],
    "maturity": "pilot",
}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


# drafts of another organisation


def test_other_enterprise_cannot_read_or_change_a_draft(client, world):
    draft = f.make_need(world.ent_a, world.alice, status="draft")
    url = f"/api/v1/needs/{draft.id}"
    assert client.get(url, headers=world.h_alice).status_code == 200

    attempts = [
        client.get(url, headers=world.h_bob),
        client.patch(url, json={"title": "被他人篡改的标题"}, headers=world.h_bob),
        client.post(f"{url}/submit", headers=world.h_bob),
        client.post(f"{url}/close", headers=world.h_bob),
        client.delete(url, headers=world.h_bob),
    ]
    for r in attempts:
        assert r.status_code == 404, (r.request.method, r.request.path, r.json)
        assert r.json["code"] == "not_found"
    after = client.get(url, headers=world.h_alice).json
    assert after["status"] == "draft" and after["title"] == draft.title and after["version"] == 1


def test_other_county_staff_cannot_see_a_draft_but_in_scope_staff_can(client, world):
    draft = f.make_need(world.ent_a, world.alice, status="draft")
    assert client.get(f"/api/v1/needs/{draft.id}", headers=world.h_staff_xuyi).status_code == 404
    assert client.get(f"/api/v1/needs/{draft.id}", headers=world.h_staff_jinhu).status_code == 200


# review scope


def test_county_officer_reviews_only_own_county(client, world):
    jinhu = f.make_need(world.ent_a, world.alice, status="submitted")
    xuyi = f.make_need(world.ent_b, world.bob, status="submitted")

    for action, body in (("publish", None), ("reject", {"reason": "材料不全"})):
        r = client.post(f"/api/v1/needs/{jinhu.id}/{action}", json=body, headers=world.h_staff_xuyi)
        assert r.status_code == 403 and r.json["code"] == "forbidden"
        r = client.post(f"/api/v1/needs/{xuyi.id}/{action}", json=body, headers=world.h_staff_jinhu)
        assert r.status_code == 403
    assert client.get(f"/api/v1/needs/{jinhu.id}", headers=world.h_alice).json["status"] == "submitted"

    r = client.post(f"/api/v1/needs/{jinhu.id}/publish", headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["status"] == "published"
    r = client.post(
        f"/api/v1/needs/{xuyi.id}/reject", json={"reason": "请补充预算"}, headers=world.h_staff_xuyi
    )
    assert r.status_code == 200 and r.json["status"] == "rejected"


def test_city_staff_review_every_county_of_the_city(client, world):
    jinhu = f.make_need(world.ent_a, world.alice, status="submitted")
    xuyi = f.make_need(world.ent_b, world.bob, status="submitted")
    for need in (jinhu, xuyi):
        r = client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_city)
        assert r.status_code == 200 and r.json["status"] == "published"


def test_city_staff_cannot_review_outside_the_city(client, world):
    output = f.make_output(world.uni, world.rita, status="submitted")  # 南京玄武区
    r = client.post(f"/api/v1/outputs/{output.id}/publish", headers=world.h_staff_city)
    assert r.status_code == 403
    r = client.post(f"/api/v1/outputs/{output.id}/publish", headers=world.h_admin)
    assert r.status_code == 200 and r.json["status"] == "published"


def test_enterprise_cannot_review(client, world):
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    r = client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_alice)
    assert r.status_code == 403
    assert client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).json["status"] == "submitted"


def test_staff_cannot_edit_or_run_owner_actions_on_listings_they_do_not_own(client, world):
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    url = f"/api/v1/needs/{need.id}"
    r = client.patch(url, json={"title": "科技局改写的标题"}, headers=world.h_staff_jinhu)
    assert r.status_code == 403 and r.json["code"] == "forbidden"
    assert client.post(f"{url}/close", headers=world.h_staff_jinhu).status_code == 403
    draft = f.make_need(world.ent_a, world.alice, status="draft")
    assert client.delete(f"/api/v1/needs/{draft.id}", headers=world.h_staff_city).status_code == 403
    assert client.post(f"/api/v1/needs/{draft.id}/submit", headers=world.h_staff_city).status_code == 403
    assert client.get(url, headers=world.h_alice).json["title"] == need.title


# who may create what


def test_only_enterprises_create_needs_and_only_researchers_create_outputs(client, world):
    assert client.post("/api/v1/needs", json=NEED, headers=world.h_rita).status_code == 403
    assert client.post("/api/v1/needs", json=NEED, headers=world.h_staff_city).status_code == 403
    assert client.post("/api/v1/outputs", json=OUTPUT, headers=world.h_alice).status_code == 403
    assert client.post("/api/v1/needs", json=NEED, headers=world.h_alice).status_code == 201
    r = client.post("/api/v1/outputs", json=OUTPUT, headers=world.h_rita)
    assert r.status_code == 201 and r.json["org_id"] == world.uni.id and r.json["status"] == "draft"


def test_anonymous_cannot_create(client, world):
    r = client.post("/api/v1/needs", json=NEED)
    assert r.status_code == 401 and r.json["code"] == "unauthorized"
    assert client.post("/api/v1/outputs", json=OUTPUT).status_code == 401
    assert client.get("/api/v1/needs?mine=true").json["items"] == []


# what each viewer reads of a published listing


def test_anonymous_reads_public_summary_with_masked_contacts(client, world):
    need = f.make_need(world.ent_a, world.alice)
    one = client.get(f"/api/v1/needs/{need.id}")
    listed = client.get("/api/v1/needs")
    assert one.status_code == 200 and listed.status_code == 200
    (item,) = listed.json["items"]
    for data in (one.json, item):
        assert data["title"] == need.title and data["summary"] == need.summary
        assert data["detail"] is None
        assert data["contact_phone"] == "138****5678"
        assert data["contact_email"] == "w***@example.com"
        assert data["contact_name"] == "王**"
        assert data["contact_visible"] is False
        assert "reject_reason" not in data and "owner_id" not in data


def test_signed_in_user_sees_detail_but_masked_contacts(client, world):
    output = f.make_output(world.uni, world.rita)
    data = client.get(f"/api/v1/outputs/{output.id}", headers=world.h_alice).json
    assert data["detail"] == output.detail
    assert data["contact_phone"] == "139****1111" and data["contact_email"] == "l***@example.edu.cn"
    assert data["contact_visible"] is False


def test_owner_and_staff_in_scope_see_contacts_unmasked(client, world):
    need = f.make_need(world.ent_a, world.alice)
    for viewer in ("alice", "staff_jinhu", "staff_city", "admin"):
        data = client.get(f"/api/v1/needs/{need.id}", headers=getattr(world, f"h_{viewer}")).json
        assert data["contact_phone"] == "13812345678" and data["contact_email"] == "wang@example.com", viewer
        assert data["contact_name"] == "王经理" and data["contact_visible"] is True, viewer


def test_others_see_contacts_masked(client, world):
    need = f.make_need(world.ent_a, world.alice)
    for viewer in ("bob", "staff_xuyi", "rita"):
        data = client.get(f"/api/v1/needs/{need.id}", headers=getattr(world, f"h_{viewer}")).json
        assert data["contact_phone"] == "138****5678" and data["contact_visible"] is False, viewer
        assert data["detail"] == need.detail, viewer


# list endpoints


@pytest.fixture
def catalogue(world):
    """Alice's (金湖) and Bob's (盱眙) needs in every unpublished state, plus one published each."""
    c = {}
    for who, org, user in (("a", world.ent_a, world.alice), ("b", world.ent_b, world.bob)):
        for status in ("draft", "submitted", "rejected", "published"):
            c[f"{who}_{status}"] = f.make_need(org, user, status=status).id
    return c


def test_lists_never_leak_other_organisations_unpublished_needs(client, world, catalogue):
    public = {catalogue["a_published"], catalogue["b_published"]}
    assert _ids(client.get("/api/v1/needs")) == public
    assert _ids(client.get("/api/v1/needs?status=draft")) == set()
    bob_sees = _ids(client.get("/api/v1/needs", headers=world.h_bob))
    assert bob_sees == public | {catalogue[f"b_{s}"] for s in ("draft", "submitted", "rejected")}
    assert _ids(client.get("/api/v1/needs?status=submitted", headers=world.h_bob)) == {
        catalogue["b_submitted"]
    }
    xuyi_staff = _ids(client.get("/api/v1/needs", headers=world.h_staff_xuyi))
    assert not xuyi_staff & {catalogue[f"a_{s}"] for s in ("draft", "submitted", "rejected")}
    assert client.get("/api/v1/needs", headers=world.h_bob).json["total"] == len(bob_sees)


def test_mine_shows_own_drafts_only(client, world, catalogue):
    mine = _ids(client.get("/api/v1/needs?mine=true", headers=world.h_alice))
    assert mine == {catalogue[f"a_{s}"] for s in ("draft", "submitted", "rejected", "published")}
    drafts = _ids(client.get("/api/v1/needs?mine=true&status=draft", headers=world.h_alice))
    assert drafts == {catalogue["a_draft"]}


def test_staff_review_queue_is_their_region(client, world, catalogue):
    queue = "/api/v1/needs?status=submitted"
    assert _ids(client.get(queue, headers=world.h_staff_jinhu)) == {catalogue["a_submitted"]}
    assert _ids(client.get(queue, headers=world.h_staff_xuyi)) == {catalogue["b_submitted"]}
    both = {catalogue["a_submitted"], catalogue["b_submitted"]}
    assert _ids(client.get(queue, headers=world.h_staff_city)) == both


def test_admin_sees_everything(client, world, catalogue):
    assert _ids(client.get("/api/v1/needs?per_page=100", headers=world.h_admin)) == set(catalogue.values())


def test_outputs_list_hides_other_drafts(client, world):
    draft = f.make_output(world.uni, world.rita, status="draft")
    public = f.make_output(world.uni, world.rita)
    assert _ids(client.get("/api/v1/outputs", headers=world.h_alice)) == {public.id}
    assert _ids(client.get("/api/v1/outputs?mine=true", headers=world.h_rita)) == {draft.id, public.id}


# users and organisations


@pytest.mark.parametrize("who", ["alice", "rita", "staff_city"])
def test_user_management_is_admin_only(client, world, who):
    headers = getattr(world, f"h_{who}")
    new = {"name": "新同事", "email": "new@example.com", "password": "Sup3rSecret!", "roles": ["staff"]}
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    assert (
        client.post("/api/v1/users", json={**new, "region_scope": "320831"}, headers=headers).status_code
        == 403
    )
    r = client.patch(f"/api/v1/users/{world.bob.id}", json={"roles": ["admin"]}, headers=headers)
    assert r.status_code == 403 and r.json["code"] == "forbidden"
    assert client.get("/api/v1/users", headers=world.h_admin).json["total"] == 7


def test_user_management_needs_sign_in(client, world):
    assert client.get("/api/v1/users").status_code == 401


def test_organisation_profile_editable_only_by_members(client, world):
    url = f"/api/v1/organizations/{world.ent_a.id}"
    for who in ("bob", "staff_jinhu", "rita"):
        r = client.patch(url, json={"description": "别人改的简介"}, headers=getattr(world, f"h_{who}"))
        assert r.status_code == 403, who
    assert client.patch(url, json={"description": "匿名"}).status_code == 401
    r = client.patch(url, json={"description": "专业生产压力与温度仪表。"}, headers=world.h_alice)
    assert r.status_code == 200 and r.json["description"] == "专业生产压力与温度仪表。"


def test_verification_only_by_staff_in_scope(client, world):
    for org in (world.ent_a, world.ent_b, world.uni):
        org.verified = False
    db.session.commit()
    url = f"/api/v1/organizations/{world.ent_a.id}/verify"
    assert client.post(url, json={}, headers=world.h_alice).status_code == 403
    r = client.post(url, json={}, headers=world.h_staff_xuyi)
    assert (
        r.status_code == 403
        and client.get(f"/api/v1/organizations/{world.ent_a.id}").json["verified"] is False
    )
    r = client.post(url, json={}, headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["verified"] is True
    uni = f"/api/v1/organizations/{world.uni.id}/verify"
    assert client.post(uni, json={}, headers=world.h_staff_city).status_code == 403
    r = client.post(f"/api/v1/organizations/{world.ent_b.id}/verify", json={}, headers=world.h_staff_city)
    assert r.status_code == 200 and r.json["verified"] is True


# server-owned fields


def test_clients_cannot_set_server_owned_listing_fields(client, world):
    need = f.make_need(world.ent_a, world.alice, status="draft")
    for field in ("status", "org_id", "owner_id", "version", "published_at", "reviewed_by"):
        value = "published" if field == "status" else world.ent_b.id
        r = client.post("/api/v1/needs", json={**NEED, field: value}, headers=world.h_alice)
        assert r.status_code == 422 and field in r.json["errors"], r.json
        assert "不允许的字段" in r.json["errors"][field][0]
        r = client.patch(f"/api/v1/needs/{need.id}", json={field: value}, headers=world.h_alice)
        assert r.status_code == 422 and field in r.json["errors"], r.json
    after = client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).json
    assert (after["status"], after["org_id"], after["version"]) == ("draft", world.ent_a.id, 1)
    assert client.get("/api/v1/needs?mine=true", headers=world.h_alice).json["total"] == 1


def test_members_cannot_set_server_owned_organisation_fields(client, world):
    for field, value in (("verified", True), ("kind", "university"), ("id", 99)):
        r = client.patch(
            f"/api/v1/organizations/{world.ent_a.id}", json={field: value}, headers=world.h_alice
        )
        assert r.status_code == 422 and field in r.json["errors"], field
    org = client.get(f"/api/v1/organizations/{world.ent_a.id}").json
    assert (org["verified"], org["kind"]) == (True, "enterprise")  # as the bureau left it


def test_registration_cannot_set_verified_or_org_id(client, world):
    body = {
        "name": "刘工",
        "email": "liu@example.com",
        "password": "Passw0rd!2026",
        "roles": ["enterprise"],
        "org_id": world.ent_a.id,
        "organization": {"kind": "enterprise", "name": "淮安某公司", "region": "320831", "verified": True},
    }
    r = client.post("/api/v1/auth/register", json=body)
    assert r.status_code == 422
    assert "org_id" in r.json["errors"] and "verified" in r.json["errors"]["organization"]
