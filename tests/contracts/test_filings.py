"""产学研合作项目备案: draft, attachments (type, size, readers), submit, checklist, approve or return."""

from __future__ import annotations

import io

from matchmaker.extensions import db
from matchmaker.models import InboxMessage
from tests import factories as f
from tests.conftest import JINHU

URL = "/api/v1/cooperation-filings"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
CHECKED = {"partner_verified": True, "contract_registered": True, "amounts_consistent": True}


def filing(client, world, **kw):
    body = {
        "title": "高精度流量计信号处理联合研发",
        "content": "联合开发涡街流量计数字信号处理算法。",
        "partner_org_id": world.uni.id,
        "contract_number": "2026320831000001",
        "amount": 100,
        "starts_on": "2026-01-01",
        "ends_on": "2027-06-30",
        "payments": [{"paid_on": "2026-03-15", "amount": 40}],
    }
    r = client.post(URL, json={**body, **kw}, headers=world.h_alice)
    assert r.status_code == 201, r.json
    return r.json["id"]


def attach(client, headers, fid, content=PDF, kind="contract", name="合同扫描件.pdf"):
    return client.post(
        f"{URL}/{fid}/attachments?kind={kind}",
        headers=headers,
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_file_attach_submit_return_and_approve(client, world):
    fid = filing(client, world)
    assert client.post(f"{URL}/{fid}/submit", headers=world.h_alice).status_code == 422  # no contract scan
    r = attach(client, world.h_alice, fid)
    assert r.status_code == 201 and r.json["content_type"] == "application/pdf"
    aid = r.json["id"]
    assert client.post(f"{URL}/{fid}/submit", headers=world.h_alice).json["status"] == "submitted"
    assert client.patch(f"{URL}/{fid}", json={"amount": 120}, headers=world.h_alice).status_code == 409

    unchecked = {**CHECKED, "contract_registered": False}
    r = client.post(
        f"{URL}/{fid}/check",
        json={"checklist": unchecked, "decision": "approve"},
        headers=world.h_staff_jinhu,
    )
    assert r.status_code == 422 and "合同已在技术合同登记台账中登记" in str(r.json["errors"])
    body = {"checklist": unchecked, "decision": "return", "reasons": ["请先完成技术合同登记"]}
    r = client.post(f"{URL}/{fid}/check", json=body, headers=world.h_staff_jinhu)
    assert r.json["status"] == "returned" and "请先完成技术合同登记" in r.json["return_reasons"]
    inbox = db.session.query(InboxMessage).filter_by(user_id=world.alice.id).all()
    assert any("退回" in m.title for m in inbox)

    assert client.patch(f"{URL}/{fid}", json={"amount": 120}, headers=world.h_alice).json["amount"] == 120
    client.post(f"{URL}/{fid}/submit", headers=world.h_alice)
    r = client.post(
        f"{URL}/{fid}/check", json={"checklist": CHECKED, "decision": "approve"}, headers=world.h_staff_jinhu
    )
    assert r.status_code == 200 and r.json["filing_number"].startswith(f"CXY{JINHU}")
    got = client.get(f"{URL}/{fid}/attachments/{aid}", headers=world.h_staff_jinhu)
    assert got.status_code == 200 and got.data == PDF


def test_attachments_are_pdf_or_images_under_the_cap(client, world, monkeypatch):
    fid = filing(client, world)
    assert (
        attach(client, world.h_alice, fid, content=b"MZ\x90\x00 not a pdf", name="x.pdf").status_code == 422
    )
    # a smaller cap over HTTP: werkzeug's test client leaks its spool file for bodies over 500 KB
    monkeypatch.setattr("matchmaker.services.contracts.attachments.MAX_BYTES", 100_000)
    monkeypatch.setattr("matchmaker.api.contracts.filings.MAX_BYTES", 100_000)
    big = b"%PDF-" + b"0" * 100_000
    assert attach(client, world.h_alice, fid, content=big).status_code == 422
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert attach(client, world.h_alice, fid, content=png, kind="invoice", name="发票.png").status_code == 201


def test_who_sees_files_and_decides(client, world):
    fid = filing(client, world)
    aid = attach(client, world.h_alice, fid).json["id"]
    client.post(f"{URL}/{fid}/submit", headers=world.h_alice)
    for headers in (world.h_bob, world.h_rita, world.h_staff_xuyi):
        assert client.get(f"{URL}/{fid}", headers=headers).status_code == 404
        assert client.get(f"{URL}/{fid}/attachments/{aid}", headers=headers).status_code == 404
    for headers in (world.h_alice, world.h_staff_jinhu, world.h_staff_city, world.h_admin):
        assert client.get(f"{URL}/{fid}/attachments/{aid}", headers=headers).status_code == 200
    assert client.get(f"{URL}/{fid}/attachments/{aid}").status_code == 401
    assert (
        client.post(
            f"{URL}/{fid}/check", json={"checklist": CHECKED, "decision": "approve"}, headers=world.h_alice
        ).status_code
        == 403
    )
    assert {x["id"] for x in client.get(URL, headers=world.h_staff_xuyi).json["items"]} == set()
    assert {x["id"] for x in client.get(URL, headers=world.h_staff_city).json["items"]} == {fid}
    r = client.post(
        URL,
        json={
            "title": "盱眙合作",
            "amount": 5,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "partner_name": "某大学",
        },
        headers=world.h_rita,
    )
    assert r.status_code == 403


def test_a_filing_starts_from_a_connected_match(client, world):
    from matchmaker.models import Match
    from matchmaker.models.common import utcnow

    need, output = f.make_need(world.ent_a, world.alice), f.make_output(world.uni)
    match = Match(
        need_id=need.id,
        output_id=output.id,
        need_org_id=need.org_id,
        output_org_id=output.org_id,
        region=need.region,
        score=0.9,
        status="agreement_signed",
        connected_at=utcnow(),
        agreement_amount=60,
    )
    db.session.add(match)
    db.session.commit()
    r = client.post(
        URL,
        json={"match_id": match.id, "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
        headers=world.h_alice,
    )
    assert r.status_code == 201, r.json
    assert (r.json["partner_name"], r.json["amount"], r.json["title"]) == (world.uni.name, 60, need.title)
    r = client.post(
        URL,
        json={"match_id": match.id, "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
        headers=world.h_bob,
    )
    assert r.status_code == 422
