"""Every dashboard figure is scoped: county officers see their county, the city both, admin all."""

from __future__ import annotations

import pytest

from tests.conftest import HUAIAN, JINHU, XUYI
from tests.dashboard.conftest import EXPECTED

FIGURES = [k for k in EXPECTED[JINHU] if k != "pending"]


def _summary(client, headers, **params):
    response = client.get("/api/v1/dashboard/summary", headers=headers, query_string=params)
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.parametrize(("who", "county"), [("staff_jinhu", JINHU), ("staff_xuyi", XUYI)])
def test_county_officer_sees_only_their_county(client, figures, who, county):
    data = _summary(client, getattr(figures.world, f"h_{who}"))
    for key in FIGURES:
        assert data[key] == EXPECTED[county][key], key
    assert data["pending_review"]["count"] == EXPECTED[county]["pending"]
    assert data["pending_review"]["oldest_wait_days"] >= 1


def test_city_officer_and_admin_see_the_sum(client, figures):
    city = _summary(client, figures.world.h_staff_city)
    admin = _summary(client, figures.world.h_admin)
    for key in FIGURES:
        assert city[key] == admin[key] == EXPECTED[JINHU][key] + EXPECTED[XUYI][key], key
    assert city["region"] == HUAIAN and admin["region"] is None
    assert isinstance(city["needs_collected"], int) and isinstance(city["contracts"], int)  # counts, not 39.0


def test_region_narrows_within_scope_and_is_refused_outside(client, figures):
    w = figures.world
    narrowed = _summary(client, w.h_staff_city, region=XUYI)
    assert narrowed["contract_amount"] == EXPECTED[XUYI]["contract_amount"]
    assert _summary(client, w.h_admin, region=JINHU)["matches"] == EXPECTED[JINHU]["matches"]
    outside = client.get("/api/v1/dashboard/summary", headers=w.h_staff_jinhu, query_string={"region": XUYI})
    assert outside.status_code == 403
    wider = client.get("/api/v1/dashboard/funnel", headers=w.h_staff_jinhu, query_string={"region": HUAIAN})
    assert wider.status_code == 403


@pytest.mark.parametrize("path", ["summary", "timeseries?metric=matches", "breakdown?by=county", "funnel"])
def test_only_staff_and_admin(client, world, path):
    url = f"/api/v1/dashboard/{path}"
    assert client.get(url).status_code == 401
    for headers in (world.h_alice, world.h_rita):
        response = client.get(url, headers=headers)
        assert response.status_code == 403
        assert response.json["message"] == "只有科技局工作人员可以查看统计"


def test_timeseries_is_scoped_and_monthly(client, figures):
    w = figures.world
    month = figures.today.strftime("%Y-%m")
    for headers, county in ((w.h_staff_jinhu, JINHU), (w.h_staff_xuyi, XUYI)):
        response = client.get(
            "/api/v1/dashboard/timeseries", headers=headers, query_string={"metric": "contract_amount"}
        )
        points = response.json["points"]
        assert len(points) in (12, 13) and points[-1]["period"] == month
        assert sum(p["value"] for p in points) == EXPECTED[county]["contract_amount"]


def test_breakdown_by_county_lists_only_counties_in_scope(client, figures):
    w = figures.world
    rows = client.get("/api/v1/dashboard/breakdown?by=county", headers=w.h_staff_jinhu).json["rows"]
    assert [r["key"] for r in rows] == [JINHU]
    assert rows[0]["name"] == "金湖县" and rows[0]["needs_published"] == EXPECTED[JINHU]["needs_published"]
    city = client.get("/api/v1/dashboard/breakdown?by=county", headers=w.h_staff_city).json["rows"]
    by_key = {r["key"]: r for r in city}
    assert by_key[XUYI]["contract_amount"] == EXPECTED[XUYI]["contract_amount"]
    assert len(city) > 2  # every county of the city is listed, even with no activity


def test_breakdown_by_field_is_scoped(client, figures):
    rows = client.get("/api/v1/dashboard/breakdown?by=field", headers=figures.world.h_staff_xuyi).json["rows"]
    instrument = next(r for r in rows if r["key"] == "instrument")
    assert instrument["name"] == "仪器仪表"
    assert instrument["needs_published"] == EXPECTED[XUYI]["needs_published"]
    assert instrument["outputs_published"] == EXPECTED[XUYI]["outputs_published"]


def test_funnel_counts_and_rates_are_scoped(client, figures):
    stages = client.get("/api/v1/dashboard/funnel", headers=figures.world.h_staff_xuyi).json["stages"]
    counts = {s["stage"]: s["count"] for s in stages}
    assert counts == {
        "proposed": 3, "viewed": 3, "interested": 2, "connected": 2,
        "negotiating": 2, "agreement": 1, "contract": 1,
    }  # fmt: skip
    assert stages[0]["rate_from_previous"] is None
    assert stages[2]["rate_from_previous"] == round(2 / 3, 4)
    assert stages[-1]["rate_from_start"] == round(1 / 3, 4)
    jinhu = client.get("/api/v1/dashboard/funnel", headers=figures.world.h_staff_jinhu).json["stages"]
    assert [s["count"] for s in jinhu] == [2, 1, 1, 1, 1, 1, 1]


def test_period_excludes_other_dates(client, figures):
    query = {"from": "2020-01-01", "to": "2020-12-31"}
    data = _summary(client, figures.world.h_admin, **query)
    assert all(data[key] == 0 for key in FIGURES)
    bad = client.get("/api/v1/dashboard/timeseries?metric=nope", headers=figures.world.h_admin)
    assert bad.status_code == 422
