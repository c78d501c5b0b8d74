"""科技副总 access: every role and two counties; nobody reads or changes a placement that is not theirs."""

from __future__ import annotations

import pytest

from tests.bureau.placement_helpers import URL, agree, file_placement, parties, terms


@pytest.fixture
def placed(client, world):
    p = parties(world)
    p.pid = file_placement(client, world, p)["id"]
    return p


def _outsiders(world, p):
    return {
        "enterprise of another firm": world.h_bob,
        "researcher not party": p.h_other_researcher,
        "unit admin of another university": p.h_other_admin,
        "staff of another county": world.h_staff_xuyi,
    }


def test_outsiders_cannot_read_list_or_change_it(client, world, placed):
    pid = placed.pid
    for who, headers in _outsiders(world, placed).items():
        assert client.get(f"{URL}/{pid}", headers=headers).status_code == 404, who
        assert client.get(URL, headers=headers).json["items"] == [], who
        for action, body in (("confirm", {}), ("review", {"decision": "recommend"})):
            assert client.post(f"{URL}/{pid}/{action}", json=body, headers=headers).status_code == 404, who
        assert client.patch(f"{URL}/{pid}", json={"pay": 1}, headers=headers).status_code == 404, who
        r = client.post(f"{URL}/{pid}/province", json={"outcome": "approved"}, headers=headers)
        assert r.status_code == 404, who
    assert client.get(f"{URL}/{pid}").status_code == 401
    assert client.post(f"{URL}/{pid}/confirm", json={}).status_code == 401
    assert client.get(URL).status_code == 401


def test_each_party_reads_it_and_acts_only_for_itself(client, world, placed):
    pid = placed.pid
    readers = {
        "enterprise": world.h_alice,
        "researcher": world.h_rita,
        "unit": placed.h_uni_admin,
        "county staff": world.h_staff_jinhu,
        "city staff": world.h_staff_city,
        "admin": world.h_admin,
    }
    for who, headers in readers.items():
        assert client.get(f"{URL}/{pid}", headers=headers).status_code == 200, who
        assert [i["id"] for i in client.get(URL, headers=headers).json["items"]] == [pid], who
    mine = {who: client.get(f"{URL}/{pid}", headers=h).json["my_parties"] for who, h in readers.items()}
    assert mine["enterprise"] == ["enterprise"] and mine["researcher"] == ["researcher"]
    assert mine["unit"] == ["unit"] and mine["county staff"] == []
    wrong = client.post(f"{URL}/{pid}/confirm", json={"party": "researcher"}, headers=world.h_alice)
    assert wrong.status_code == 403
    assert client.post(f"{URL}/{pid}/confirm", json={}, headers=world.h_staff_jinhu).status_code == 403
    agree(client, world, placed, pid)
    for who in ("enterprise", "researcher", "unit"):
        r = client.post(f"{URL}/{pid}/review", json={"decision": "recommend"}, headers=readers[who])
        assert r.status_code == 403, who


def test_staff_file_only_for_firms_of_their_county(client, world):
    p = parties(world)
    body = {"org_id": world.ent_a.id, "researcher_id": world.rita.id}
    assert client.post(URL, json=terms(**body), headers=world.h_staff_xuyi).status_code == 403
    assert client.post(URL, json=terms(**body), headers=world.h_bob).status_code == 403
    assert client.post(URL, json=terms(researcher_id=world.rita.id), headers=world.h_rita).status_code == 403
    assert client.post(URL, json=terms(**body)).status_code == 401
    theirs = terms(researcher_id=world.rita.id, need_id=p.need.id)
    assert client.post(URL, json=theirs, headers=world.h_bob).status_code == 422  # another firm's need


def test_the_audit_log_of_a_placement_is_read_in_its_county_only(client, world, placed):
    agree(client, world, placed, placed.pid)
    query = f"/api/v1/audit?object_type=placement&object_id={placed.pid}"
    rows = client.get(query, headers=world.h_staff_jinhu).json["items"]
    assert {r["action_label"] for r in rows} == {"创建", "确认（科技副总三方）"} and len(rows) == 4
    assert client.get(query, headers=world.h_staff_xuyi).json["total"] == 0
