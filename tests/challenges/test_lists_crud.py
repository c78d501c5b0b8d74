"""Posting and editing a 榜单: who may post, mode settings, indicators, criteria, edits after publication."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import AuditLog
from tests import factories as f
from tests.challenge_factories import make_application
from tests.challenges.helpers_lists import LIST_BODY, draft, published


def test_enterprise_posts_for_its_own_unit_with_default_criteria(client, world):
    body = draft(client, world.h_alice)
    assert (body["status"], body["org_id"], body["region"]) == ("draft", world.ent_a.id, "320831")
    assert [c["code"] for c in body["criteria"]] == ["plan", "basis", "budget", "schedule"]
    assert [i["name"] for i in body["indicators"]] == ["全温区温漂", "批量良品率"]
    assert body["bounty_total"] == 400 and body["contact_name"] == "张敏"
    assert db.session.scalar(db.select(AuditLog).filter_by(action="create", object_type="challenge"))


def test_staff_post_for_an_industry_and_others_do_not_post(client, world):
    body = draft(client, world.h_staff_city, region="320830")
    assert (body["org_id"], body["region"]) == (world.bureau.id, "320830")
    assert draft(client, world.h_staff_jinhu)["region"] == "320831"  # default: the officer's county
    outside = client.post(
        "/api/v1/challenges", json={**LIST_BODY, "region": "320830"}, headers=world.h_staff_jinhu
    )
    assert outside.status_code == 422 and "region" in outside.json["errors"]
    assert client.post("/api/v1/challenges", json=LIST_BODY).status_code == 401
    assert client.post("/api/v1/challenges", json=LIST_BODY, headers=world.h_rita).status_code == 403
    assert client.post("/api/v1/challenges", json=LIST_BODY, headers=world.h_admin).status_code == 403
    other_region = client.post(
        "/api/v1/challenges", json={**LIST_BODY, "region": "320830"}, headers=world.h_alice
    )
    assert other_region.status_code == 422


def test_race_mode_and_review_criteria(client, world):
    race = draft(client, world.h_alice, mode="race")
    assert (race["mode"], race["max_winners"]) == ("race", 2)
    assert draft(client, world.h_alice, mode="race", max_winners=3)["max_winners"] == 3
    bad = client.post(
        "/api/v1/challenges", json={**LIST_BODY, "mode": "race", "max_winners": 1}, headers=world.h_alice
    )
    assert bad.status_code == 422 and "max_winners" in bad.json["errors"]
    single = client.post("/api/v1/challenges", json={**LIST_BODY, "max_winners": 3}, headers=world.h_alice)
    assert single.status_code == 422
    back = client.patch(
        f"/api/v1/challenges/{race['id']}",
        json={"mode": "single"},
        headers=f.if_match(client, f"/api/v1/challenges/{race['id']}", world.h_alice),
    )
    assert (back.json["mode"], back.json["max_winners"]) == ("single", 1)
    zero = [{"code": "plan", "name": "技术方案", "weight": 0}]
    response = client.post("/api/v1/challenges", json={**LIST_BODY, "criteria": zero}, headers=world.h_alice)
    assert response.status_code == 422 and "criteria" in response.json["errors"]
    twice = [{"code": "plan", "name": "方案", "weight": 50}, {"code": "plan", "name": "方案二", "weight": 50}]
    response = client.post("/api/v1/challenges", json={**LIST_BODY, "criteria": twice}, headers=world.h_alice)
    assert response.status_code == 422
    own = [{"code": "plan", "name": "技术方案", "weight": 70}, {"code": "team", "name": "团队", "weight": 30}]
    assert [c["weight"] for c in draft(client, world.h_alice, criteria=own)["criteria"]] == [70, 30]


def test_indicators_replaced_whole_and_co_posters(client, world):
    cid = draft(client, world.h_alice)["id"]
    new = [{"name": "响应时间", "comparator": "<=", "target": 10, "unit": "ms"}]
    response = client.patch(
        f"/api/v1/challenges/{cid}",
        json={"indicators": new},
        headers=f.if_match(client, f"/api/v1/challenges/{cid}", world.h_alice),
    )
    assert response.status_code == 200
    (only,) = response.json["indicators"]
    assert only == {"id": only["id"], "name": "响应时间", "comparator": "<=", "target": 10.0, "unit": "ms"}
    co = [{"org_id": world.ent_b.id}, {"name": "淮安市传感器产业联盟"}]
    body = draft(client, world.h_alice, co_posters=co)
    assert body["co_posters"] == [
        {"org_id": world.ent_b.id, "name": "盱眙新材料股份有限公司"},
        {"org_id": None, "name": "淮安市传感器产业联盟"},
    ]
    bad = client.post(
        "/api/v1/challenges", json={**LIST_BODY, "co_posters": [{"org_id": 999}]}, headers=world.h_alice
    )
    assert bad.status_code == 422


def test_only_the_posting_unit_edits_with_etag_and_deletes_drafts(client, world):
    created = client.post("/api/v1/challenges", json=LIST_BODY, headers=world.h_alice)
    cid, tag = created.json["id"], created.headers["ETag"]
    assert (
        client.patch(
            f"/api/v1/challenges/{cid}",
            json={"title": "改标题测试"},
            headers={**world.h_bob, "If-Match": tag},
        ).status_code
        == 404
    )
    missing = client.patch(f"/api/v1/challenges/{cid}", json={"title": "改标题测试"}, headers=world.h_alice)
    assert missing.status_code == 428 and missing.json["code"] == "precondition_required"
    stale = {"If-Match": '"challenge-1-v99"', **world.h_alice}
    assert (
        client.patch(f"/api/v1/challenges/{cid}", json={"title": "改标题测试"}, headers=stale).status_code
        == 412
    )
    fresh = {"If-Match": tag, **world.h_alice}
    assert (
        client.patch(f"/api/v1/challenges/{cid}", json={"title": "改标题测试"}, headers=fresh).status_code
        == 200
    )
    cid = draft(client, world.h_alice)["id"]
    assert client.delete(f"/api/v1/challenges/{cid}", headers=world.h_bob).status_code == 404
    assert client.delete(f"/api/v1/challenges/{cid}", headers=world.h_alice).status_code == 200
    pid = published(client, world)
    assert client.delete(f"/api/v1/challenges/{pid}", headers=world.h_alice).status_code == 409


def test_published_without_applications_goes_back_to_review_on_content_edits(client, world):
    cid = published(client, world)
    contact = client.patch(
        f"/api/v1/challenges/{cid}",
        json={"contact_name": "李娜"},
        headers=f.if_match(client, f"/api/v1/challenges/{cid}", world.h_alice),
    )
    assert contact.json["status"] == "published"
    content = client.patch(
        f"/api/v1/challenges/{cid}",
        json={"time_limit_months": 24},
        headers=f.if_match(client, f"/api/v1/challenges/{cid}", world.h_alice),
    )
    assert content.json["status"] == "submitted" and content.json["apply_closes_at"] is None
    assert client.get(f"/api/v1/challenges/{cid}").status_code == 404  # out of the public catalogue


def test_published_with_applications_refuses_content_edits(client, world):
    cid = published(client, world)
    from matchmaker.models import Challenge

    make_application(db.session.get(Challenge, cid), world.uni, world.rita)
    refused = client.patch(
        f"/api/v1/challenges/{cid}",
        json={"bounty_enterprise": 200},
        headers=f.if_match(client, f"/api/v1/challenges/{cid}", world.h_alice),
    )
    assert refused.status_code == 409 and "已有团队揭榜" in refused.json["message"]
    ok = client.patch(
        f"/api/v1/challenges/{cid}",
        json={"contact_phone": "13900000002"},
        headers=f.if_match(client, f"/api/v1/challenges/{cid}", world.h_alice),
    )
    assert ok.status_code == 200 and ok.json["status"] == "published"
