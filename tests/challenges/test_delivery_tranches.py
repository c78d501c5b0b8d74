"""Staged payments: the tranches add up, 60% at signing unless explained, paid only once earned."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import AuditLog
from tests.challenge_factories import make_award, review_scene

PLAN = [
    {"amount": 240, "condition": "signing"},
    {"amount": 60, "condition": "milestone", "milestone_position": 0},
    {"amount": 40, "condition": "midterm"},
    {"amount": 60, "condition": "acceptance"},
]


def _scene(world):
    s = review_scene(world)
    s.award = make_award(s.app_a, world.staff_jinhu, amount=400)
    s.url = f"/api/v1/challenge-awards/{s.award.id}"
    return s


def _plan(client, s, tranches, **extra):
    return client.put(
        f"{s.url}/tranches", json={"tranches": tranches, **extra}, headers=s.world.h_staff_jinhu
    )


def test_tranches_add_up_and_less_than_sixty_percent_at_signing_needs_a_reason(client, world):
    s = _scene(world)
    response = _plan(client, s, PLAN[:3])
    assert response.status_code == 422 and "应等于项目经费" in response.json["errors"]["tranches"][0]
    bad = [{"amount": 400, "condition": "milestone", "milestone_position": 5}]
    response = _plan(client, s, bad, reason="全部按节点拨付")
    assert response.status_code == 422 and "tranches.0.milestone_position" in response.json["errors"]
    low = [{"amount": 200, "condition": "signing"}, {"amount": 200, "condition": "acceptance"}]
    response = _plan(client, s, low)
    assert response.status_code == 422 and "60%" in response.json["errors"]["tranches"][0]
    response = _plan(client, s, low, reason="企业配套资金分两年到位，经局务会研究同意")
    assert response.status_code == 200
    row = db.session.query(AuditLog).filter_by(action="challenge_tranches_set").one()
    assert row.detail["below_signing_minimum_reason"].startswith("企业配套资金")


def test_tranches_are_paid_only_when_their_condition_is_met(client, world):
    s = _scene(world)
    body = _plan(client, s, PLAN).json
    ids = {t["condition"]: t["id"] for t in body["tranches"]}
    pay = lambda c, h=world.h_staff_jinhu: client.post(f"{s.url}/tranches/{ids[c]}/pay", json={}, headers=h)  # noqa: E731
    assert pay("signing", s.h_wang).status_code == 403
    assert pay("signing").status_code == 200
    assert pay("signing").status_code == 409  # paid already
    assert _plan(client, s, PLAN).status_code == 409  # the plan is fixed once money moved
    response = pay("milestone")
    assert response.status_code == 409 and "节点验收通过后" in response.json["message"]
    m0 = s.award.milestones[0].id
    client.post(f"{s.url}/milestones/{m0}/submit", json={"content": "样机"}, headers=s.h_wang)
    client.post(
        f"{s.url}/milestones/{m0}/decision", json={"decision": "accepted"}, headers=world.h_staff_jinhu
    )
    assert pay("milestone").status_code == 200
    assert pay("midterm").status_code == 409
    client.post(f"{s.url}/midterm", json={"verdict": "pass"}, headers=world.h_staff_jinhu)
    assert pay("midterm").status_code == 200
    assert pay("acceptance").status_code == 409
    statuses = [t["status"] for t in client.get(s.url, headers=s.h_wang).json["tranches"]]
    assert statuses == ["paid", "paid", "paid", "planned"]
