"""One 榜单 from draft to acceptance through the API, as poster, staff, applicants and an expert.

The README walk-through in one test: every step goes through HTTP, and the challenge clock moves
past the application deadline and the 公示 window instead of anyone waiting.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from matchmaker.extensions import db
from matchmaker.models import AuditLog
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.challenges.helpers_lists import APPLICATION_BODY, LIST_BODY
from tests.notifications.conftest import Clock
from workers.jobs.challenges import close_challenge_windows

NANJING = "320102"


@pytest.fixture
def clock(app) -> Clock:
    """The challenge clock, starting now."""
    c = Clock(utcnow())
    app.config["CHALLENGE_CLOCK"] = c
    return c


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.json
    return response.json


def _post_list(client, world, clock) -> int:
    """Alice drafts and submits; staff of another county may not publish; 金湖 staff do."""
    cid = _ok(client.post("/api/v1/challenges", json=LIST_BODY, headers=world.h_alice), 201)["id"]
    assert _ok(client.get(f"/api/v1/challenges/{cid}/intake", headers=world.h_alice))["ready"] is True
    _ok(client.post(f"/api/v1/challenges/{cid}/submit", headers=world.h_alice))
    window = {"apply_closes_at": (clock.at + timedelta(days=20)).isoformat()}
    url = f"/api/v1/challenges/{cid}/publish"
    assert client.post(url, json=window, headers=world.h_staff_xuyi).status_code == 403
    _ok(client.post(url, json=window, headers=world.h_staff_jinhu))
    assert client.get(f"/api/v1/challenges/{cid}").json["status"] == "published"  # anonymous
    return cid


def _apply(client, cid: int, headers, **extra) -> int:
    body = {**APPLICATION_BODY, **extra}
    aid = _ok(client.post(f"/api/v1/challenges/{cid}/applications", json=body, headers=headers), 201)["id"]
    _ok(client.post(f"/api/v1/challenge-applications/{aid}/submit", headers=headers))
    return aid


def _review(client, world, cid: int, apps: list[int], expert) -> None:
    """Staff assign the independent expert (the applicant-expert is refused); the expert scores."""
    staff = world.h_staff_jinhu
    url = f"/api/v1/challenges/{cid}/review-assignments"
    _ok(client.put("/api/v1/experts/me", json={"fields": ["instrument.sensor"]}, headers=world.h_rita))
    refused = client.post(url, json={"application_id": apps[0], "expert_id": world.rita.id}, headers=staff)
    assert refused.status_code == 409, refused.json  # rita's university leads that application
    h_expert = f.auth(expert)
    _ok(client.put("/api/v1/experts/me", json={"fields": ["instrument.sensor"]}, headers=h_expert))
    for aid, plan in zip(apps, (92, 70), strict=True):
        body = {"application_id": aid, "expert_id": expert.id}
        assignment = _ok(client.post(url, json=body, headers=staff), 201)["id"]
        scores = {"scores": {"plan": plan, "basis": 85, "budget": 80, "schedule": 80}}
        _ok(client.put(f"/api/v1/review-assignments/{assignment}", json=scores, headers=h_expert))
        _ok(client.post(f"/api/v1/review-assignments/{assignment}/submit", headers=h_expert))
    ranked = _ok(client.get(f"/api/v1/challenges/{cid}/ranking", headers=staff))["items"]
    assert [row["application_id"] for row in ranked][:2] == apps
    assert client.get(f"/api/v1/challenges/{cid}/ranking", headers=world.h_alice).status_code == 404


def _publicity_and_award(client, world, clock, cid: int, winner: int) -> int:
    staff = world.h_staff_jinhu
    _ok(client.post(f"/api/v1/challenges/{cid}/publicity", json={"application_ids": [winner]}, headers=staff))
    result = _ok(client.get(f"/api/v1/challenges/{cid}/result"))
    assert [team["lead_org_name"] for team in result["teams"]] == [world.uni.name]
    assert "江苏省传感技术研究所" not in str(result)  # the other team stays private
    objection = {"application_id": winner, "content": "申报材料中的业绩与事实不符，请核查。"}
    oid = _ok(client.post(f"/api/v1/challenges/{cid}/objections", json=objection, headers=world.h_bob), 201)[
        "id"
    ]
    award_body = {
        "awards": [
            {
                "application_id": winner,
                "amount": 400,
                "agreement_date": clock.at.date().isoformat(),
                "tranches": [
                    {"amount": 240, "condition": "signing"},
                    {"amount": 160, "condition": "acceptance"},
                ],
            }
        ]
    }
    assert client.post(f"/api/v1/challenges/{cid}/award", json=award_body, headers=staff).status_code == 409
    decision = {"decision": "dismissed", "note": "经核查，业绩材料属实。"}
    _ok(client.post(f"/api/v1/challenges/{cid}/objections/{oid}/handle", json=decision, headers=staff))
    clock.advance(days=10)  # past the five working days of 公示
    awarded = _ok(client.post(f"/api/v1/challenges/{cid}/award", json=award_body, headers=staff), 201)
    assert [a["application_id"] for a in awarded["items"]] == [winner]
    return awarded["items"][0]["id"]


def _deliver(client, world, clock, award_id: int) -> None:
    staff, team = world.h_staff_jinhu, world.h_rita
    base = f"/api/v1/challenge-awards/{award_id}"
    award = _ok(client.get(base, headers=team))
    assert client.get(base, headers=world.h_bob).status_code in (403, 404)
    signing = next(t for t in award["tranches"] if t["condition"] == "signing")
    _ok(client.post(f"{base}/tranches/{signing['id']}/pay", json={}, headers=staff))
    for milestone in award["milestones"]:
        _ok(
            client.post(
                f"{base}/milestones/{milestone['id']}/submit", json={"content": "交付物已上传"}, headers=team
            )
        )
        _ok(
            client.post(
                f"{base}/milestones/{milestone['id']}/decision", json={"decision": "accepted"}, headers=staff
            )
        )
    _ok(client.post(f"{base}/midterm", json={"verdict": "pass"}, headers=staff), 201)
    indicators = _ok(client.get(f"/api/v1/challenges/{award['challenge_id']}"))["indicators"]
    achieved = {"<=": 0.04, ">=": 96}
    results = [{"indicator_id": i["id"], "achieved": achieved[i["comparator"]]} for i in indicators]
    acceptance = {
        "held_on": clock.at.date().isoformat(),
        "panel": [{"name": "李明", "title": "研究员", "org": "江苏省计量科学研究院"}],
        "results": results,
        "verdict": "accepted",
    }
    assert (
        client.post(f"{base}/tranches/{award['tranches'][1]['id']}/pay", json={}, headers=staff).status_code
        == 409
    )
    _ok(client.post(f"{base}/acceptance", json=acceptance, headers=staff), 201)
    _ok(client.post(f"{base}/tranches/{award['tranches'][1]['id']}/pay", json={}, headers=staff))
    done = _ok(client.get(base, headers=world.h_alice))  # the poster follows its challenge's delivery
    assert done["status"] == "accepted" and {t["status"] for t in done["tranches"]} == {"paid"}


def test_a_challenge_goes_from_draft_to_acceptance_through_the_api(client, world, clock):
    cid = _post_list(client, world, clock)
    rival_org = f.make_org("institute", NANJING, "江苏省传感技术研究所")
    rival = f.auth(f.make_user(rival_org, ["researcher"]))
    winner = _apply(client, cid, world.h_rita)
    loser = _apply(
        client, cid, rival, pi_name="周研究员", pi_email="zhou@jsst.example.cn", pi_phone="13912345679"
    )
    assert client.get(f"/api/v1/challenge-applications/{winner}", headers=rival).status_code == 404
    clock.advance(days=21)
    assert close_challenge_windows() == [cid]
    expert = f.make_user(f.make_org("university", "320106", "南京工学院"), ["researcher", "expert"])
    _review(client, world, cid, [winner, loser], expert)
    award_id = _publicity_and_award(client, world, clock, cid, winner)
    _deliver(client, world, clock, award_id)
    final = _ok(client.get(f"/api/v1/challenges/{cid}"))
    assert final["status"] == "finished"
    summary = _ok(client.get("/api/v1/dashboard/summary", headers=world.h_staff_jinhu))
    assert (summary["challenges_posted"], summary["challenges_awarded"]) == (1, 1)
    assert summary["challenge_award_amount"] == 400
    other = _ok(client.get("/api/v1/dashboard/summary", headers=world.h_staff_xuyi))
    assert (other["challenges_posted"], other["challenges_awarded"]) == (0, 0)
    actions = set(
        db.session.scalars(db.select(AuditLog.action).filter_by(object_type="challenge", object_id=cid))
    )
    assert {"create", "submit", "publish", "close_window"} <= actions
