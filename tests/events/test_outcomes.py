"""On the day: check-in, meeting outcomes feeding the matches, and the event report (JSON and Excel)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import Match
from tests.events.conftest import set_status


def _meetings(client, fair):
    agenda = client.post(f"/api/v1/events/{fair.eid}/agenda/generate", headers=fair.world.h_staff_jinhu).json
    names = {fair.regs["alice"]: "金湖", fair.regs["bob"]: "盱眙"}
    return {names[m["need_org"]["registration_id"]]: m["id"] for m in agenda["meetings"]}


def _outcome(client, fair, meeting_id, headers, **body):
    return client.post(f"/api/v1/events/{fair.eid}/meetings/{meeting_id}/outcome", json=body, headers=headers)


def test_check_in_by_code_or_at_the_desk(client, fair):
    w, base = fair.world, f"/api/v1/events/{fair.eid}"
    code = client.get(f"{base}/registration", headers=w.h_alice).json["checkin_code"]
    early = client.post(f"{base}/checkin", json={"code": code}, headers=w.h_alice)
    assert early.status_code == 409 and early.json["message"] == "活动尚未开始签到或已结束"
    set_status(fair.eid, "ongoing")
    assert client.post(f"{base}/checkin", json={"code": code}, headers=w.h_bob).status_code == 404
    assert client.post(f"{base}/checkin", json={"code": code}, headers=w.h_staff_xuyi).status_code == 404
    done = client.post(f"{base}/checkin", json={"code": code}, headers=w.h_alice)
    assert done.status_code == 200 and done.json["checked_in_at"]
    desk = f"{base}/registrations/{fair.regs['bob']}/checkin"
    assert client.post(desk, headers=w.h_staff_xuyi).status_code == 403
    assert client.post(desk, headers=w.h_staff_jinhu).json["checked_in_at"]


def test_outcomes_advance_the_match_once(client, fair):
    w = fair.world
    ids = _meetings(client, fair)
    assert _outcome(client, fair, ids["金湖"], w.h_alice, outcome="held").status_code == 409
    set_status(fair.eid, "ongoing")
    assert _outcome(client, fair, ids["金湖"], w.h_bob, outcome="held").status_code == 404
    assert _outcome(client, fair, ids["金湖"], w.h_alice, outcome="intent").status_code == 200
    match_a = db.session.get(Match, fair.match_a.id)
    assert match_a.status == "connected" and match_a.connected_at is not None
    missing = _outcome(client, fair, ids["盱眙"], w.h_rita, outcome="agreement")
    assert missing.status_code == 422 and "amount" in missing.json["errors"]
    signed = _outcome(
        client, fair, ids["盱眙"], w.h_rita, outcome="agreement", amount=120, signed_on="2026-03-01"
    )
    assert signed.status_code == 200 and signed.json["amount"] == 120
    again = _outcome(client, fair, ids["盱眙"], w.h_staff_jinhu, outcome="agreement", amount=120)
    assert again.status_code == 200
    match_b = db.session.get(Match, fair.match_b.id)
    assert match_b.status == "agreement_signed" and float(match_b.agreement_amount) == 120
    downgrade = _outcome(client, fair, ids["盱眙"], w.h_bob, outcome="held")
    assert downgrade.status_code == 409
    summary = client.get("/api/v1/dashboard/summary", headers=w.h_staff_city).json
    assert (summary["agreements"], summary["agreement_amount"]) == (1, 120)  # counted once, on the match


def _report_data(client, fair):
    w = fair.world
    ids = _meetings(client, fair)
    set_status(fair.eid, "ongoing")
    base = f"/api/v1/events/{fair.eid}"
    for who in ("alice", "rita"):
        client.post(f"{base}/registrations/{fair.regs[who]}/checkin", headers=w.h_staff_jinhu)
    _outcome(client, fair, ids["金湖"], w.h_alice, outcome="intent")
    _outcome(client, fair, ids["盱眙"], w.h_bob, outcome="agreement", amount=80.5)


def test_report_figures_by_county_and_field(client, fair):
    _report_data(client, fair)
    report = client.get(f"/api/v1/events/{fair.eid}/report", headers=fair.world.h_staff_city).json
    totals = report["totals"]
    assert (totals["participants"], totals["checked_in"], totals["meetings_held"]) == (3, 2, 2)
    assert (totals["intents"], totals["agreements"], totals["amount"]) == (2, 1, 80.5)
    county = {row["name"]: row for row in report["by_county"]}
    assert set(county) == {"金湖县", "盱眙县", "玄武区"}
    assert (county["盱眙县"]["meetings_held"], county["盱眙县"]["amount"]) == (1, 80.5)
    assert (county["金湖县"]["intents"], county["金湖县"]["agreements"]) == (1, 0)
    assert (county["玄武区"]["participants"], county["玄武区"]["meetings_held"]) == (1, 0)
    field = {row["key"]: row for row in report["by_field"]}
    assert field["instrument"]["participants"] == 2 and field["materials"]["participants"] == 1
    assert field["materials"]["agreements"] == 1 and field["instrument"]["agreements"] == 0


def test_report_workbook_escapes_cells(client, fair):
    fair.world.ent_b.name = '=HYPERLINK("http://x")盱眙'
    db.session.commit()
    _report_data(client, fair)
    response = client.get(f"/api/v1/events/{fair.eid}/report?format=xlsx", headers=fair.world.h_staff_jinhu)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["活动概况", "分地区统计", "分领域统计", "洽谈明细"]
    names = [row[2] for row in book["洽谈明细"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")盱眙' in names
    overview = dict(book["活动概况"].iter_rows(min_row=2, values_only=True))
    assert overview["签订合作协议（项）"] == 1 and overview["协议金额（万元）"] == 80.5
