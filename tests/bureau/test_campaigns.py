"""Need collection campaigns (需求征集): who runs them, invitations, filing, visits, progress, 需求汇编."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import InboxMessage
from tests import factories as f
from tests.conftest import JINHU, XUYI

URL = "/api/v1/campaigns"
TODAY = date.today()


def _campaign(client, world, who=None, **extra):
    body = {
        "title": "2026年金湖县企业技术需求征集",
        "starts_on": (TODAY - timedelta(days=5)).isoformat(),
        "ends_on": (TODAY + timedelta(days=30)).isoformat(),
        "target_count": 4,
        "questions": [{"key": "employees", "label": "企业研发人员数", "required": True}],
        **extra,
    }
    r = client.post(URL, json=body, headers=who or world.h_staff_jinhu)
    assert r.status_code == 201, r.json
    return r.json


def _filed(client, world, cid, **extra):
    body = {**f.SENSOR_NEED, "answers": {"employees": "12"}, **extra}
    return client.post(f"{URL}/{cid}/needs", json=body, headers=world.h_alice)


def test_county_staff_run_campaigns_in_their_county_only(client, world):
    c = _campaign(client, world)
    assert c["region"] == JINHU and c["status"] == "open"
    r = client.post(URL, json={**_body(), "region": XUYI}, headers=world.h_staff_jinhu)
    assert r.status_code == 403 and r.json["message"] == "征集范围超出您的辖区"
    for who in ("alice", "rita"):
        assert client.post(URL, json=_body(), headers=getattr(world, f"h_{who}")).status_code == 403
    r = client.post(URL, json={**_body(), "counties": [XUYI]}, headers=world.h_staff_jinhu)
    assert r.status_code == 422 and "不在征集范围" in r.json["errors"]["counties"][0]  # region: 金湖
    city = client.post(URL, json={**_body(), "counties": [JINHU, XUYI]}, headers=world.h_staff_city)
    assert city.status_code == 201 and city.json["region"] == "320800"
    r = client.post(URL, json={**_body(), "ends_on": "2020-01-01"}, headers=world.h_staff_jinhu)
    assert r.status_code == 422 and "ends_on" in r.json["errors"]

    assert {x["id"] for x in client.get(URL, headers=world.h_staff_jinhu).json["items"]} == {c["id"]}
    assert client.get(URL, headers=world.h_staff_xuyi).json["items"] == []
    assert len(client.get(URL, headers=world.h_staff_city).json["items"]) == 2
    assert {x["id"] for x in client.get(URL, headers=world.h_alice).json["items"]} == {
        c["id"],
        city.json["id"],
    }
    assert {x["id"] for x in client.get(URL, headers=world.h_bob).json["items"]} == {city.json["id"]}
    assert client.get(f"{URL}/{c['id']}", headers=world.h_bob).status_code == 404
    for action in ("progress", "compilation"):
        assert client.get(f"{URL}/{c['id']}/{action}", headers=world.h_staff_xuyi).status_code == 403
        assert client.get(f"{URL}/{c['id']}/{action}", headers=world.h_alice).status_code == 403
    assert client.post(f"{URL}/{c['id']}/close", headers=world.h_staff_xuyi).status_code == 403


def _body():
    return {"title": "企业技术需求征集活动", "target_count": 10, **_dates()}


def _dates():
    return {"starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=10)).isoformat()}


def test_invitations_reach_the_covered_enterprises_once(client, world):
    c = _campaign(client, world)
    r = client.post(f"{URL}/{c['id']}/invitations", json={}, headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["org_ids"] == [world.ent_a.id]
    inbox = db.session.query(InboxMessage).filter_by(user_id=world.alice.id, cause="campaign.invited").all()
    assert len(inbox) == 1 and "2026年金湖县企业技术需求征集" in inbox[0].title
    assert db.session.query(InboxMessage).filter_by(user_id=world.bob.id).count() == 0
    again = client.post(f"{URL}/{c['id']}/invitations", json={}, headers=world.h_staff_jinhu)
    assert again.json["invited"] == 0
    r = client.post(
        f"{URL}/{c['id']}/invitations", json={"org_ids": [world.ent_b.id]}, headers=world.h_staff_jinhu
    )
    assert r.status_code == 422 and "org_ids" in r.json["errors"]


def test_enterprises_file_needs_with_answers_and_staff_collect_on_visits(client, world):
    c = _campaign(client, world)
    r = _filed(client, world, c["id"], answers={})
    assert r.status_code == 422 and "answers" in r.json["errors"]
    need = _filed(client, world, c["id"]).json
    assert need["campaign_id"] == c["id"] and need["status"] == "draft"
    assert client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice).status_code == 200
    assert client.post(f"{URL}/{c['id']}/needs", json=f.SENSOR_NEED, headers=world.h_bob).status_code == 404

    visit = {**f.SENSOR_NEED, "title": "数控机床主轴热变形补偿", "fields": ["equipment"],
             "summary": "主轴高速运转后热变形导致加工精度下降，寻求热误差建模与补偿方案。",
             "org_id": world.ent_a.id, "answers": {"employees": "8"}}  # fmt: skip
    r = client.post(f"{URL}/{c['id']}/visits", json=visit, headers=world.h_staff_jinhu)
    assert r.status_code == 201, r.json
    assert r.json["org_id"] == world.ent_a.id and r.json["status"] == "submitted"
    assert r.json["collected_by"] == world.staff_jinhu.id
    mine = client.get(f"/api/v1/needs/{r.json['id']}", headers=world.h_alice).json
    assert mine["status"] == "submitted" and mine["org_name"] == "金湖仪表科技有限公司"
    vague = {**visit, "title": "技术合作", "summary": "需要技术合作需要技术合作"}
    r = client.post(f"{URL}/{c['id']}/visits", json=vague, headers=world.h_staff_jinhu)
    assert r.status_code == 422 and "title" in r.json["errors"]
    r = client.post(
        f"{URL}/{c['id']}/visits", json={**visit, "org_id": world.ent_b.id}, headers=world.h_staff_jinhu
    )
    assert r.status_code == 422
    assert client.post(f"{URL}/{c['id']}/visits", json=visit, headers=world.h_staff_xuyi).status_code == 403


def test_progress_by_county_and_industry_and_the_compilation(client, world):
    c = _campaign(client, world, who=world.h_staff_city, counties=[JINHU, XUYI])
    client.post(f"{URL}/{c['id']}/invitations", json={}, headers=world.h_staff_city)
    need = _filed(client, world, c["id"]).json
    client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice)
    client.post(f"/api/v1/needs/{need['id']}/publish", headers=world.h_staff_jinhu)
    draft = client.post(
        f"{URL}/{c['id']}/needs",
        json={**f.SENSOR_NEED, "title": "小龙虾冷链保鲜工艺", "fields": ["food"],
              "summary": "寻求小龙虾冷链运输中的保鲜与杀菌工艺。", "answers": {"employees": "3"}},
        headers=world.h_bob,
    )  # fmt: skip
    assert draft.status_code == 201, draft.json

    p = client.get(f"{URL}/{c['id']}/progress", headers=world.h_staff_city).json
    assert (p["collected"], p["submitted"], p["published"], p["target_count"]) == (2, 1, 1, 4)
    assert p["completion"] == 0.25 and p["invited_orgs"] == 2 and p["responding_orgs"] == 2
    counties = {row["code"]: (row["collected"], row["published"]) for row in p["by_county"]}
    assert counties == {JINHU: (1, 1), XUYI: (1, 0)}
    assert {row["name"]: row["collected"] for row in p["by_industry"]} == {"仪器仪表": 1, "绿色食品": 1}

    r = client.get(f"{URL}/{c['id']}/compilation", headers=world.h_staff_city)
    assert r.status_code == 200
    rows = list(load_workbook(BytesIO(r.data)).worksheets[0].values)
    assert [row[2] for row in rows[1:]] == [f.SENSOR_NEED["title"]]  # published only
    docx = client.get(f"{URL}/{c['id']}/compilation?format=docx", headers=world.h_staff_city)
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_a_closed_campaign_takes_no_more_needs(client, world):
    c = _campaign(client, world)
    assert client.post(f"{URL}/{c['id']}/close", headers=world.h_staff_jinhu).json["status"] == "closed"
    assert _filed(client, world, c["id"]).status_code == 409
    r = client.post(f"{URL}/{c['id']}/invitations", json={}, headers=world.h_staff_jinhu)
    assert r.status_code == 409
