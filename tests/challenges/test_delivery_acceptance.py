"""Acceptance (验收) against the core indicators; outcomes close the award and, at last, the challenge."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import Delivery
from tests import factories as f
from tests.challenge_factories import make_application, make_award, review_scene

PANEL = [{"name": "李明", "title": "研究员", "org": "江苏省计量科学研究院"}]


def _results(challenge, drift, yield_rate):
    drift_id, yield_id = (i.id for i in challenge.indicators)  # 温漂 <= 0.05 %FS, 良品率 >= 95 %
    return [{"indicator_id": drift_id, "achieved": drift}, {"indicator_id": yield_id, "achieved": yield_rate}]


def _accept(client, s, award, verdict, results, note=None, headers=None):
    body = {"held_on": "2027-09-10", "panel": PANEL, "results": results, "verdict": verdict}
    if note is not None:
        body["note"] = note
    return client.post(
        f"/api/v1/challenge-awards/{award.id}/acceptance", json=body, headers=headers or s.world.h_staff_jinhu
    )


def test_met_follows_the_comparator_and_accepted_needs_every_indicator(client, world):
    s = review_scene(world)
    award = make_award(s.app_a, world.staff_jinhu)
    response = _accept(client, s, award, "accepted", _results(s.challenge, 0.06, 96))
    assert response.status_code == 422 and "全温区温漂" in response.json["errors"]["verdict"][0]
    response = _accept(client, s, award, "accepted", _results(s.challenge, 0.05, 96))
    assert response.status_code == 201
    assert [r["met"] for r in response.json["results"]] == [True, True]
    detail = client.get(f"/api/v1/challenge-awards/{award.id}", headers=s.h_wang).json
    assert detail["status"] == "accepted" and detail["acceptance"]["verdict"] == "accepted"
    db.session.refresh(s.challenge)
    assert s.challenge.status == "finished"  # its only award is closed
    assert ("challenge.acceptance_recorded", world.alice.id) in {
        (d.cause, d.user_id) for d in db.session.query(Delivery)
    }
    assert _accept(client, s, award, "accepted", _results(s.challenge, 0.05, 96)).status_code == 409


def test_every_indicator_is_required(client, world):
    s = review_scene(world)
    award = make_award(s.app_a, world.staff_jinhu)
    response = _accept(client, s, award, "accepted", _results(s.challenge, 0.04, 97)[:1])
    assert response.status_code == 422 and "批量良品率" in response.json["errors"]["results"][0]


def test_failure_needs_a_tolerance_note_and_race_finishes_when_all_close(client, world):
    s = review_scene(world, mode="race", max_winners=2)
    first, second = make_award(s.app_a, world.staff_jinhu), make_award(s.app_b, world.staff_jinhu)
    failing = _results(s.challenge, 0.08, 90)
    assert _accept(client, s, first, "failed", failing).status_code == 422
    assert _accept(client, s, first, "failed", failing, headers=s.h_wang).status_code == 403
    response = _accept(
        client, s, first, "failed", failing, note="团队履约尽责，因进口芯片断供未达指标，按容错机制免责"
    )
    assert response.status_code == 201 and [r["met"] for r in response.json["results"]] == [False, False]
    db.session.refresh(first)
    db.session.refresh(s.challenge)
    assert first.status == "failed" and first.outcome_note.startswith("团队履约尽责")
    assert s.challenge.status == "awarded"  # the other team still races
    assert _accept(client, s, second, "terminated", failing).status_code == 422
    assert _accept(client, s, second, "terminated", failing, note="团队主动申请终止").status_code == 201
    db.session.refresh(s.challenge)
    assert s.challenge.status == "finished"
    report = f"/api/v1/challenge-awards/{first.id}/reports"
    assert client.post(report, json={"content": "x"}, headers=s.h_wang).status_code == 409  # closed


def test_unrelated_staff_and_teams_cannot_record_acceptance(client, world):
    s = review_scene(world)
    award = make_award(s.app_a, world.staff_jinhu)
    other = make_application(s.challenge, f.make_org("university", "320800", "淮安大学"), world.bob)
    assert other.status == "submitted"
    results = _results(s.challenge, 0.04, 97)
    assert _accept(client, s, award, "accepted", results, headers=world.h_staff_xuyi).status_code == 404
    assert _accept(client, s, award, "accepted", results, headers=world.h_alice).status_code == 403
