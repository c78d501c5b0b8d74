"""成果推送: staff compile outputs for their county (by hand or from matches), push once, count reactions."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import InboxMessage
from tests import factories as f
from tests.conftest import JINHU

URL = "/api/v1/output-compilations"


def _compilation(client, world, who=None):
    r = client.post(
        URL, json={"title": "金湖县2026年第四季度高校院所成果推送"}, headers=who or world.h_staff_jinhu
    )
    assert r.status_code == 201, r.json
    return r.json["id"]


def test_staff_compile_by_hand_and_from_matches_of_the_countys_needs(client, world):
    good, other = f.make_matching_outputs(world)  # 南京 university: outside 淮安
    f.publish_sensor_need(client, world)
    cid = _compilation(client, world)
    r = client.post(f"{URL}/{cid}/suggest", json={"limit": 5}, headers=world.h_staff_jinhu)
    assert r.status_code == 200
    (item,) = [i for i in r.json["items"] if i["output_id"] == good.id]
    assert item["source"] == "matched" and "压力传感器温漂补偿技术攻关" in item["explanation"]
    r = client.post(
        f"{URL}/{cid}/outputs", json={"output_ids": [other.id, good.id]}, headers=world.h_staff_jinhu
    )
    assert [i["output_id"] for i in r.json["items"]].count(good.id) == 1  # not twice
    assert other.id in [i["output_id"] for i in r.json["items"]]
    draft = f.make_output(world.uni, world.rita, status="draft")
    r = client.post(f"{URL}/{cid}/outputs", json={"output_ids": [draft.id]}, headers=world.h_staff_jinhu)
    assert r.status_code == 422 and "output_ids" in r.json["errors"]
    r = client.delete(f"{URL}/{cid}/outputs/{other.id}", headers=world.h_staff_jinhu)
    assert [i["output_id"] for i in r.json["items"]] == [good.id]


def test_access_by_role_and_county(client, world):
    good, _ = f.make_matching_outputs(world)
    cid = _compilation(client, world)
    assert client.post(URL, json={"title": "成果推送测试"}, headers=world.h_alice).status_code == 403
    r = client.post(URL, json={"title": "盱眙成果推送", "region": "320830"}, headers=world.h_staff_jinhu)
    assert r.status_code == 403
    body = {"output_ids": [good.id]}
    assert client.post(f"{URL}/{cid}/outputs", json=body, headers=world.h_staff_xuyi).status_code == 403
    assert client.post(f"{URL}/{cid}/outputs", json=body, headers=world.h_staff_city).status_code == 200
    assert client.post(f"{URL}/{cid}/push", headers=world.h_staff_xuyi).status_code == 403
    for who in ("alice", "bob", "rita"):  # a draft is the bureau's own
        assert client.get(f"{URL}/{cid}", headers=getattr(world, f"h_{who}")).status_code == 404, who
    assert client.post(f"{URL}/{cid}/push", headers=world.h_staff_jinhu).status_code == 200
    assert client.get(f"{URL}/{cid}", headers=world.h_alice).status_code == 200  # 金湖 firm
    assert client.get(f"{URL}/{cid}", headers=world.h_bob).status_code == 404  # 盱眙 firm
    assert client.get(f"{URL}/{cid}", headers=world.h_rita).status_code == 404
    assert [c["id"] for c in client.get(URL, headers=world.h_alice).json["items"]] == [cid]
    assert client.get(URL, headers=world.h_bob).json["items"] == []
    assert client.get(URL, headers=world.h_staff_xuyi).json["items"] == []


def test_push_reaches_the_countys_firms_once_and_reactions_are_counted(client, world):
    good, _ = f.make_matching_outputs(world)
    cid = _compilation(client, world)
    assert client.post(f"{URL}/{cid}/push", headers=world.h_staff_jinhu).status_code == 422  # empty
    client.post(f"{URL}/{cid}/outputs", json={"output_ids": [good.id]}, headers=world.h_staff_jinhu)
    r = client.post(f"{URL}/{cid}/push", headers=world.h_staff_jinhu)
    assert r.json["status"] == "pushed" and r.json["pushed_orgs"] == 1
    (notice,) = db.session.query(InboxMessage).filter_by(user_id=world.alice.id, cause="outputs.pushed").all()
    assert "1 项科技成果" in notice.title and good.title in notice.body
    assert db.session.query(InboxMessage).filter_by(user_id=world.bob.id, cause="outputs.pushed").count() == 0
    assert client.post(f"{URL}/{cid}/push", headers=world.h_staff_jinhu).status_code == 409
    r = client.post(f"{URL}/{cid}/outputs", json={"output_ids": [good.id]}, headers=world.h_staff_jinhu)
    assert r.status_code == 409

    url = f"{URL}/{cid}/outputs/{good.id}/react"
    assert client.post(url, headers=world.h_alice).status_code == 200
    assert client.post(url, headers=world.h_alice).status_code == 200  # once per firm
    assert client.post(url, headers=world.h_bob).status_code == 404
    assert client.post(url, headers=world.h_staff_jinhu).status_code == 403
    staff_view = client.get(f"{URL}/{cid}", headers=world.h_staff_jinhu).json
    assert staff_view["reacted_orgs"] == 1 and staff_view["items"][0]["reactions"] == 1
    assert client.get(f"{URL}/{cid}", headers=world.h_alice).json["reacted_orgs"] is None


def test_the_countys_output_catalogue_holds_outputs_compiled_for_it(client, world):
    good, _ = f.make_matching_outputs(world)
    export = "/api/v1/exports/catalogue"

    def titles(region):
        r = client.get(export, query_string={"kind": "output", "region": region})
        return [row[2] for row in list(load_workbook(BytesIO(r.data)).worksheets[0].values)[1:]]

    assert titles(JINHU) == []  # the outputs belong to 南京
    cid = _compilation(client, world)
    client.post(f"{URL}/{cid}/outputs", json={"output_ids": [good.id]}, headers=world.h_staff_jinhu)
    assert titles(JINHU) == [good.title]
    assert titles("320830") == []
    assert titles("320800") == [good.title]  # the city holds its counties' compilations
