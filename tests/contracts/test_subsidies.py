"""奖补 rounds through the API: compute, adjust with audit, 公示 with objections, approve, export; access."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from docx import Document
from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import AuditLog, CooperationFiling, InboxMessage
from tests.conftest import HUAIAN, JINHU

URL = "/api/v1/subsidy-rounds"
ROUND = {
    "year": 2026,
    "name": "2026年度淮安市产学研合作奖补",
    "region": HUAIAN,
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "base_rate": 0.10,
    "category_rates": {"challenge": 0.25},
    "project_cap": 50,
    "enterprise_cap": 60,
}


def approved_filing(world, org, *, category="general", payments=(("2026-03-15", 100),), number="CXY0001"):
    filing = CooperationFiling(
        org_id=org.id,
        region=org.region,
        title=f"{org.name}产学研合作项目",
        partner_name=world.uni.name,
        partner_org_id=world.uni.id,
        amount=300,
        starts_on=datetime(2026, 1, 1).date(),
        ends_on=datetime(2027, 1, 1).date(),
        category=category,
        status="approved",
        filing_number=number,
        payments=[{"paid_on": d, "amount": a} for d, a in payments],
    )
    db.session.add(filing)
    db.session.commit()
    return filing


def clock(app, moment):
    app.config["SUBSIDY_CLOCK"] = lambda: moment


def test_a_round_from_policy_to_the_payment_list(app, client, world):
    a = approved_filing(
        world, world.ent_a, category="challenge", payments=(("2025-12-20", 80), ("2026-04-01", 120))
    )
    b = approved_filing(world, world.ent_b, payments=(("2026-05-01", 90),), number="CXY0002")
    approved_filing(
        world, world.ent_b, payments=(("2025-06-01", 90),), number="CXY0003"
    )  # nothing paid in 2026
    start = datetime(2026, 12, 1, 2, tzinfo=UTC)
    clock(app, start)
    rid = client.post(URL, json=ROUND, headers=world.h_staff_city).json["id"]
    computed = client.post(f"{URL}/{rid}/compute", headers=world.h_staff_city).json
    items = {i["filing_id"]: i for i in computed["items"]}
    assert set(items) == {a.id, b.id}
    assert (items[a.id]["paid_amount"], items[a.id]["rate"], items[a.id]["amount"]) == (120, 0.25, 30)
    assert items[b.id]["amount"] == 9 and items[b.id]["breakdown"] == ["期内实际支付 90 万元 × 10% = 9 万元"]

    adjust = {"amount": 25, "reason": "部分付款凭证与合同约定不符，按核实金额计算"}
    r = client.patch(f"{URL}/{rid}/items/{items[a.id]['id']}", json=adjust, headers=world.h_staff_city)
    assert r.status_code == 200 and r.json["amount"] == 25 and r.json["computed_amount"] == 30
    log = db.session.query(AuditLog).filter_by(action="subsidy_adjust").one()
    assert (
        log.detail["before"] == 30 and log.detail["after"] == 25 and log.detail["reason"] == adjust["reason"]
    )

    r = client.post(f"{URL}/{rid}/publicity", json={}, headers=world.h_staff_city)
    assert r.status_code == 200 and r.json["status"] == "publicity"
    assert any("公示" in m.title for m in db.session.query(InboxMessage).filter_by(user_id=world.alice.id))
    assert client.get(f"{URL}/{rid}", headers=world.h_bob).json["total"] == 34  # public once in 公示
    assert (
        client.patch(
            f"{URL}/{rid}/items/{items[a.id]['id']}", json=adjust, headers=world.h_staff_city
        ).status_code
        == 409
    )
    objection = client.post(
        f"{URL}/{rid}/objections",
        json={"item_id": items[b.id]["id"], "content": "该项目付款凭证疑似重复使用"},
        headers=world.h_alice,
    ).json
    assert client.post(f"{URL}/{rid}/approve", headers=world.h_staff_city).status_code == 409  # window open

    clock(app, start + timedelta(days=10))
    r = client.post(f"{URL}/{rid}/approve", headers=world.h_staff_city)
    assert r.status_code == 409 and "异议" in r.json["message"]
    late = client.post(f"{URL}/{rid}/objections", json={"content": "公示期后提出的异议"}, headers=world.h_bob)
    assert late.status_code == 409
    handled = client.post(
        f"{URL}/{rid}/objections/{objection['id']}/handle",
        json={"decision": "dismissed", "note": "经核查，凭证真实有效"},
        headers=world.h_staff_city,
    )
    assert handled.json["status"] == "dismissed"
    assert (
        client.get(f"{URL}/{rid}/export", headers=world.h_staff_city).status_code == 409
    )  # not approved yet
    assert client.post(f"{URL}/{rid}/approve", headers=world.h_staff_city).json["status"] == "approved"

    sheet = load_workbook(
        io.BytesIO(client.get(f"{URL}/{rid}/export", headers=world.h_staff_city).data)
    ).active
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[9]) for r in body[:-1]] == [(world.ent_a.name, 25), (world.ent_b.name, 9)]
    assert (body[-1][0], body[-1][9]) == ("合计", 34)
    figures = client.get(
        "/api/v1/dashboard/summary?from=2026-01-01&to=2026-12-31", headers=world.h_staff_jinhu
    )
    assert (figures.json["subsidy_projects"], figures.json["subsidy_amount"]) == (1, 25)
    doc = Document(io.BytesIO(client.get(f"{URL}/{rid}/export?format=docx", headers=world.h_staff_city).data))
    assert "核定奖补资金合计 34 万元" in doc.paragraphs[-1].text


def test_a_later_round_respects_the_project_cap_over_rounds(app, client, world):
    approved_filing(
        world, world.ent_a, category="challenge", payments=(("2026-04-01", 180), ("2027-03-01", 100))
    )
    clock(app, datetime(2026, 12, 1, 2, tzinfo=UTC))
    first = client.post(URL, json=ROUND, headers=world.h_staff_city).json["id"]
    assert client.post(f"{URL}/{first}/compute", headers=world.h_staff_city).json["total"] == 45
    client.post(f"{URL}/{first}/publicity", json={}, headers=world.h_staff_city)
    clock(app, datetime(2026, 12, 20, 2, tzinfo=UTC))
    client.post(f"{URL}/{first}/approve", headers=world.h_staff_city)
    later = {
        **ROUND,
        "year": 2027,
        "name": "2027年度奖补",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
    }
    second = client.post(URL, json=later, headers=world.h_staff_city).json["id"]
    items = client.post(f"{URL}/{second}/compute", headers=world.h_staff_city).json["items"]
    assert [(i["computed_amount"], i["amount"]) for i in items] == [(25, 5)]  # 50 cap, 45 granted before


def test_who_may_run_a_round(app, client, world):
    approved_filing(world, world.ent_a)
    county = {**ROUND, "region": JINHU}
    assert client.post(URL, json=county, headers=world.h_staff_xuyi).status_code == 403
    for headers in (world.h_alice, world.h_rita):
        assert client.post(URL, json=county, headers=headers).status_code == 403
    rid = client.post(URL, json=county, headers=world.h_staff_jinhu).json["id"]
    for action in ("compute", "publicity", "approve"):
        assert client.post(f"{URL}/{rid}/{action}", json={}, headers=world.h_staff_xuyi).status_code == 403
    for headers in (world.h_alice, world.h_staff_xuyi):
        assert client.get(f"{URL}/{rid}", headers=headers).status_code == 404  # not public before 公示
    assert client.get(f"{URL}/{rid}", headers=world.h_staff_city).status_code == 200
    assert client.post(f"{URL}/{rid}/compute", headers=world.h_admin).status_code == 200
    assert client.post(URL, json={**county, "base_rate": 0.3}, headers=world.h_staff_jinhu).status_code == 422
