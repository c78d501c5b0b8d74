"""揭榜 applications: lead unit, consortium cap, commitment, one application per unit, edit and withdraw."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import AuditLog, InboxMessage
from tests import factories as f
from tests.challenges.helpers_lists import apply, draft, published


def _submit(client, aid: int, headers):
    return client.post(f"/api/v1/challenge-applications/{aid}/submit", headers=headers)


def test_a_team_applies_and_submits_and_the_poster_hears_of_it(client, world):
    cid = published(client, world)
    created = apply(client, cid, world.h_rita, members=[{"org_id": world.ent_b.id, "role": "中试验证"}])
    assert created.status_code == 201
    body = created.json
    assert (body["status"], body["lead_org_id"], body["budget_total"]) == ("draft", world.uni.id, 400)
    assert body["members"] == [
        {"org_id": world.ent_b.id, "org_name": "盱眙新材料股份有限公司", "role": "中试验证"}
    ]
    assert "承诺在18个月内完成榜单全部核心指标" in body["commitment"]  # the default commitment text
    submitted = _submit(client, body["id"], world.h_rita)
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"
    titles = [m.title for m in db.session.scalars(db.select(InboxMessage).filter_by(user_id=world.alice.id))]
    assert any("东南理工大学已揭榜" in t for t in titles)
    audit = db.session.scalars(
        db.select(AuditLog.action).filter_by(object_type="challenge_application")
    ).all()
    assert audit == ["create", "submit"]


def test_commitment_signed_and_milestones_within_the_time_limit(client, world):
    cid = published(client, world)
    aid = apply(client, cid, world.h_rita, commitment_signed=False, milestones=[]).json["id"]
    refused = _submit(client, aid, world.h_rita)
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"commitment_signed", "milestones"}
    assert "军令状" in refused.json["errors"]["commitment_signed"][0]
    cid = published(client, world)
    late = [{"title": "验收", "months": 24, "deliverable": "验收报告", "budget": 400}]
    response = apply(client, cid, world.h_rita, milestones=late)
    assert response.status_code == 422 and "18个月" in str(response.json["errors"])


def test_one_application_per_unit_as_lead_or_member(client, world):
    cid = published(client, world)
    assert apply(client, cid, world.h_rita).status_code == 201
    colleague = f.auth(f.make_user(world.uni, ["researcher"], name="同校另一位老师"))
    second = apply(client, cid, colleague)
    assert second.status_code == 409 and "每个单位只能参与一个揭榜团队" in second.json["message"]
    cid = published(client, world)
    apply(client, cid, world.h_rita, members=[{"org_id": world.ent_b.id, "role": "中试"}])
    assert apply(client, cid, world.h_bob).status_code == 409
    other = f.make_org("institute", "320102", "江苏省传感技术研究所")
    lead = f.auth(f.make_user(other, ["researcher"]))
    joined = apply(client, cid, lead, members=[{"org_id": world.ent_b.id, "role": "中试"}])
    assert joined.status_code == 409 and "盱眙新材料" in joined.json["message"]


def test_at_most_four_consortium_members(client, world):
    cid = published(client, world)
    five = [{"name": f"合作单位{i}", "role": "协作"} for i in range(5)]
    too_many = apply(client, cid, world.h_rita, members=five)
    assert too_many.status_code == 422 and "最多 4 家" in str(too_many.json["errors"]["members"])
    assert apply(client, cid, world.h_rita, members=five[:4]).status_code == 201


def test_who_may_apply_to_what(client, world):
    cid = published(client, world, co_posters=[{"org_id": world.ent_b.id}])
    assert apply(client, cid, world.h_alice).status_code == 403
    assert apply(client, cid, world.h_bob).status_code == 403  # a co-poster
    assert apply(client, cid, world.h_staff_jinhu).status_code == 403
    assert apply(client, cid, {}).status_code == 401
    poster_as_member = apply(client, cid, world.h_rita, members=[{"org_id": world.ent_a.id, "role": "x"}])
    assert poster_as_member.status_code == 422
    cid = draft(client, world.h_alice)["id"]
    assert apply(client, cid, world.h_rita).status_code == 404
    assert apply(client, cid, world.h_admin).status_code == 403  # no unit to apply for


def test_edit_and_withdraw_before_the_deadline(client, world):
    cid = published(client, world)
    aid = apply(client, cid, world.h_rita).json["id"]
    _submit(client, aid, world.h_rita)
    url = f"/api/v1/challenge-applications/{aid}"
    assert client.patch(url, json={"plan": "改进后的方案"}, headers=world.h_alice).status_code == 403
    edited = client.patch(url, json={"plan": "改进后的方案", "members": []}, headers=world.h_rita)
    assert (
        edited.status_code == 200
        and edited.json["plan"] == "改进后的方案"
        and edited.json["status"] == "submitted"
    )
    withdrawn = client.post(f"{url}/withdraw", json={"reason": "团队调整"}, headers=world.h_rita)
    assert withdrawn.json["status"] == "withdrawn"
    assert client.patch(url, json={"plan": "再改"}, headers=world.h_rita).status_code == 409
    assert apply(client, cid, world.h_rita).status_code == 409  # withdrawal is final for the unit
    titles = [m.title for m in db.session.scalars(db.select(InboxMessage).filter_by(user_id=world.alice.id))]
    assert any("撤回" in t for t in titles)
