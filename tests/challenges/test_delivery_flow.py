"""Delivery: who sees an award, milestones, progress reports, the mid-term check and the one extension."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaker.extensions import db
from matchmaker.models import AuditLog, Delivery
from tests.challenge_factories import make_award, review_scene


def _scene(world):
    s = review_scene(world)
    s.award = make_award(s.app_b, world.staff_jinhu)  # 淮阴理工学院 with member 盱眙精密制造
    s.url = f"/api/v1/challenge-awards/{s.award.id}"
    s.m0, s.m1 = (m.id for m in s.award.milestones)
    return s


def test_everyone_sees_their_part_of_the_award(client, world):
    s = _scene(world)
    member = __import__("tests.factories", fromlist=["x"]).make_user(
        s.member_b, ["enterprise"], name="钱经理"
    )
    h_member = __import__("tests.factories", fromlist=["x"]).auth(member)
    for headers in (s.h_liu, h_member, world.h_alice, world.h_staff_jinhu, world.h_staff_city, world.h_admin):
        assert client.get(s.url, headers=headers).status_code == 200
    for headers in (s.h_wang, world.h_bob, world.h_rita, world.h_staff_xuyi):
        assert client.get(s.url, headers=headers).status_code == 404
    assert [a["id"] for a in client.get("/api/v1/challenge-awards", headers=s.h_liu).json["items"]] == [
        s.award.id
    ]
    assert [a["id"] for a in client.get("/api/v1/challenge-awards", headers=world.h_alice).json["items"]] == [
        s.award.id
    ]
    assert client.get("/api/v1/challenge-awards", headers=s.h_wang).json["items"] == []
    assert client.get("/api/v1/challenge-awards", headers=world.h_staff_xuyi).json["items"] == []
    assert (
        client.post(f"{s.url}/midterm", json={"verdict": "pass"}, headers=world.h_staff_xuyi).status_code
        == 404
    )


def test_milestone_submitted_by_the_team_and_decided_by_staff(client, world):
    s = _scene(world)
    submit = f"{s.url}/milestones/{s.m0}/submit"
    assert client.post(submit, json={"content": "样机"}, headers=world.h_alice).status_code == 403
    response = client.post(submit, json={"content": "样机3台及第三方测试报告"}, headers=s.h_liu)
    assert response.status_code == 200 and response.json["milestones"][0]["status"] == "submitted"
    assert client.post(submit, json={"content": "again"}, headers=s.h_liu).status_code == 409
    decide = f"{s.url}/milestones/{s.m0}/decision"
    assert client.post(decide, json={"decision": "rejected"}, headers=world.h_staff_jinhu).status_code == 422
    assert client.post(decide, json={"decision": "accepted"}, headers=s.h_liu).status_code == 403
    response = client.post(
        decide, json={"decision": "rejected", "note": "缺少高低温循环测试数据"}, headers=world.h_staff_jinhu
    )
    assert response.json["milestones"][0]["status"] == "rejected"
    client.post(submit, json={"content": "补充高低温循环测试数据"}, headers=s.h_liu)
    response = client.post(decide, json={"decision": "accepted"}, headers=world.h_staff_jinhu)
    assert response.json["milestones"][0]["status"] == "accepted"
    assert len(response.json["reports"]) == 2  # each submission is kept as a report
    assert ("challenge.milestone_decided", s.liu.id) in {
        (d.cause, d.user_id) for d in db.session.query(Delivery)
    }


def test_staff_adjust_a_pending_milestone(client, world):
    s = _scene(world)
    new_due = (date.today() + timedelta(days=300)).isoformat()
    response = client.patch(
        f"{s.url}/milestones/{s.m0}", json={"due_date": new_due}, headers=world.h_staff_jinhu
    )
    assert response.status_code == 200 and response.json["milestones"][0]["due_date"] == new_due
    assert client.patch(f"{s.url}/milestones/{s.m0}", json={}, headers=world.h_staff_jinhu).status_code == 422
    assert client.patch(f"{s.url}/milestones/{s.m0}", json={"title": "x"}, headers=s.h_liu).status_code == 403


def test_progress_reports_and_midterm_check(client, world):
    s = _scene(world)
    report = client.post(
        f"{s.url}/reports", json={"content": "完成补偿算法设计", "milestone_id": s.m0}, headers=s.h_liu
    )
    assert report.status_code == 201 and report.json["kind"] == "progress"
    assert (
        client.post(f"{s.url}/reports", json={"content": "x"}, headers=world.h_staff_jinhu).status_code == 403
    )
    assert (
        client.post(f"{s.url}/midterm", json={"verdict": "rectify"}, headers=world.h_staff_jinhu).status_code
        == 422
    )
    check = client.post(
        f"{s.url}/midterm",
        json={"verdict": "rectify", "note": "进度滞后，一个月内整改"},
        headers=world.h_staff_jinhu,
    )
    assert check.status_code == 201 and check.json["verdict"] == "rectify"
    assert client.post(f"{s.url}/midterm", json={"verdict": "pass"}, headers=s.h_liu).status_code == 403
    kinds = [r["kind"] for r in client.get(s.url, headers=world.h_alice).json["reports"]]
    assert kinds == ["progress", "midterm"]
    assert db.session.query(AuditLog).filter_by(action="midterm_check").count() == 1


def test_one_extension_only_and_approval_moves_the_due_date(client, world):
    s = _scene(world)
    until = (s.award.due_date + timedelta(days=90)).isoformat()
    assert (
        client.post(
            f"{s.url}/extension",
            json={"requested_until": s.award.due_date.isoformat(), "reason": "x"},
            headers=s.h_liu,
        ).status_code
        == 422
    )
    first = client.post(
        f"{s.url}/extension",
        json={"requested_until": until, "reason": "关键进口芯片到货延迟"},
        headers=s.h_liu,
    )
    assert first.status_code == 201
    second = client.post(
        f"{s.url}/extension", json={"requested_until": until, "reason": "再次申请"}, headers=s.h_liu
    )
    assert second.status_code == 409 and "一次" in second.json["message"]
    decision = f"{s.url}/extension/decision"
    assert client.post(decision, json={"decision": "approved"}, headers=s.h_liu).status_code == 403
    assert (
        client.post(
            decision, json={"decision": "approved", "note": "同意"}, headers=world.h_staff_jinhu
        ).status_code
        == 200
    )
    assert client.get(s.url, headers=s.h_liu).json["due_date"] == until
    assert (
        client.post(decision, json={"decision": "rejected"}, headers=world.h_staff_jinhu).status_code == 409
    )
    assert (
        client.post(
            f"{s.url}/extension", json={"requested_until": until, "reason": "再来"}, headers=s.h_liu
        ).status_code
        == 409
    )
