"""Assigning reviewers: conflicts of interest refused (each kind) or flagged, and who may assign."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import AuditLog, Delivery, Match, ReviewAssignment
from tests import factories as f
from tests.challenge_factories import make_application, make_award, make_challenge, make_expert, review_scene


def _assign(client, s, application, expert, headers=None, **extra):
    body = {"application_id": application.id, "expert_id": expert.id, **extra}
    return client.post(
        f"/api/v1/challenges/{s.challenge.id}/review-assignments",
        json=body,
        headers=headers or s.world.h_staff_jinhu,
    )


def test_staff_assign_an_expert_who_hears_of_it(client, world):
    s = review_scene(world)
    response = _assign(client, s, s.app_a, world.rita)
    assert response.status_code == 201, response.json
    assert response.json["status"] == "assigned"
    assert response.json["conflict_flags"] == []
    assert db.session.query(AuditLog).filter_by(action="review_assign").count() == 1
    causes = {d.cause for d in db.session.query(Delivery).filter_by(user_id=world.rita.id)}
    assert "challenge.review_assigned" in causes
    assert _assign(client, s, s.app_a, world.rita).status_code == 409  # once per expert and application


def test_experts_of_the_lead_unit_or_a_consortium_member_are_refused(client, world):
    s = review_scene(world)
    insider = make_expert(s.inst_a, "周明")
    response = _assign(client, s, s.app_a, insider)
    assert response.status_code == 409
    assert "江苏传感技术研究院" in response.json["message"] and "牵头单位" in response.json["message"]
    member_expert = make_expert(s.member_b, "钱进")
    response = _assign(client, s, s.app_b, member_expert)
    assert response.status_code == 409
    assert "联合体成员" in response.json["message"] and "盱眙精密制造有限公司" in response.json["message"]
    same_name = f.make_org("institute", "320800", "淮安智能传感 产业研究所")  # stray space, same unit
    expert = make_expert(same_name, "吴刚")
    response = _assign(client, s, s.app_a, expert)
    assert response.status_code == 409
    assert "联合体成员" in response.json["message"]


def test_co_applicants_are_refused(client, world):
    s = review_scene(world)
    s.wang.roles = ["researcher", "expert"]
    db.session.commit()
    from tests.challenge_factories import make_expert_profile

    make_expert_profile(s.wang)
    assert _assign(client, s, s.app_b, s.wang).status_code == 201  # no link to app_b
    outsider_pi = make_expert(f.make_org("university", "320102", "南京工业大学"), "赵磊")
    s.app_b.pi_phone = outsider_pi.phone  # the PI of app_b, registered elsewhere
    db.session.commit()
    response = _assign(client, s, s.app_b, outsider_pi)
    assert response.status_code == 409 and "项目负责人" in response.json["message"]
    s.app_a.submitted_by = outsider_pi.id
    db.session.commit()
    response = _assign(client, s, s.app_a, outsider_pi)
    assert response.status_code == 409 and "提交人" in response.json["message"]


def test_expert_of_the_posting_unit_is_refused(client, world):
    s = review_scene(world)
    poster_expert = make_expert(world.ent_a, "郑工")
    response = _assign(client, s, s.app_a, poster_expert)
    assert response.status_code == 409
    assert "发榜单位" in response.json["message"] and "金湖仪表科技有限公司" in response.json["message"]


def _signed_match(need_org, output_org):
    need = f.make_need(need_org)
    output = f.make_output(output_org)
    match = Match(
        need_id=need.id, output_id=output.id, need_org_id=need_org.id, output_org_id=output_org.id,
        region=need.region, score=0.8, status="agreement_signed",
    )  # fmt: skip
    db.session.add(match)
    db.session.commit()


def test_past_collaborator_on_a_signed_agreement_is_flagged_and_needs_a_reason(client, world):
    s = review_scene(world)
    _signed_match(s.inst_b, s.sun_org)  # sun's institute signed with app_b's lead unit
    response = _assign(client, s, s.app_b, s.sun)
    assert response.status_code == 409
    flags = response.json["errors"]["conflict_flags"]
    assert [x["code"] for x in flags] == ["past_agreement"] and "淮阴理工学院" in flags[0]["message"]
    response = _assign(client, s, s.app_b, s.sun, override_reason="合作已于三年前结束，且为小额检测服务")
    assert response.status_code == 201
    stored = db.session.get(ReviewAssignment, response.json["id"])
    assert stored.conflict_flags[0]["code"] == "past_agreement"
    assert stored.override_reason.startswith("合作已于")
    assert _assign(client, s, s.app_a, s.sun).status_code == 201  # no link with app_a


def test_past_partner_on_an_earlier_challenge_award_is_flagged(client, world):
    s = review_scene(world)
    earlier = make_challenge(world.ent_b, world.bob, status="awarded", title="盐碱地改良")
    joint = make_application(earlier, s.sun_org, s.sun, members=[s.inst_a], status="awarded")
    make_award(joint, world.staff_xuyi)
    response = _assign(client, s, s.app_a, s.sun)
    assert response.status_code == 409
    assert response.json["errors"]["conflict_flags"][0]["code"] == "past_award"


def test_only_staff_in_scope_assign_and_only_while_reviewing(client, world):
    s = review_scene(world)
    assert _assign(client, s, s.app_a, world.rita, headers=world.h_staff_xuyi).status_code == 403
    assert _assign(client, s, s.app_a, world.rita, headers=world.h_alice).status_code == 403
    assert _assign(client, s, s.app_a, world.rita, headers=world.h_staff_city).status_code == 201
    published = make_challenge(world.ent_a, world.alice, status="published")
    app = make_application(published, s.inst_b, s.liu)
    response = client.post(
        f"/api/v1/challenges/{published.id}/review-assignments",
        json={"application_id": app.id, "expert_id": world.rita.id},
        headers=world.h_staff_jinhu,
    )
    assert response.status_code == 409


def test_drafts_and_non_experts_cannot_be_assigned(client, world):
    s = review_scene(world)
    draft = make_application(
        s.challenge, f.make_org("university", "320800", "淮安大学"), world.bob, status="draft"
    )
    assert _assign(client, s, draft, world.rita).status_code == 422
    response = _assign(client, s, s.app_a, world.bob)
    assert response.status_code == 422 and "expert_id" in response.json["errors"]
