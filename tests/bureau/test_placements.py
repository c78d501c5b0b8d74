"""科技副总: ranked candidates, tripartite consent, county review, 立项, reports and assessment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from matchmaker.extensions import db
from matchmaker.models import InboxMessage, Placement
from tests.bureau.placement_helpers import URL, agree, approve, file_placement, parties, terms


@pytest.fixture
def p(world):
    return parties(world)


def _inbox(user_id: int, cause: str) -> list[InboxMessage]:
    return db.session.query(InboxMessage).filter_by(user_id=user_id, cause=cause).all()


def test_candidates_for_a_talent_need_are_ranked_researchers_with_reasons(client, world, p):
    r = client.post(f"{URL}/candidates", json={"need_id": p.need.id}, headers=world.h_alice)
    assert r.status_code == 200, r.json
    names = [c["name"] for c in r.json["items"]]
    assert names == ["陈教授"]  # the rice-and-crayfish researcher does not answer a sensor need
    best = r.json["items"][0]
    assert best["unit_name"] == "东南理工大学" and "MEMS 压力传感器" in best["explanation"]
    assert best["outputs"][0]["id"] == p.output.id and 0 < best["score"] <= 1
    direct = client.post(
        f"{URL}/candidates",
        json={"title": "压力传感器温度补偿", "fields": ["instrument"]},
        headers=world.h_alice,
    )
    assert [c["name"] for c in direct.json["items"]] == ["陈教授"]
    # once Rita has an open placement with the firm she is not proposed to it again
    file_placement(client, world, p)
    again = client.post(f"{URL}/candidates", json={"need_id": p.need.id}, headers=world.h_alice)
    assert again.json["items"] == []


def test_candidates_are_only_for_the_firm_and_its_county(client, world, p):
    body = {"need_id": p.need.id}
    assert client.post(f"{URL}/candidates", json=body, headers=world.h_bob).status_code == 404
    assert client.post(f"{URL}/candidates", json=body, headers=world.h_staff_xuyi).status_code == 404
    assert client.post(f"{URL}/candidates", json=body, headers=world.h_staff_jinhu).status_code == 200
    assert client.post(f"{URL}/candidates", json=body).status_code == 401
    other = {"title": "压力传感器", "org_id": world.ent_a.id}
    assert client.post(f"{URL}/candidates", json=other, headers=world.h_staff_xuyi).status_code == 403


def test_a_placement_goes_from_three_confirmations_to_the_province(client, world, p):
    created = client.post(
        URL, json=terms(org_id=world.ent_a.id, researcher_id=world.rita.id, need_id=p.need.id),
        headers=world.h_staff_jinhu,
    )  # fmt: skip
    assert created.status_code == 201 and created.headers["Location"].endswith(f"{URL}/{created.json['id']}")
    pid = created.json["id"]
    assert created.json["status"] == "consenting" and created.json["unit_name"] == "东南理工大学"
    asked = _inbox(world.rita.id, "placement.consent_requested")
    assert (
        len(asked) == 1
        and "请确认" in asked[0].title
        and _inbox(p.uni_admin.id, "placement.consent_requested")
    )
    assert _inbox(world.alice.id, "placement.consent_requested")

    # Rita may not consent for her own unit; the unit's administrator does
    r = client.post(f"{URL}/{pid}/confirm", json={"party": "unit"}, headers=world.h_rita)
    assert r.status_code == 403
    client.post(f"{URL}/{pid}/confirm", json={}, headers=world.h_rita)
    assert client.post(f"{URL}/{pid}/confirm", json={}, headers=world.h_rita).status_code == 409
    client.post(f"{URL}/{pid}/confirm", json={}, headers=world.h_alice)
    # too early for the county: two of three confirmed
    early = client.post(f"{URL}/{pid}/review", json={"decision": "recommend"}, headers=world.h_staff_jinhu)
    assert early.status_code == 409
    done = client.post(f"{URL}/{pid}/confirm", json={}, headers=p.h_uni_admin).json
    assert done["status"] == "agreed" and all(x["confirmed_at"] for x in done["parties"])
    assert _inbox(world.staff_jinhu.id, "placement.agreed")

    r = client.post(f"{URL}/{pid}/review", json={"decision": "recommend"}, headers=world.h_staff_jinhu)
    assert r.json["province_status"] == "推荐"
    r = client.post(f"{URL}/{pid}/province", json={"outcome": "approved", "note": "苏科人〔2026〕12号"},
                    headers=world.h_staff_city)  # fmt: skip
    assert r.json["province_status"] == "立项" and r.json["status"] == "approved"
    again = client.post(
        f"{URL}/{pid}/province", json={"outcome": "not_approved"}, headers=world.h_staff_jinhu
    )
    assert again.status_code == 409
    told = [m.title for m in _inbox(world.rita.id, "placement.province")]
    assert any("推荐" in t for t in told) and any("立项" in t for t in told)
    assert _inbox(p.uni_admin.id, "placement.province") and _inbox(world.alice.id, "placement.province")


def test_declining_needs_a_reason_and_tells_the_parties(client, world, p):
    pid = file_placement(client, world, p)["id"]
    agree(client, world, p, pid)
    url = f"{URL}/{pid}/review"
    assert client.post(url, json={"decision": "decline"}, headers=world.h_staff_jinhu).status_code == 422
    r = client.post(
        url, json={"decision": "decline", "comment": "报酬与服务时间不匹配"}, headers=world.h_staff_jinhu
    )
    assert r.json["status"] == "declined" and r.json["province_status"] is None
    assert "报酬与服务时间不匹配" in _inbox(world.rita.id, "placement.declined")[0].body


def test_changing_the_terms_needs_the_current_etag_and_asks_everyone_again(client, world, p):
    created = client.post(
        URL, json=terms(researcher_id=world.rita.id, need_id=p.need.id), headers=world.h_alice
    )  # the enterprise files for itself
    pid, tag = created.json["id"], created.headers["ETag"]
    client.post(f"{URL}/{pid}/confirm", json={}, headers=world.h_rita)
    stale = client.patch(
        f"{URL}/{pid}", json={"pay": 10}, headers={**world.h_alice, "If-Match": '"placement-1-v0"'}
    )
    assert stale.status_code == 412
    r = client.patch(
        f"{URL}/{pid}", json={"pay": 10, "days_per_month": 5}, headers={**world.h_alice, "If-Match": tag}
    )
    assert r.status_code == 200 and r.json["version"] == 2 and r.json["pay"] == 10
    assert all(x["confirmed_at"] is None for x in r.json["parties"])
    assert len(_inbox(world.rita.id, "placement.consent_requested")) == 2
    assert client.patch(f"{URL}/{pid}", json={"pay": 9}, headers=world.h_rita).status_code == 403
    agree(client, world, p, pid)
    assert client.patch(f"{URL}/{pid}", json={"pay": 9}, headers=world.h_alice).status_code == 409


def test_bad_filings_are_refused_field_by_field(client, world, p):
    cases = [
        (terms(researcher_id=world.alice.id), "researcher_id"),  # not a researcher
        (
            terms(researcher_id=world.rita.id, ends_on=(date.today() + timedelta(days=2000)).isoformat()),
            "ends_on",
        ),
        (terms(researcher_id=world.rita.id, days_per_month=40), "days_per_month"),
        (terms(researcher_id=world.rita.id, need_id=p.need.id + 999), "need_id"),
    ]
    for body, field in cases:
        r = client.post(URL, json=body, headers=world.h_alice)
        assert r.status_code == 422 and field in r.json["errors"], (field, r.json)
    file_placement(client, world, p)
    twice = client.post(URL, json=terms(researcher_id=world.rita.id), headers=world.h_alice)
    assert twice.status_code == 409
    after, end = (date.today() + timedelta(days=d) for d in (731, 731 + 365))
    renewal = terms(researcher_id=world.rita.id, starts_on=after.isoformat(), ends_on=end.isoformat())
    assert client.post(URL, json=renewal, headers=world.h_alice).status_code == 201  # 续聘 after the term


def test_yearly_reports_are_countersigned_and_the_term_ends_with_an_assessment(client, world, p):
    pid = file_placement(client, world, p)["id"]
    report = {"year": 1, "summary": "完成温度补偿算法移植，培训企业研发人员 12 人次，协助申报发明专利一项。",
              "days_on_site": 50, "results": "申报发明专利 1 项"}  # fmt: skip
    assert (
        client.post(f"{URL}/{pid}/reports", json=report, headers=world.h_rita).status_code == 409
    )  # not 立项
    approve(client, world, p, pid)
    assert client.post(f"{URL}/{pid}/reports", json=report, headers=world.h_alice).status_code == 403
    r = client.post(f"{URL}/{pid}/reports", json=report, headers=world.h_rita)
    assert r.status_code == 201 and r.headers["Location"].endswith(f"{URL}/{pid}")
    assert client.post(f"{URL}/{pid}/reports", json=report, headers=world.h_rita).status_code == 409
    assert (
        client.post(f"{URL}/{pid}/reports", json={**report, "year": 3}, headers=world.h_rita).status_code
        == 422
    )
    sign = {"comment": "工作扎实，解决了温漂难题。"}
    assert (
        client.post(f"{URL}/{pid}/reports/1/countersign", json=sign, headers=world.h_rita).status_code == 403
    )
    assert (
        client.post(f"{URL}/{pid}/reports/1/countersign", json=sign, headers=world.h_alice).status_code == 200
    )
    assert (
        client.post(f"{URL}/{pid}/reports/1/countersign", json=sign, headers=world.h_alice).status_code == 409
    )
    grade = {"grade": "excellent", "comment": "圆满完成任期目标。"}
    assert client.post(f"{URL}/{pid}/assessment", json=grade, headers=world.h_staff_jinhu).status_code == 409
    placement = db.session.get(Placement, pid)
    placement.ends_on = date.today() + timedelta(days=10)
    db.session.commit()
    assert client.post(f"{URL}/{pid}/assessment", json=grade, headers=world.h_alice).status_code == 403
    r = client.post(f"{URL}/{pid}/assessment", json=grade, headers=world.h_staff_jinhu)
    assert r.json["status"] == "assessed" and r.json["grade_label"] == "优秀"
    assert r.json["reports"][0]["enterprise_comment"] == "工作扎实，解决了温漂难题。"
    assert "优秀" in _inbox(world.rita.id, "placement.assessed")[0].title


def test_the_dashboard_counts_placements_by_county_and_field(client, world, p):
    approve(client, world, p, file_placement(client, world, p)["id"])
    other = f_other_placement(client, world, p)
    assert other["status"] == "consenting"
    r = client.get("/api/v1/dashboard/placements", headers=world.h_staff_city)
    assert (r.json["active"], r.json["approved"], r.json["consenting"]) == (1, 1, 1)
    county = {row["code"]: row for row in r.json["by_county"]}
    assert county["320831"]["approved"] == 1 and county["320831"]["name"] == "金湖县"
    assert [row["name"] for row in r.json["by_field"] if row["approved"]] == ["仪器仪表"]
    assert client.get("/api/v1/dashboard/placements", headers=world.h_staff_xuyi).json["approved"] == 0
    r = client.get("/api/v1/dashboard/placements?region=320831", headers=world.h_staff_xuyi)
    assert r.status_code == 403
    assert client.get("/api/v1/dashboard/placements", headers=world.h_alice).status_code == 403


def f_other_placement(client, world, p) -> dict:
    """A 盱眙 firm's placement of the other university's researcher, filed by the firm itself."""
    r = client.post(
        URL, json=terms(researcher_id=p.other_researcher.id, fields=["food"]), headers=world.h_bob
    )
    assert r.status_code == 201, r.json
    return r.json
