"""创新券: batch, provider, application, issue within the budget, claim, payout, expiry, and access."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaker.auth.actor import SYSTEM
from matchmaker.extensions import db
from matchmaker.models import VoucherBatch
from matchmaker.services.contracts.vouchers import expire_vouchers
from tests import factories as f
from tests.conftest import HUAIAN, JINHU, XUYI

B = "/api/v1"


def batch(client, world, budget=50, **kw):
    body = {
        "year": 2026,
        "name": "2026年度淮安市科技创新券",
        "region": HUAIAN,
        "budget": budget,
        "max_amount": 20,
        "qualifications": ["tech_sme"],
        "valid_until": (date.today() + timedelta(days=180)).isoformat(),
    }
    r = client.post(f"{B}/voucher-batches", json={**body, **kw}, headers=world.h_staff_city)
    assert r.status_code == 201, r.json
    return r.json["id"]


def sme(world):
    """Both enterprises are 科技型中小企业."""
    for org in (world.ent_a, world.ent_b):
        org.qualifications = [{"code": "tech_sme", "year": 2025}]
    db.session.commit()


def applied(client, world, batch_id, headers, amount=20):
    r = client.post(
        f"{B}/voucher-batches/{batch_id}/applications",
        json={"amount": amount, "purpose": "委托检测材料性能"},
        headers=headers,
    )
    assert r.status_code == 201, r.json
    return r.json["id"]


def provider(client, world):
    pid = client.post(
        f"{B}/voucher-providers", json={"services": "材料检测、研发设计"}, headers=world.h_rita
    ).json["id"]
    staff_nanjing = f.make_user(world.bureau, ["staff"], region_scope="320100")
    r = client.post(
        f"{B}/voucher-providers/{pid}/decision", json={"approve": True}, headers=f.auth(staff_nanjing)
    )
    assert r.status_code == 200 and r.json["status"] == "approved"
    return pid


def test_issue_claim_and_payout_with_the_budget_following(client, world):
    sme(world)
    bid = batch(client, world)
    vid = applied(client, world, bid, world.h_alice)
    assert (
        client.post(f"{B}/vouchers/{vid}/issue", json={"amount": 15}, headers=world.h_staff_xuyi).status_code
        == 404
    )
    r = client.post(f"{B}/vouchers/{vid}/issue", json={"amount": 15}, headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["status"] == "issued" and r.json["code"].startswith("CXQ2026")
    assert client.get(f"{B}/voucher-batches/{bid}").json["remaining"] == 35

    pid = provider(client, world)
    claim = {"provider_id": pid, "contract_number": "JC-2026-088", "invoice_number": "No.04561234",
             "report": "完成复合材料拉伸与疲劳性能检测，出具检测报告。", "amount": 12}  # fmt: skip
    assert client.post(f"{B}/vouchers/{vid}/claim", json=claim, headers=world.h_bob).status_code == 404
    r = client.post(f"{B}/vouchers/{vid}/claim", json=claim, headers=world.h_alice)
    assert r.status_code == 200 and r.json["status"] == "claimed"
    assert client.get(f"{B}/vouchers/{vid}", headers=world.h_rita).status_code == 200  # the chosen provider
    r = client.post(f"{B}/vouchers/{vid}/payout", json={"amount": 12}, headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["status"] == "redeemed"
    after = client.get(f"{B}/voucher-batches/{bid}").json
    assert (after["committed"], after["paid_out"], after["remaining"]) == (12, 12, 38)
    summary = client.get(f"{B}/dashboard/summary", headers=world.h_staff_city).json
    assert (
        summary["vouchers_issued"],
        summary["voucher_amount_issued"],
        summary["voucher_amount_redeemed"],
    ) == (
        1,
        15,
        12,
    )


def test_the_budget_refuses_what_it_cannot_hold(client, world):
    sme(world)
    bid = batch(client, world, budget=30)
    first, second = applied(client, world, bid, world.h_alice), applied(client, world, bid, world.h_bob)
    assert (
        client.post(
            f"{B}/vouchers/{first}/issue", json={"amount": 20}, headers=world.h_staff_city
        ).status_code
        == 200
    )
    r = client.post(f"{B}/vouchers/{second}/issue", json={"amount": 20}, headers=world.h_staff_city)
    assert r.status_code == 409 and "预算余额不足" in r.json["message"]
    assert client.get(f"{B}/vouchers/{second}", headers=world.h_bob).json["status"] == "applied"
    assert (
        client.post(
            f"{B}/vouchers/{second}/issue", json={"amount": 10}, headers=world.h_staff_city
        ).status_code
        == 200
    )
    again = client.post(f"{B}/vouchers/{second}/issue", json={"amount": 10}, headers=world.h_staff_city)
    assert again.status_code == 409
    assert float(db.session.get(VoucherBatch, bid).committed) == 30


def test_eligibility_and_one_application_per_batch(client, world):
    bid = batch(client, world)
    r = client.post(
        f"{B}/voucher-batches/{bid}/applications",
        json={"amount": 5, "purpose": "检测"},
        headers=world.h_alice,
    )
    assert r.status_code == 403 and "科技型中小企业" in r.json["message"]
    sme(world)
    applied(client, world, bid, world.h_alice, amount=5)
    r = client.post(
        f"{B}/voucher-batches/{bid}/applications",
        json={"amount": 5, "purpose": "再次"},
        headers=world.h_alice,
    )
    assert r.status_code == 409
    r = client.post(
        f"{B}/voucher-batches/{bid}/applications", json={"amount": 5, "purpose": "检测"}, headers=world.h_rita
    )
    assert r.status_code == 403
    over = client.post(
        f"{B}/voucher-batches/{bid}/applications", json={"amount": 25, "purpose": "检测"}, headers=world.h_bob
    )
    assert over.status_code == 422


def test_expiry_gives_the_amount_back(client, world):
    sme(world)
    bid = batch(client, world)
    vid = applied(client, world, bid, world.h_alice)
    client.post(f"{B}/vouchers/{vid}/issue", json={"amount": 20}, headers=world.h_staff_jinhu)
    assert expire_vouchers(actor=SYSTEM, today=date.today() + timedelta(days=181)) == 1
    assert client.get(f"{B}/vouchers/{vid}", headers=world.h_alice).json["status"] == "expired"
    assert client.get(f"{B}/voucher-batches/{bid}").json["remaining"] == 50


def test_who_sees_and_decides_vouchers(client, world):
    sme(world)
    bid = batch(client, world)
    a, b = applied(client, world, bid, world.h_alice), applied(client, world, bid, world.h_bob)
    mine = lambda h: {v["id"] for v in client.get(f"{B}/vouchers", headers=h).json["items"]}  # noqa: E731
    assert mine(world.h_alice) == {a} and mine(world.h_bob) == {b} and mine(world.h_rita) == set()
    assert mine(world.h_staff_jinhu) == {a} and mine(world.h_staff_xuyi) == {b}
    assert mine(world.h_staff_city) == {a, b} and mine(world.h_admin) == {a, b}
    assert client.get(f"{B}/vouchers/{a}", headers=world.h_staff_xuyi).status_code == 404
    for headers in (world.h_alice, world.h_rita):
        assert client.post(f"{B}/vouchers/{a}/issue", json={"amount": 5}, headers=headers).status_code in (
            403,
            404,
        )
    r = client.post(
        f"{B}/vouchers/{b}/reject", json={"reason": "检测项目不属于支持范围"}, headers=world.h_staff_xuyi
    )
    assert r.status_code == 200 and r.json["reject_reason"] == "检测项目不属于支持范围"
    bad = {
        "year": 2026,
        "name": "金湖券",
        "region": XUYI,
        "budget": 10,
        "max_amount": 5,
        "valid_until": "2026-12-31",
    }
    assert client.post(f"{B}/voucher-batches", json=bad, headers=world.h_staff_jinhu).status_code == 403
    assert (
        client.post(f"{B}/voucher-batches", json={**bad, "region": JINHU}, headers=world.h_alice).status_code
        == 403
    )
    assert (
        client.post(f"{B}/voucher-providers", json={"services": "x"}, headers=world.h_staff_city).status_code
        == 403
    )
