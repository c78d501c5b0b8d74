"""Matching end to end: publish triggers ranking, explanations, mutual interest reveals contacts, contract."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import AuditLog, Match, MatchRun, PendingPush
from tests import factories as f

_publish_need = f.publish_sensor_need


def _outputs(world, client):
    return f.make_matching_outputs(world)


def test_publish_ranks_outputs_with_explanations(client, world):
    good, _ = _outputs(world, client)
    need_id = _publish_need(client, world)
    run = db.session.query(MatchRun).one()
    assert run.finished_at is not None and run.result["created"] >= 1
    r = client.get(f"/api/v1/needs/{need_id}/matches", headers=world.h_alice)
    assert r.status_code == 200
    items = r.json["items"]
    assert items[0]["output"]["id"] == good.id
    assert "传感器" in items[0]["explanation"]
    assert set(items[0]["breakdown"]) >= {"text", "keywords", "field", "region"}
    assert db.session.query(PendingPush).filter_by(cause="match.new").count() >= 1
    # an outsider cannot see the need's matches
    assert client.get(f"/api/v1/needs/{need_id}/matches", headers=world.h_bob).status_code == 403
    assert client.get(f"/api/v1/matches/{items[0]['id']}", headers=world.h_bob).status_code == 404


def test_mutual_interest_reveals_contacts_then_contract(client, world):
    good, _ = _outputs(world, client)
    need_id = _publish_need(client, world)
    match = db.session.query(Match).filter_by(need_id=need_id, output_id=good.id).one()
    url = f"/api/v1/matches/{match.id}"
    assert client.get(f"{url}/contacts", headers=world.h_alice).status_code == 403
    assert client.post(f"{url}/interest", headers=world.h_alice).json["status"] == "proposed"
    assert client.get(f"{url}/contacts", headers=world.h_rita).status_code == 403
    r = client.post(f"{url}/interest", headers=world.h_rita)
    assert r.json["status"] == "connected"
    r = client.get(f"{url}/contacts", headers=world.h_alice)
    assert r.status_code == 200 and r.json["contact_phone"] == good.contact_phone
    assert client.get(f"{url}/contacts", headers=world.h_bob).status_code == 404
    assert db.session.query(AuditLog).filter_by(action="contact_reveal").count() == 1
    assert (
        client.post(
            f"{url}/contract", json={"number": "2026320800000123", "amount": 80}, headers=world.h_alice
        ).status_code
        == 409
    )
    assert client.post(f"{url}/negotiate", headers=world.h_rita).json["status"] == "negotiating"
    r = client.post(f"{url}/agreement", json={"signed_on": "2026-11-20", "amount": 80}, headers=world.h_alice)
    assert r.json["status"] == "agreement_signed" and r.json["agreement_amount"] == 80
    r = client.post(
        f"{url}/contract", json={"number": "2026320800000123", "amount": 80}, headers=world.h_staff_jinhu
    )
    assert r.status_code == 200 and r.json["status"] == "contract_registered"
    assert r.json["contract_at"] and r.json["connected_at"] and r.json["agreement_at"]


def test_decline_needs_reason_and_ends_match(client, world):
    good, _ = _outputs(world, client)
    need_id = _publish_need(client, world)
    match = db.session.query(Match).filter_by(need_id=need_id, output_id=good.id).one()
    url = f"/api/v1/matches/{match.id}"
    assert client.post(f"{url}/decline", json={"reason": "nonsense"}, headers=world.h_rita).status_code == 422
    r = client.post(
        f"{url}/decline", json={"reason": "maturity", "note": "需求方要求产业化"}, headers=world.h_rita
    )
    assert r.json["status"] == "declined" and r.json["decline_side"] == "output"
    assert client.post(f"{url}/interest", headers=world.h_alice).status_code == 409


def test_experts_behind_the_best_outputs_are_recommended_without_contacts(client, world):
    _outputs(world, client)
    need_id = _publish_need(client, world)
    r = client.get(f"/api/v1/needs/{need_id}/experts", headers=world.h_alice)
    assert r.status_code == 200
    best = r.json["items"][0]
    assert best["user_id"] == world.rita.id and best["is_expert"] is True
    assert best["outputs"] and "phone" not in str(best) and world.rita.email not in str(r.json)
    assert client.get(f"/api/v1/needs/{need_id}/experts", headers=world.h_bob).status_code == 403


def test_a_match_run_is_ranked_once_even_when_two_jobs_pick_it(client, world):
    from datetime import timedelta

    from matchmaker.models.common import utcnow
    from matchmaker.services.matches.ranking import run_match

    _outputs(world, client)
    need_id = _publish_need(client, world)
    run = MatchRun(kind="need", object_id=need_id, reason="on_demand", started_at=utcnow())
    db.session.add(run)
    db.session.commit()
    assert run_match(run.id)["skipped"]  # another job holds it: not ranked twice
    run.started_at = utcnow() - timedelta(hours=1)  # that job died long ago
    db.session.commit()
    assert run_match(run.id)["created"] == 0  # claimed again; the matches already exist
    assert run_match(run.id)["skipped"]  # and once finished it is never redone
