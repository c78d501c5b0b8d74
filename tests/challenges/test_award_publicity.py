"""公示 and award (挂帅): winner counts per mode, the objection window, confirmation, the public result."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaker.extensions import db
from matchmaker.models import ChallengeAward, Delivery
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.challenge_factories import make_application, review_scene


def _publicity(client, s, ids, headers=None, **extra):
    return client.post(
        f"/api/v1/challenges/{s.challenge.id}/publicity",
        json={"application_ids": ids, **extra},
        headers=headers or s.world.h_staff_jinhu,
    )


def _end_window(s):
    s.challenge.publicity_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()


def _agreement(application, **extra):
    return {"application_id": application.id, "amount": 400, "agreement_date": "2026-03-01", **extra}


def test_single_mode_names_exactly_one_team(client, world):
    s = review_scene(world)
    response = _publicity(client, s, [s.app_a.id, s.app_b.id])
    assert response.status_code == 422 and "一个" in response.json["errors"]["application_ids"][0]
    assert _publicity(client, s, [s.app_a.id], headers=world.h_staff_xuyi).status_code == 403
    response = _publicity(client, s, [s.app_a.id])
    assert response.status_code == 200
    assert [t["lead_org_name"] for t in response.json["teams"]] == [s.inst_a.name]
    db.session.refresh(s.challenge)
    assert s.challenge.status == "publicity" and s.challenge.publicity_ends_at > utcnow()
    assert (s.challenge.publicity_ends_at.date() - date.today()).days >= 5  # five working days
    causes = {(d.cause, d.user_id) for d in db.session.query(Delivery)}
    assert ("challenge.publicity", s.wang.id) in causes and ("challenge.publicity", world.alice.id) in causes


def test_race_mode_awards_several_teams_in_parallel(client, world):
    s = review_scene(world, mode="race", max_winners=2)
    third = make_application(s.challenge, f.make_org("university", "320800", "淮安大学"), world.bob)
    assert _publicity(client, s, [s.app_a.id, s.app_b.id, third.id]).status_code == 422
    assert _publicity(client, s, [s.app_a.id, s.app_b.id]).status_code == 200
    _end_window(s)
    awards = [_agreement(s.app_a, amount=200), _agreement(s.app_b, amount=200, due_date="2027-06-30")]
    response = client.post(
        f"/api/v1/challenges/{s.challenge.id}/award", json={"awards": awards}, headers=world.h_staff_jinhu
    )
    assert response.status_code == 201, response.json
    assert len(response.json["items"]) == 2
    first = response.json["items"][0]
    assert first["due_date"] == "2027-09-01"  # 18 months after signing
    assert [m["title"] for m in first["milestones"]] == ["样机研制", "中试与批量验证"]
    assert first["milestones"][0]["due_date"] == "2026-12-01"  # 9 months
    for application, status in ((s.app_a, "awarded"), (s.app_b, "awarded"), (third, "not_selected")):
        db.session.refresh(application)
        assert application.status == status
    db.session.refresh(s.challenge)
    assert s.challenge.status == "awarded"


def test_objections_only_during_the_window_and_upheld_removes_the_team(client, world):
    s = review_scene(world)
    url = f"/api/v1/challenges/{s.challenge.id}/objections"
    early = client.post(url, json={"content": "评审尚未结束"}, headers=world.h_bob)
    assert early.status_code == 409
    _publicity(client, s, [s.app_a.id])
    assert (
        client.post(url, json={"content": "x", "application_id": s.app_b.id}, headers=world.h_bob).status_code
        == 422
    )
    filed = client.post(
        url,
        json={"content": "牵头单位研究基础材料与事实不符", "application_id": s.app_a.id},
        headers=world.h_bob,
    )
    assert filed.status_code == 201
    assert [o["id"] for o in client.get(url, headers=world.h_alice).json["items"]] == []  # not alice's
    assert len(client.get(url, headers=world.h_staff_jinhu).json["items"]) == 1
    _end_window(s)
    assert client.post(url, json={"content": "迟到的异议"}, headers=world.h_bob).status_code == 409
    award = client.post(
        f"/api/v1/challenges/{s.challenge.id}/award",
        json={"awards": [_agreement(s.app_a)]},
        headers=world.h_staff_jinhu,
    )
    assert award.status_code == 409 and "异议" in award.json["message"]
    handle = f"{url}/{filed.json['id']}/handle"
    assert (
        client.post(handle, json={"decision": "upheld", "note": "x"}, headers=world.h_staff_xuyi).status_code
        == 403
    )
    response = client.post(
        handle, json={"decision": "upheld", "note": "经核查，部分业绩材料不实"}, headers=world.h_staff_jinhu
    )
    assert response.status_code == 200 and response.json["status"] == "upheld"
    assert (
        client.post(
            handle, json={"decision": "dismissed", "note": "再次处理"}, headers=world.h_staff_jinhu
        ).status_code
        == 409
    )
    db.session.refresh(s.app_a)
    assert s.app_a.status == "not_selected"
    assert ("challenge.objection_handled", world.bob.id) in {
        (d.cause, d.user_id) for d in db.session.query(Delivery)
    }
    assert _publicity(client, s, [s.app_a.id]).status_code == 409  # removed for good
    assert _publicity(client, s, [s.app_b.id]).status_code == 200  # 公示 restarts with another team


def test_award_waits_for_the_window_and_covers_exactly_the_proposed(client, world):
    s = review_scene(world)
    _publicity(client, s, [s.app_a.id], ends_on=(date.today() + timedelta(days=3)).isoformat())
    url = f"/api/v1/challenges/{s.challenge.id}/award"
    early = client.post(url, json={"awards": [_agreement(s.app_a)]}, headers=world.h_staff_jinhu)
    assert early.status_code == 409 and "公示期尚未结束" in early.json["message"]
    _end_window(s)
    wrong = client.post(url, json={"awards": [_agreement(s.app_b)]}, headers=world.h_staff_jinhu)
    assert wrong.status_code == 422
    assert client.post(url, json={"awards": [_agreement(s.app_a)]}, headers=world.h_alice).status_code == 403
    done = client.post(
        url,
        json={"awards": [_agreement(s.app_a, agreement_number="JH-2026-08")]},
        headers=world.h_staff_jinhu,
    )
    assert done.status_code == 201
    assert db.session.query(ChallengeAward).count() == 1
    db.session.refresh(s.app_b)
    assert s.app_b.status == "not_selected"
    assert (
        client.post(url, json={"awards": [_agreement(s.app_a)]}, headers=world.h_staff_jinhu).status_code
        == 409
    )


def test_public_result_shows_only_the_winners_after_publicity_starts(client, world):
    s = review_scene(world)
    url = f"/api/v1/challenges/{s.challenge.id}/result"
    assert client.get(url).status_code == 404
    _publicity(client, s, [s.app_b.id])
    response = client.get(url)  # anonymous
    assert response.status_code == 200
    assert [t["lead_org_name"] for t in response.json["teams"]] == [s.inst_b.name]
    text = str(response.json)
    assert s.inst_a.name not in text and s.app_b.pi_phone not in text


def test_applicants_see_only_their_own_review_result(client, world):
    s = review_scene(world)
    url = f"/api/v1/challenges/{s.challenge.id}/my-review-result"
    assert client.get(url, headers=s.h_wang).status_code == 409  # review still running
    _publicity(client, s, [s.app_b.id])
    mine = client.get(url, headers=s.h_wang).json
    assert mine["application_id"] == s.app_a.id and "lead_org_name" not in mine
    assert client.get(url, headers=s.h_liu).json["application_id"] == s.app_b.id
    assert client.get(url, headers=world.h_bob).status_code == 404
