"""Review and publication of a 榜单: staff in scope publish with a window, send back, record list reviews."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import AuditLog, InboxMessage
from tests import factories as f
from tests.challenges.helpers_lists import closes_in, draft, published


def _submitted(client, world, **extra) -> int:
    cid = draft(client, world.h_alice, **extra)["id"]
    assert client.post(f"/api/v1/challenges/{cid}/submit", headers=world.h_alice).status_code == 200
    return cid


def _inbox(user) -> list[str]:
    return [m.title for m in db.session.scalars(db.select(InboxMessage).filter_by(user_id=user.id))]


def test_submission_reaches_staff_in_scope_who_may_publish(client, world):
    cid = _submitted(client, world)
    window = {"apply_closes_at": closes_in(30)}
    assert client.post(f"/api/v1/challenges/{cid}/publish", json=window).status_code == 401
    assert (
        client.post(f"/api/v1/challenges/{cid}/publish", json=window, headers=world.h_bob).status_code == 404
    )
    assert (
        client.post(f"/api/v1/challenges/{cid}/publish", json=window, headers=world.h_alice).status_code
        == 403
    )
    out_of_scope = client.post(f"/api/v1/challenges/{cid}/publish", json=window, headers=world.h_staff_xuyi)
    assert out_of_scope.status_code == 403 and "辖区" in out_of_scope.json["message"]
    ok = client.post(f"/api/v1/challenges/{cid}/publish", json=window, headers=world.h_staff_city)
    assert ok.status_code == 200 and ok.json["status"] == "published" and ok.json["window_open"] is True
    assert any("已发布" in t for t in _inbox(world.alice))
    again = client.post(f"/api/v1/challenges/{cid}/publish", json=window, headers=world.h_admin)
    assert again.status_code == 409
    _submitted(client, world)
    assert any("榜单待审" in t for t in _inbox(world.staff_jinhu))
    assert any("榜单待审" in t for t in _inbox(world.staff_city))
    assert not any("榜单待审" in t for t in _inbox(world.staff_xuyi))


def test_the_window_must_close_in_the_future(client, world):
    cid = _submitted(client, world)
    url, h = f"/api/v1/challenges/{cid}/publish", world.h_staff_jinhu
    assert "apply_closes_at" in client.post(url, json={}, headers=h).json["errors"]
    past = client.post(url, json={"apply_closes_at": closes_in(-1)}, headers=h)
    assert past.status_code == 422 and "晚于当前时间" in past.json["errors"]["apply_closes_at"][0]
    inverted = {"apply_opens_at": closes_in(10), "apply_closes_at": closes_in(5)}
    assert client.post(url, json=inverted, headers=h).status_code == 422
    beijing = client.post(url, json={"apply_closes_at": "2099-12-31T17:00:00"}, headers=h)
    assert beijing.json["apply_closes_at"] == "2099-12-31T09:00:00+00:00"  # a zone-less time is Beijing time


def test_send_back_with_reasons_then_edit_and_resubmit(client, world):
    cid = _submitted(client, world)
    url = f"/api/v1/challenges/{cid}/reject"
    assert client.post(url, json={}, headers=world.h_staff_jinhu).status_code == 422
    reason = "核心指标需给出测试条件和测试方法"
    rejected = client.post(url, json={"reason": reason}, headers=world.h_staff_jinhu).json
    assert rejected["status"] == "rejected" and rejected["reject_reason"] == reason
    assert client.get(f"/api/v1/challenges/{cid}", headers=world.h_bob).status_code == 404
    inbox = db.session.scalars(db.select(InboxMessage).filter_by(user_id=world.alice.id)).all()
    assert any(reason in m.body for m in inbox)
    client.patch(f"/api/v1/challenges/{cid}", json={"problem": rejected["problem"] + "测试条件：常压。"},
                 headers=f.if_match(client, f"/api/v1/challenges/{cid}", world.h_alice))  # fmt: skip
    again = client.post(f"/api/v1/challenges/{cid}/submit", headers=world.h_alice).json
    assert again["status"] == "submitted" and again["reject_reason"] is None
    actions = db.session.scalars(
        db.select(AuditLog.action).filter_by(object_type="challenge", object_id=cid)
    ).all()
    assert actions == ["create", "submit", "reject", "update", "submit"]


def test_list_reviews_and_their_averages(client, world):
    cid = _submitted(client, world)
    url = f"/api/v1/challenges/{cid}/list-reviews"
    one = {"expert_name": "王教授", "necessity": 90, "innovation": 80, "feasibility": 70, "benefit": 60}
    two = {"expert_name": "刘研究员", "necessity": 70, "innovation": 90, "feasibility": 80, "benefit": 80}
    assert client.post(url, json=one, headers=world.h_staff_jinhu).status_code == 201
    assert client.post(url, json=two, headers=world.h_staff_city).status_code == 201
    assert client.post(url, json={**one, "benefit": 101}, headers=world.h_staff_jinhu).status_code == 422
    assert client.post(url, json=one, headers=world.h_staff_xuyi).status_code == 403
    assert client.get(url, headers=world.h_alice).status_code == 403
    assert client.get(url, headers=world.h_bob).status_code == 404
    body = client.get(url, headers=world.h_staff_jinhu).json
    assert body["count"] == 2
    assert body["averages"] == {
        "necessity": 80,
        "innovation": 85,
        "feasibility": 75,
        "benefit": 70,
        "overall": 77.5,
    }


def test_cancel_before_and_after_publication(client, world):
    cid = draft(client, world.h_alice)["id"]
    assert (
        client.post(f"/api/v1/challenges/{cid}/cancel", json={}, headers=world.h_alice).json["status"]
        == "cancelled"
    )
    pid = published(client, world)
    by_poster = client.post(
        f"/api/v1/challenges/{pid}/cancel", json={"reason": "不做了"}, headers=world.h_alice
    )
    assert by_poster.status_code == 403
    no_reason = client.post(f"/api/v1/challenges/{pid}/cancel", json={}, headers=world.h_staff_jinhu)
    assert no_reason.status_code == 422
    ok = client.post(
        f"/api/v1/challenges/{pid}/cancel", json={"reason": "企业技术路线调整"}, headers=world.h_staff_jinhu
    )
    assert ok.json["status"] == "cancelled"
    assert client.get(f"/api/v1/challenges/{pid}").status_code == 404
    assert any("已取消" in t for t in _inbox(world.alice))
    sid = draft(client, world.h_staff_jinhu)["id"]  # posted by the bureau on behalf of an industry
    client.post(f"/api/v1/challenges/{sid}/submit", headers=world.h_staff_jinhu)
    client.post(
        f"/api/v1/challenges/{sid}/publish",
        json={"apply_closes_at": closes_in(9)},
        headers=world.h_staff_city,
    )
    reason = {"reason": "产业需求变化"}
    assert (
        client.post(f"/api/v1/challenges/{sid}/cancel", json=reason, headers=world.h_staff_xuyi).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/challenges/{sid}/cancel", json=reason, headers=world.h_staff_jinhu).status_code
        == 200
    )
