"""月报/季报: the county files and submits, the city returns or approves, approved is locked, corrections."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from tests import factories as f
from tests.conftest import JINHU, XUYI

URL = "/api/v1/periodic-reports"
MONTH = date.today().strftime("%Y-%m")
MANUAL = [{"name": "走访企业", "value": 23, "unit": "家", "source": "科技局走访台账"}]


def _report(client, world, **extra):
    body = {
        "period_kind": "month",
        "period": MONTH,
        "manual": MANUAL,
        "summary": "本月组织走访企业。",
        **extra,
    }
    r = client.post(URL, json=body, headers=world.h_staff_jinhu)
    assert r.status_code == 201, r.json
    return r.json


def test_figures_come_from_the_platform_and_freeze_on_submission(client, world):
    f.publish_sensor_need(client, world)
    report = _report(client, world)
    assert report["region"] == JINHU and report["figures"]["needs_collected"] == 1
    assert report["figures"]["needs_published"] == 1 and "outputs_pushed" in report["figures"]
    r = client.post(f"{URL}/{report['id']}/submit", headers=world.h_staff_jinhu)
    assert r.json["status"] == "submitted"
    f.publish_sensor_need(client, world, title="压力变送器零点漂移抑制")
    again = client.get(f"{URL}/{report['id']}", headers=world.h_staff_jinhu).json
    assert again["figures"]["needs_collected"] == 1  # frozen


def test_the_city_returns_then_approves_and_the_approved_report_is_locked(client, world):
    report = _report(client, world)
    rid = report["id"]
    client.post(f"{URL}/{rid}/submit", headers=world.h_staff_jinhu)
    r = client.post(f"{URL}/{rid}/review", json={"decision": "return"}, headers=world.h_staff_city)
    assert r.status_code == 422 and "comment" in r.json["errors"]
    r = client.post(f"{URL}/{rid}/review", json={"decision": "return", "comment": "请补充走访台账来源"},
                    headers=world.h_staff_city)  # fmt: skip
    assert r.json["status"] == "returned" and r.json["comment"] == "请补充走访台账来源"
    client.patch(f"{URL}/{rid}", json={"summary": "已补充。"}, headers=world.h_staff_jinhu)
    client.post(f"{URL}/{rid}/submit", headers=world.h_staff_jinhu)
    r = client.post(f"{URL}/{rid}/review", json={"decision": "approve"}, headers=world.h_staff_city)
    assert r.json["status"] == "approved" and r.json["locked"] is True

    assert (
        client.patch(f"{URL}/{rid}", json={"summary": "偷偷改"}, headers=world.h_staff_jinhu).status_code
        == 409
    )
    assert client.post(f"{URL}/{rid}/submit", headers=world.h_staff_jinhu).status_code == 409
    assert client.get(f"{URL}/{rid}", headers=world.h_staff_jinhu).json["summary"] == "已补充。"

    fix = client.post(f"{URL}/{rid}/correct", headers=world.h_staff_jinhu)
    assert fix.status_code == 201 and fix.json["version"] == 2 and fix.json["status"] == "draft"
    assert client.post(f"{URL}/{rid}/correct", headers=world.h_staff_jinhu).status_code == 409
    client.post(f"{URL}/{fix.json['id']}/submit", headers=world.h_staff_jinhu)
    client.post(f"{URL}/{fix.json['id']}/review", json={"decision": "approve"}, headers=world.h_staff_city)
    assert client.get(f"{URL}/{rid}", headers=world.h_staff_jinhu).json["status"] == "superseded"


def test_access_by_role_and_county(client, world):
    report = _report(client, world)
    rid = report["id"]
    assert client.get(f"{URL}/{rid}", headers=world.h_staff_xuyi).status_code == 404
    for who in ("alice", "rita"):
        assert client.get(f"{URL}/{rid}", headers=getattr(world, f"h_{who}")).status_code == 404
        assert client.get(URL, headers=getattr(world, f"h_{who}")).status_code == 403
    r = client.post(
        URL, json={"period_kind": "month", "period": MONTH, "region": XUYI}, headers=world.h_staff_jinhu
    )
    assert r.status_code == 403
    assert (
        client.post(
            URL, json={"period_kind": "month", "period": MONTH}, headers=world.h_staff_city
        ).status_code
        == 422
    )
    assert _report_status(client, world, rid) == "draft"
    client.post(f"{URL}/{rid}/submit", headers=world.h_staff_jinhu)
    r = client.post(f"{URL}/{rid}/review", json={"decision": "approve"}, headers=world.h_staff_jinhu)
    assert r.status_code == 403  # the county does not approve its own report
    assert (
        client.post(
            f"{URL}/{rid}/review", json={"decision": "approve"}, headers=world.h_staff_xuyi
        ).status_code
        == 404
    )
    assert (
        client.post(f"{URL}/{rid}/review", json={"decision": "approve"}, headers=world.h_admin).status_code
        == 200
    )
    r = client.post(URL, json={"period_kind": "month", "period": MONTH}, headers=world.h_staff_jinhu)
    assert r.status_code == 409
    r = client.post(URL, json={"period_kind": "quarter", "period": "2026-13"}, headers=world.h_staff_xuyi)
    assert r.status_code == 422 and "period" in r.json["errors"]


def _report_status(client, world, rid):
    return client.get(f"{URL}/{rid}", headers=world.h_staff_city).json["status"]


def test_the_city_sees_late_counties_and_exports(client, world):
    late = client.get(f"{URL}/late", query_string={"period": MONTH}, headers=world.h_staff_city).json["items"]
    assert {JINHU, XUYI} <= {c["region"] for c in late}
    rid = _report(client, world)["id"]
    client.post(f"{URL}/{rid}/submit", headers=world.h_staff_jinhu)
    late = client.get(f"{URL}/late", query_string={"period": MONTH}, headers=world.h_staff_city).json["items"]
    assert JINHU not in {c["region"] for c in late} and XUYI in {c["region"] for c in late}
    assert client.get(f"{URL}/late", query_string={"period": MONTH}, headers=world.h_alice).status_code == 403
    r = client.get(f"{URL}/{rid}", query_string={"format": "xlsx"}, headers=world.h_staff_city)
    rows = list(load_workbook(BytesIO(r.data)).worksheets[0].values)
    assert rows[0] == ("指标", "数值", "单位", "来源") and ("走访企业", 23, "家", "科技局走访台账") in rows
    docx = client.get(f"{URL}/{rid}", query_string={"format": "docx"}, headers=world.h_staff_city)
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_the_report_counts_placements_recommended_and_approved_in_the_county(client, world):
    from tests.bureau.placement_helpers import approve, file_placement, parties

    p = parties(world)
    before = _report(client, world)["figures"]
    assert (before["placements_recommended"], before["placements_approved"]) == (0, 0)
    approve(client, world, p, file_placement(client, world, p)["id"])
    quarter = f"{date.today().year}-Q{(date.today().month - 1) // 3 + 1}"
    body = {"period_kind": "quarter", "period": quarter}
    after = client.post(URL, json=body, headers=world.h_staff_jinhu)
    assert after.status_code == 201, after.json
    figures = after.json["figures"]
    assert (figures["placements_recommended"], figures["placements_approved"]) == (1, 1)
    assert {"filings_approved", "subsidy_amount"} <= set(figures)
    xuyi = client.post(URL, json={"period_kind": "month", "period": MONTH}, headers=world.h_staff_xuyi)
    assert xuyi.status_code == 201 and xuyi.json["figures"]["placements_approved"] == 0  # not 盱眙's
