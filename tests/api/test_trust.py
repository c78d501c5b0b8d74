"""Authorisation from server-side facts: a listing's region is its unit's, a unit that changes who or
where it is needs verifying again, and unverified units neither publish nor apply."""

from __future__ import annotations

from matchmaker.extensions import db
from tests import challenge_factories as cf
from tests import factories as f
from tests.conftest import XUYI

NEED = {
    "title": "数控机床主轴热变形补偿",
    "summary": "主轴高速运转后热变形导致加工精度下降，寻求热误差建模与补偿方案。",
    "fields": ["equipment"],
    "need_type": "key_technology",
}
QUEUE = "/api/v1/organizations/awaiting-verification"


def _queue(client, headers) -> list[int]:
    r = client.get(QUEUE, headers=headers)
    assert r.status_code == 200, r.json
    return [o["id"] for o in r.json["items"]]


def test_an_enterprise_cannot_post_a_listing_in_another_county(client, world):
    r = client.post(
        "/api/v1/needs", json={**NEED, "region": XUYI}, headers=world.h_alice
    )  # 金湖 firm as 盱眙
    assert r.status_code == 422 and "region" in r.json["errors"]
    r = client.post("/api/v1/needs", json=NEED, headers=world.h_alice)
    assert r.status_code == 201 and r.json["region"] == world.ent_a.region
    moved = client.patch(f"/api/v1/needs/{r.json['id']}", json={"region": XUYI}, headers=world.h_alice)
    assert moved.status_code == 422
    client.post(f"/api/v1/needs/{r.json['id']}/submit", headers=world.h_alice)
    wrong_county = client.post(f"/api/v1/needs/{r.json['id']}/publish", headers=world.h_staff_xuyi)
    assert wrong_county.status_code == 403  # 盱眙 staff never get to review it


def test_renaming_a_verified_unit_sends_it_back_to_the_verification_queue(client, world):
    url = f"/api/v1/organizations/{world.ent_a.id}"
    assert world.ent_a.id not in _queue(client, world.h_staff_jinhu)
    r = client.patch(url, json={"name": "淮安市科学技术局"}, headers=world.h_alice)
    assert r.status_code == 200 and r.json["verified"] is False
    assert world.ent_a.id in _queue(client, world.h_staff_jinhu)
    assert world.ent_a.id in _queue(client, world.h_staff_city)
    assert world.ent_a.id not in _queue(client, world.h_staff_xuyi)  # another county's unit
    assert client.get(QUEUE, headers=world.h_alice).status_code == 403
    draft = f.make_need(world.ent_a, world.alice, status="draft")
    refused = client.post(f"/api/v1/needs/{draft.id}/submit", headers=world.h_alice)
    assert refused.status_code == 403 and refused.json["code"] == "organization_unverified"
    client.post(f"{url}/verify", json={}, headers=world.h_staff_jinhu)
    assert client.post(f"/api/v1/needs/{draft.id}/submit", headers=world.h_alice).status_code == 200


def test_a_unit_that_moves_county_is_reverified_there_and_its_listings_follow(client, world):
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    r = client.patch(f"/api/v1/organizations/{world.ent_a.id}", json={"region": XUYI}, headers=world.h_alice)
    assert r.status_code == 200 and r.json["verified"] is False
    assert world.ent_a.id in _queue(client, world.h_staff_xuyi)
    assert world.ent_a.id not in _queue(client, world.h_staff_jinhu)
    assert client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).json["region"] == XUYI
    # the old county no longer reviews it; the new one does, once the unit is verified there
    assert client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_jinhu).status_code == 403
    unverified = client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_xuyi)
    assert unverified.status_code == 403 and unverified.json["code"] == "organization_unverified"
    client.post(f"/api/v1/organizations/{world.ent_a.id}/verify", json={}, headers=world.h_staff_xuyi)
    assert client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_xuyi).status_code == 200


def test_staff_in_scope_who_correct_a_units_name_keep_it_verified(client, world):
    url = f"/api/v1/organizations/{world.ent_a.id}"
    r = client.patch(url, json={"name": "金湖仪表科技股份有限公司"}, headers=world.h_staff_jinhu)
    assert r.status_code == 403  # staff do not edit profiles; admins may
    r = client.patch(url, json={"name": "金湖仪表科技股份有限公司"}, headers=world.h_admin)
    assert r.status_code == 200 and r.json["verified"] is True


def test_unverified_units_cannot_submit_listings_challenges_or_applications(app, client, world):
    for org in (world.ent_a, world.uni):
        org.verified = False
    db.session.commit()
    need = f.make_need(world.ent_a, world.alice, status="draft")
    output = f.make_output(world.uni, world.rita, status="draft")
    challenge = cf.make_challenge(world.ent_a, world.alice, status="draft")
    open_challenge = cf.make_challenge(world.ent_b, world.bob)
    application = cf.make_application(open_challenge, world.uni, world.rita, status="draft")
    attempts = {
        "need": (f"/api/v1/needs/{need.id}/submit", world.h_alice),
        "output": (f"/api/v1/outputs/{output.id}/submit", world.h_rita),
        "challenge": (f"/api/v1/challenges/{challenge.id}/submit", world.h_alice),
        "application": (f"/api/v1/challenge-applications/{application.id}/submit", world.h_rita),
    }
    for what, (url, headers) in attempts.items():
        r = client.post(url, headers=headers)
        assert r.status_code == 403 and r.json["code"] == "organization_unverified", (what, r.json)
    assert (
        client.post("/api/v1/needs", json=NEED, headers=world.h_alice).status_code == 201
    )  # drafts are fine

    app.config["REQUIRE_VERIFIED_ORG"] = False  # the rule can be switched off
    for what, (url, headers) in attempts.items():
        assert client.post(url, headers=headers).status_code == 200, what
