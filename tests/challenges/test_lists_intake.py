"""The intake check: what a 榜单 still lacks, blocking submission or merely advised."""

from __future__ import annotations

from tests import factories as f
from tests.challenges.helpers_lists import draft


def test_a_bare_draft_lists_every_blocking_gap_for_those_who_may_read_it(client, world):
    bare = {"problem": "", "indicators": [], "time_limit_months": None, "ip_ownership": None}
    cid = draft(client, world.h_alice, **bare, bounty_enterprise=None, bounty_subsidy=None, payment_terms="")[
        "id"
    ]
    report = client.get(f"/api/v1/challenges/{cid}/intake", headers=world.h_alice).json
    assert report["ready"] is False
    blocking = {gap["field"]: gap["message"] for gap in report["blocking"]}
    assert set(blocking) == {
        "problem",
        "indicators",
        "time_limit_months",
        "ip_ownership",
        "bounty_enterprise",
    }
    assert "量化的核心指标" in blocking["indicators"] and "攻关期限" in blocking["time_limit_months"]
    assert "payment_terms" in {gap["field"] for gap in report["advisory"]}
    cid = draft(client, world.h_alice)["id"]
    assert client.get(f"/api/v1/challenges/{cid}/intake", headers=world.h_staff_jinhu).status_code == 200
    assert client.get(f"/api/v1/challenges/{cid}/intake", headers=world.h_bob).status_code == 404
    assert client.get(f"/api/v1/challenges/{cid}/intake", headers=world.h_staff_xuyi).status_code == 404
    assert client.get(f"/api/v1/challenges/{cid}/intake").status_code == 401


def test_submit_is_refused_with_per_field_messages(client, world):
    cid = draft(client, world.h_alice, indicators=[], ip_ownership=None)["id"]
    response = client.post(f"/api/v1/challenges/{cid}/submit", headers=world.h_alice)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"indicators", "ip_ownership"}
    assert "知识产权" in response.json["errors"]["ip_ownership"][0]
    fixed = [{"name": "温漂", "comparator": "<=", "target": 0.05, "unit": "%FS"}]
    client.patch(
        f"/api/v1/challenges/{cid}",
        json={"indicators": fixed, "ip_ownership": "poster"},
        headers=f.if_match(client, f"/api/v1/challenges/{cid}", world.h_alice),
    )
    assert (
        client.post(f"/api/v1/challenges/{cid}/submit", headers=world.h_alice).json["status"] == "submitted"
    )


def test_a_complete_list_is_ready_with_advice_only_a_short_problem_blocks(client, world):
    cid = draft(client, world.h_alice, bounty_subsidy=None, ip_ownership="negotiated")["id"]
    report = client.get(f"/api/v1/challenges/{cid}/intake", headers=world.h_alice).json
    assert report["ready"] is True and report["blocking"] == []
    assert {"bounty_subsidy", "ip_note"} <= {gap["field"] for gap in report["advisory"]}
    cid = draft(client, world.h_alice, problem="提高精度")["id"]
    report = client.get(f"/api/v1/challenges/{cid}/intake", headers=world.h_alice).json
    assert [gap["field"] for gap in report["blocking"]] == ["problem"]
