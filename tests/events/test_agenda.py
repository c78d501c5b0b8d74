"""Generating the agenda from matches, adjusting it by hand, re-running it, and publishing it."""

from __future__ import annotations

from matchmaker.agenda.board import Meeting, Problem, pair_key, violations
from matchmaker.extensions import db
from matchmaker.models import InboxMessage
from tests import factories as f
from tests.events.conftest import add_match, create_event, set_status


def _generate(client, fair):
    response = client.post(f"/api/v1/events/{fair.eid}/agenda/generate", headers=fair.world.h_staff_jinhu)
    assert response.status_code == 200, response.json
    return response.json


def _by_need_org(agenda):
    return {m["need_org"]["name"]: m for m in agenda["meetings"] if m["status"] == "scheduled"}


def test_generated_agenda_follows_scores_and_unavailable_slots(client, fair):
    agenda = _generate(client, fair)
    meetings = _by_need_org(agenda)
    assert set(meetings) == {"金湖仪表科技有限公司", "盱眙新材料股份有限公司"}
    assert meetings["金湖仪表科技有限公司"]["slot"] == 1  # best pair first
    assert meetings["盱眙新材料股份有限公司"]["slot"] != 1  # bob cannot come in slot 1
    assert meetings["金湖仪表科技有限公司"]["match_id"] == fair.match_a.id
    assert agenda["total_score"] == 1.5 and agenda["without_meetings"] == []


def test_constraints_hold_on_a_crowded_event(client, world):
    w = world
    event = create_event(client, w.h_staff_jinhu, slot_count=3, tables_per_slot=2, max_meetings=2)
    labs = [f.make_org("university", "320102", f"第{i}工业大学") for i in range(2)]
    firms = [f.make_org("enterprise", "320831", f"金湖第{i}机械厂") for i in range(4)]
    outputs = [f.make_output(lab) for lab in labs]
    needs = [f.make_need(firm) for firm in firms]
    for i, need in enumerate(needs):
        for j, output in enumerate(outputs):
            add_match(need, output, 0.5 + 0.1 * i + 0.05 * j)
    regs = {}
    for org, body in [*((o, {"output_ids": [x.id]}) for o, x in zip(labs, outputs, strict=True)),
                      *((o, {"need_ids": [x.id]}) for o, x in zip(firms, needs, strict=True))]:  # fmt: skip
        user = f.make_user(org, ["researcher" if org.kind == "university" else "enterprise"])
        body["unavailable_slots"] = [3] if org is firms[0] else []
        reg = client.post(f"/api/v1/events/{event['id']}/registrations", json=body, headers=f.auth(user)).json
        client.post(
            f"/api/v1/events/{event['id']}/registrations/{reg['id']}/approve", headers=w.h_staff_jinhu
        )
        regs[reg["id"]] = body
    agenda = client.post(f"/api/v1/events/{event['id']}/agenda/generate", headers=w.h_staff_jinhu).json
    sides = [
        (m["need_org"]["registration_id"], m["output_org"]["registration_id"]) for m in agenda["meetings"]
    ]
    placed = [
        Meeting(*pair_key(*pair), m["slot"] - 1, m["table"])
        for pair, m in zip(sides, agenda["meetings"], strict=True)
    ]
    first_firm = next(r for r, body in regs.items() if body["unavailable_slots"])
    problem = Problem(slots=3, tables=2, cap=2, scores={}, unavailable={first_firm: frozenset({2})})
    assert violations(problem, placed) == []
    assert len(placed) == 4  # two universities × cap 2: every seat they have is used


def test_move_checks_conflicts_and_pins(client, fair):
    w = fair.world
    meetings = _by_need_org(_generate(client, fair))
    alice, bob = meetings["金湖仪表科技有限公司"], meetings["盱眙新材料股份有限公司"]
    url = f"/api/v1/events/{fair.eid}/meetings/{bob['id']}"
    away = client.patch(url, json={"slot": 1, "table": 3}, headers=w.h_staff_jinhu)
    assert away.status_code == 409 and "第 1 时段无法参加" in away.json["message"]
    alice_url = f"/api/v1/events/{fair.eid}/meetings/{alice['id']}"
    busy = client.patch(alice_url, json={"slot": bob["slot"], "table": 4}, headers=w.h_staff_jinhu)
    assert busy.status_code == 409 and busy.json["message"] == f"洽谈一方在第 {bob['slot']} 时段已有其他洽谈"
    same = {"slot": bob["slot"], "table": bob["table"]}
    taken = client.patch(alice_url, json=same, headers=w.h_staff_jinhu)
    assert taken.status_code == 409 and "号桌已有洽谈安排" in taken.json["message"]
    assert client.patch(url, json={"slot": 9}, headers=w.h_staff_jinhu).status_code == 422
    assert client.patch(url, json={"slot": 4, "table": 2}, headers=w.h_staff_xuyi).status_code == 403
    moved = client.patch(url, json={"slot": 4, "table": 2}, headers=w.h_staff_jinhu)
    assert moved.status_code == 200 and moved.json["pinned"] is True and moved.json["starts"] == "10:00"


def test_rerun_keeps_pinned_and_leaves_removed_pairs_out(client, fair):
    w = fair.world
    meetings = _by_need_org(_generate(client, fair))
    bob_id, alice_id = meetings["盱眙新材料股份有限公司"]["id"], meetings["金湖仪表科技有限公司"]["id"]
    client.patch(f"/api/v1/events/{fair.eid}/meetings/{bob_id}", json={"slot": 4, "table": 5},
                 headers=w.h_staff_jinhu)  # fmt: skip
    removed = client.delete(f"/api/v1/events/{fair.eid}/meetings/{alice_id}", headers=w.h_staff_jinhu)
    assert removed.json["status"] == "removed"
    again = _generate(client, fair)
    scheduled = _by_need_org(again)
    assert list(scheduled) == ["盱眙新材料股份有限公司"]
    assert (scheduled["盱眙新材料股份有限公司"]["slot"], scheduled["盱眙新材料股份有限公司"]["table"]) == (
        4,
        5,
    )
    assert [m["id"] for m in again["meetings"] if m["status"] == "removed"] == [alice_id]
    assert [x["name"] for x in again["without_meetings"]] == ["金湖仪表科技有限公司"]


def test_schedules_are_private_until_published_then_notified(client, fair):
    w = fair.world
    _generate(client, fair)
    url = f"/api/v1/events/{fair.eid}/schedule"
    before = client.get(url, headers=w.h_alice).json
    assert before["published"] is False and before["meetings"] == []
    assert client.post(f"/api/v1/events/{fair.eid}/agenda/publish", headers=w.h_alice).status_code == 403
    assert (
        client.post(f"/api/v1/events/{fair.eid}/agenda/publish", headers=w.h_staff_jinhu).status_code == 200
    )
    mine = client.get(url, headers=w.h_alice).json["meetings"]
    assert [(m["counterpart"], m["my_role"]) for m in mine] == [("东南理工大学", "need")]
    assert not any("contact" in key for key in mine[0])
    rita = client.get(url, headers=w.h_rita).json["meetings"]
    assert {m["counterpart"] for m in rita} == {"金湖仪表科技有限公司", "盱眙新材料股份有限公司"}
    xlsx = client.get(f"{url}?format=xlsx", headers=w.h_rita)
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    notes = (
        db.session.query(InboxMessage).filter_by(user_id=w.alice.id, cause="event.schedule_published").all()
    )
    assert len(notes) == 1 and "1 场" in notes[0].body


def test_agenda_is_frozen_once_the_event_starts(client, fair):
    set_status(fair.eid, "ongoing")
    response = client.post(f"/api/v1/events/{fair.eid}/agenda/generate", headers=fair.world.h_staff_jinhu)
    assert response.status_code == 409 and response.json["message"] == "只能在活动开始前生成日程"
