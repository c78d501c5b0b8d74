"""The contract register: manual entry, the match source, 吸纳/输出 on the dashboard, and who sees what."""

from __future__ import annotations

from datetime import date

from matchmaker.extensions import db
from matchmaker.models import Match
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.conftest import JINHU, NANJING_XUANWU, XUYI

URL = "/api/v1/tech-contracts"


def contract(world, number="2026320800000101", **kw):
    """A 金湖 enterprise buys from a 盱眙 one: 吸纳 for 金湖, 输出 for 盱眙."""
    body = {
        "number": number,
        "name": "智能流量计算法开发",
        "contract_type": "development",
        "fields": ["instrument"],
        "buyer_org_id": world.ent_a.id,
        "seller_org_id": world.ent_b.id,
        "amount": 120,
        "trade_amount": 100,
        "registered_on": date.today().isoformat(),
        "office": "淮安市技术市场",
    }
    return {**body, **kw}


def test_staff_enter_a_contract_and_both_counties_count_it_their_way(client, world):
    r = client.post(URL, json=contract(world), headers=world.h_staff_jinhu)
    assert r.status_code == 201, r.json
    assert r.json["buyer_region"] == JINHU and r.json["seller_region"] == XUYI
    assert r.json["source"] == "manual" and r.json["via_platform"] is False

    jinhu = client.get("/api/v1/dashboard/summary", headers=world.h_staff_jinhu).json
    xuyi = client.get("/api/v1/dashboard/summary", headers=world.h_staff_xuyi).json
    assert (jinhu["contracts"], jinhu["contract_amount"], jinhu["contract_amount_exported"]) == (1, 120, 0)
    assert (xuyi["contracts"], xuyi["contracts_exported"], xuyi["contract_amount_exported"]) == (0, 1, 120)
    city = client.get("/api/v1/dashboard/breakdown?by=type", headers=world.h_staff_city).json
    rows = {row["key"]: row for row in city["rows"]}
    assert rows["development"]["contract_amount"] == 120 and rows["service"]["contracts"] == 0
    months = client.get(
        "/api/v1/dashboard/timeseries?metric=contract_amount_exported", headers=world.h_staff_xuyi
    ).json["points"]
    assert months[-1]["value"] == 120 and sum(p["value"] for p in months) == 120


def test_an_outside_seller_is_named_with_its_region(client, world):
    body = contract(world, seller_org_id=None, seller_name="南京某研究院", seller_region=NANJING_XUANWU)
    body.pop("seller_org_id")
    r = client.post(URL, json=body, headers=world.h_staff_jinhu)
    assert r.status_code == 201 and r.json["seller_name"] == "南京某研究院"
    body = contract(world, number="2026320800000102")
    body.pop("seller_org_id")
    r = client.post(URL, json=body, headers=world.h_staff_jinhu)
    assert r.status_code == 422 and "seller_name" in r.json["errors"]


def test_the_same_number_is_registered_once(client, world):
    assert client.post(URL, json=contract(world), headers=world.h_staff_jinhu).status_code == 201
    again = client.post(URL, json=contract(world, amount=999), headers=world.h_staff_jinhu)
    assert again.status_code == 409 and again.json["code"] == "conflict"
    listed = client.get(URL, headers=world.h_staff_city).json
    assert listed["total"] == 1 and listed["items"][0]["amount"] == 120


def test_who_may_enter_and_see_a_contract(client, world):
    third = f.make_org("enterprise", "320804", "淮阴区某企业")
    far = contract(world, buyer_org_id=third.id, seller_org_id=third.id, number="2026320800000199")
    for headers in (world.h_alice, world.h_rita):
        assert client.post(URL, json=contract(world), headers=headers).status_code == 403
    assert client.post(URL, json=far, headers=world.h_staff_jinhu).status_code == 403
    assert client.post(URL, json=far, headers=world.h_staff_city).status_code == 201
    cid = client.post(URL, json=contract(world), headers=world.h_staff_xuyi).json["id"]

    for headers in (world.h_alice, world.h_bob, world.h_staff_jinhu, world.h_staff_xuyi, world.h_admin):
        assert client.get(f"{URL}/{cid}", headers=headers).status_code == 200
    assert client.get(f"{URL}/{cid}", headers=world.h_rita).status_code == 404
    assert client.get(URL, headers=world.h_rita).json["total"] == 0
    assert client.get(URL, headers=world.h_staff_jinhu).json["total"] == 1  # the far one is not 金湖's
    assert client.get(URL, headers=world.h_staff_city).json["total"] == 2
    absorbed = client.get(URL, query_string={"region": XUYI, "side": "absorbed"}, headers=world.h_staff_city)
    exported = client.get(URL, query_string={"region": XUYI, "side": "exported"}, headers=world.h_staff_city)
    assert absorbed.json["total"] == 0 and exported.json["total"] == 1
    assert client.get(f"{URL}/{cid}").status_code == 401


def test_a_match_contract_step_writes_the_register_and_counts_as_platform(client, world):
    need = f.make_need(world.ent_a, world.alice)
    output = f.make_output(world.uni)
    match = Match(
        need_id=need.id, output_id=output.id, need_org_id=need.org_id, output_org_id=output.org_id,
        region=need.region, score=0.9, status="agreement_signed", agreement_at=utcnow(),
    )  # fmt: skip
    db.session.add(match)
    db.session.commit()
    body = {"number": "2026320800000300", "amount": 80, "registered_on": date.today().isoformat()}
    r = client.post(f"/api/v1/matches/{match.id}/contract", json=body, headers=world.h_alice)
    assert r.status_code == 200, r.json
    listed = client.get(URL, headers=world.h_staff_jinhu).json["items"]
    assert [(c["number"], c["source"], c["seller_region"]) for c in listed] == [
        ("2026320800000300", "match", NANJING_XUANWU)
    ]
    summary = client.get("/api/v1/dashboard/summary", headers=world.h_staff_jinhu).json
    assert summary["contract_amount_platform"] == 80 and summary["contract_platform_share"] == 1.0
