"""Scoring: blind review hides identities, experts see only their own work, ranking by weighted average."""

from __future__ import annotations

import json

import pytest

from matchmaker.extensions import db
from tests.challenge_factories import review_scene

ALL = {"plan": 90, "basis": 80, "budget": 70, "schedule": 60}  # weighted 40/30/15/15 -> 79.5


def _assign(client, s, application, expert):
    response = client.post(
        f"/api/v1/challenges/{s.challenge.id}/review-assignments",
        json={"application_id": application.id, "expert_id": expert.id},
        headers=s.world.h_staff_jinhu,
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _score(client, assignment_id, headers, scores, submit=True):
    response = client.put(
        f"/api/v1/review-assignments/{assignment_id}",
        json={"scores": scores, "comments": {"plan": "方案清晰"}, "overall_comment": "建议支持"},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    if submit:
        response = client.post(f"/api/v1/review-assignments/{assignment_id}/submit", headers=headers)
        assert response.status_code == 200, response.json
    return response.json


def test_blind_review_hides_every_identity_from_the_expert(client, world):
    s = review_scene(world, blind_review=True)
    assignment_id = _assign(client, s, s.app_b, world.rita)
    identities = [
        s.inst_b.name, s.member_b.name, s.liu.name, s.liu.email, s.liu.phone, s.app_b.pi_phone,
        "淮安智能传感产业研究所",
    ]  # fmt: skip
    detail = client.get(f"/api/v1/review-assignments/{assignment_id}", headers=world.h_rita)
    listing = client.get("/api/v1/review-assignments", headers=world.h_rita)
    for response in (detail, listing):
        assert response.status_code == 200
        text = json.dumps(response.json, ensure_ascii=False)
        leaked = [x for x in identities if x in text]
        assert leaked == []
        assert '"lead_org_id"' not in text and '"submitted_by"' not in text
    assert detail.json["application"]["lead_org_name"] == "申报单位B"
    assert detail.json["application"]["members"][0]["name"] == "联合单位1"
    staff = client.get(f"/api/v1/review-assignments/{assignment_id}", headers=world.h_staff_jinhu).json
    assert staff["application"]["lead_org_name"] == s.inst_b.name
    assert staff["application"]["pi_name"] == s.liu.name


def test_without_blind_review_the_expert_sees_units_but_no_contacts(client, world):
    s = review_scene(world)
    assignment_id = _assign(client, s, s.app_a, world.rita)
    body = client.get(f"/api/v1/review-assignments/{assignment_id}", headers=world.h_rita).json
    assert body["application"]["lead_org_name"] == s.inst_a.name
    assert s.app_a.pi_phone not in json.dumps(body, ensure_ascii=False)


def test_experts_see_only_their_own_assignments_and_scores(client, world):
    s = review_scene(world)
    mine = _assign(client, s, s.app_a, world.rita)
    theirs = _assign(client, s, s.app_a, s.sun)
    _score(client, theirs, s.h_sun, ALL)
    assert client.get(f"/api/v1/review-assignments/{theirs}", headers=world.h_rita).status_code == 404
    assert (
        client.put(
            f"/api/v1/review-assignments/{theirs}", json={"scores": {}}, headers=world.h_rita
        ).status_code
        == 404
    )
    listing = client.get("/api/v1/review-assignments", headers=world.h_rita).json["items"]
    assert [a["id"] for a in listing] == [mine]
    own = client.get(f"/api/v1/review-assignments/{mine}", headers=world.h_rita).json
    assert "score" not in own["application"] and own["scores"] == {}  # nothing of sun's review
    assert client.get(f"/api/v1/review-assignments/{mine}", headers=world.h_alice).status_code == 404
    assert client.get(f"/api/v1/review-assignments/{mine}", headers=world.h_staff_xuyi).status_code == 404


def test_scores_are_validated_and_submit_needs_every_criterion(client, world):
    s = review_scene(world)
    assignment_id = _assign(client, s, s.app_a, world.rita)
    for body, field in (
        ({"scores": {"plan": 101}}, "scores"),
        ({"scores": {"novelty": 80}}, "scores"),
        ({"grade": 1}, "grade"),
    ):
        response = client.put(f"/api/v1/review-assignments/{assignment_id}", json=body, headers=world.h_rita)
        assert response.status_code == 422 and field in response.json["errors"], body
    _score(client, assignment_id, world.h_rita, {"plan": 90}, submit=False)
    response = client.post(f"/api/v1/review-assignments/{assignment_id}/submit", headers=world.h_rita)
    assert response.status_code == 422 and "研究基础与团队实力" in response.json["errors"]["scores"][0]


def test_ranking_by_weighted_average_with_count_and_spread(client, world):
    s = review_scene(world)
    _score(client, _assign(client, s, s.app_a, world.rita), world.h_rita, ALL)  # 79.5
    _score(client, _assign(client, s, s.app_a, s.sun), s.h_sun, {k: 100 for k in ALL})  # 100
    _score(client, _assign(client, s, s.app_b, world.rita), world.h_rita, {k: 95 for k in ALL})  # 95
    ranking = client.get(f"/api/v1/challenges/{s.challenge.id}/ranking", headers=world.h_staff_jinhu).json
    rows = {r["application_id"]: r for r in ranking["items"]}
    assert rows[s.app_b.id]["rank"] == 1 and rows[s.app_b.id]["score"] == 95
    assert rows[s.app_a.id]["rank"] == 2 and rows[s.app_a.id]["score"] == pytest.approx(89.75)
    assert rows[s.app_a.id]["reviews"] == 2 and rows[s.app_a.id]["spread"] == pytest.approx(20.5)
    db.session.refresh(s.app_a)
    assert float(s.app_a.score) == pytest.approx(89.75) and s.app_a.rank == 2
    for headers in (world.h_staff_xuyi, world.h_alice, world.h_rita):
        assert client.get(f"/api/v1/challenges/{s.challenge.id}/ranking", headers=headers).status_code == 404


def test_criteria_are_adjustable_until_the_first_score(client, world):
    s = review_scene(world)
    url = f"/api/v1/challenges/{s.challenge.id}/criteria"
    criteria = {
        "criteria": [
            {"code": "plan", "name": "技术方案", "weight": 60},
            {"code": "team", "name": "团队", "weight": 40},
        ]
    }
    assert client.put(url, json=criteria, headers=world.h_alice).status_code == 403
    assert (
        client.put(url, json={"criteria": criteria["criteria"] * 2}, headers=world.h_staff_jinhu).status_code
        == 422
    )
    assert client.put(url, json=criteria, headers=world.h_staff_jinhu).status_code == 200
    _score(client, _assign(client, s, s.app_a, world.rita), world.h_rita, {"plan": 80, "team": 60})
    db.session.refresh(s.app_a)
    assert float(s.app_a.score) == pytest.approx(72)
    response = client.put(url, json=criteria, headers=world.h_staff_jinhu)
    assert response.status_code == 409 and "已有专家提交评分" in response.json["message"]


def test_decline_and_resubmit_refused(client, world):
    s = review_scene(world)
    assignment_id = _assign(client, s, s.app_a, world.rita)
    url = f"/api/v1/review-assignments/{assignment_id}"
    assert client.post(f"{url}/decline", json={"reason": ""}, headers=world.h_rita).status_code == 422
    response = client.post(f"{url}/decline", json={"reason": "近期出差，无法按时评审"}, headers=world.h_rita)
    assert response.status_code == 200 and response.json["status"] == "declined"
    assert client.post(f"{url}/submit", headers=world.h_rita).status_code == 409


def test_shortlist_marks_exactly_the_chosen(client, world):
    s = review_scene(world)
    url = f"/api/v1/challenges/{s.challenge.id}/shortlist"
    assert (
        client.put(url, json={"application_ids": [s.app_a.id]}, headers=world.h_staff_xuyi).status_code == 403
    )
    body = client.put(url, json={"application_ids": [s.app_a.id]}, headers=world.h_staff_jinhu).json
    assert {r["application_id"]: r["status"] for r in body["items"]} == {
        s.app_a.id: "shortlisted",
        s.app_b.id: "submitted",
    }
    body = client.put(url, json={"application_ids": [s.app_b.id]}, headers=world.h_staff_jinhu).json
    assert {r["application_id"]: r["status"] for r in body["items"]} == {
        s.app_a.id: "submitted",
        s.app_b.id: "shortlisted",
    }


def test_blind_review_redacts_identities_from_the_free_text(client, world):
    s = review_scene(world, blind_review=True)
    s.app_b.basis = "淮阴理工学院在精密测量领域承担过多项省部级项目，刘教授团队与盱眙精密制造长期合作。"
    s.app_b.plan = f"由刘海涛牵头（电话 {s.app_b.pi_phone}，{s.liu.email}），盱眙精密制造有限公司负责中试。"
    s.app_b.milestones = [{"title": "淮阴理工学院完成样机", "months": 6, "budget": 20}]
    db.session.commit()
    assignment_id = _assign(client, s, s.app_b, world.rita)
    shown = client.get(f"/api/v1/review-assignments/{assignment_id}", headers=world.h_rita).json[
        "application"
    ]
    text = json.dumps(shown, ensure_ascii=False)
    for identity in ("淮阴理工", "刘海涛", "刘教授", "盱眙精密制造", s.app_b.pi_phone, s.liu.email):
        assert identity not in text
    assert (
        shown["basis"].startswith("申报单位B在精密测量领域") and "项目负责人团队与联合单位1" in shown["basis"]
    )
    assert "（联系方式已隐去）" in shown["plan"] and shown["milestones"][0]["title"] == "申报单位B完成样机"
    assert shown["milestones"][0]["months"] == 6
    staff = client.get(f"/api/v1/review-assignments/{assignment_id}", headers=world.h_staff_jinhu).json
    assert staff["application"]["basis"].startswith("淮阴理工学院")  # staff read the original


def test_redaction_keeps_text_without_identities_and_prefers_the_longest_name():
    from matchmaker.services.challenges.review.blind import redact

    pairs = [("盱眙精密制造有限公司", "联合单位1"), ("盱眙精密制造", "联合单位1")]
    assert redact("盱眙精密制造有限公司负责中试", pairs) == "联合单位1负责中试"
    assert redact("采用激光干涉测量", pairs) == "采用激光干涉测量"
    assert redact(None, pairs) is None
    assert redact("王教授与李老师", [], pi_name="王磊") == "项目负责人与李老师"
