"""The audit log through the API: staff read their region's objects, admins all; filters; export; reveals."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import Match
from tests import factories as f

URL = "/api/v1/audit"


def _need_log(client, world, need_id, who):
    r = client.get(URL, query_string={"object_type": "need", "object_id": need_id}, headers=who)
    assert r.status_code == 200, r.json
    return [i["action"] for i in r.json["items"]]


def test_county_staff_read_their_countys_listing_log_and_not_the_other_countys(client, world):
    need_id = f.publish_sensor_need(client, world)
    expected = ["publish", "submit", "create"]
    assert _need_log(client, world, need_id, world.h_staff_jinhu) == expected
    assert _need_log(client, world, need_id, world.h_staff_city) == expected
    assert _need_log(client, world, need_id, world.h_admin) == expected
    assert _need_log(client, world, need_id, world.h_staff_xuyi) == []
    row = client.get(
        URL, query_string={"object_id": need_id, "action": "publish"}, headers=world.h_staff_jinhu
    )
    (item,) = row.json["items"]
    assert item["actor_name"] == world.staff_jinhu.name and item["action_label"] == "审核发布"
    assert item["request_id"] and item["object_type"] == "need"


def test_users_without_staff_role_cannot_read_the_log(client, world):
    f.publish_sensor_need(client, world)
    for who in ("alice", "bob", "rita"):
        r = client.get(URL, headers=getattr(world, f"h_{who}"))
        assert r.status_code == 403 and r.json["code"] == "forbidden", who
    assert client.get(URL).status_code == 401


def test_filters_by_actor_action_and_time(client, world):
    need_id = f.publish_sensor_need(client, world)
    other = f.make_need(world.ent_b, world.bob, status="submitted")
    client.post(f"/api/v1/needs/{other.id}/publish", headers=world.h_staff_xuyi)
    city = client.get(URL, query_string={"action": "publish"}, headers=world.h_staff_city).json
    assert {i["object_id"] for i in city["items"]} == {need_id, other.id} and city["total"] == 2
    mine = client.get(URL, query_string={"actor_id": world.alice.id}, headers=world.h_staff_city).json
    assert {i["action"] for i in mine["items"]} == {"create", "submit"}
    later = client.get(URL, query_string={"from": "2099-01-01T00:00:00"}, headers=world.h_admin).json
    assert later["items"] == [] and later["total"] == 0
    r = client.get(URL, query_string={"from": "昨天"}, headers=world.h_admin)
    assert r.status_code == 422 and "from" in r.json["errors"]


def test_export_holds_the_filtered_rows(client, world):
    need_id = f.publish_sensor_need(client, world)
    r = client.get(URL, query_string={"object_id": need_id, "format": "xlsx"}, headers=world.h_staff_jinhu)
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(r.data)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("时间", "操作人", "所在单位", "操作")
    assert [row[3] for row in rows[1:]] == ["审核发布", "提交审核", "创建"]
    empty = client.get(URL, query_string={"object_id": need_id, "format": "xlsx"}, headers=world.h_staff_xuyi)
    assert len(list(load_workbook(BytesIO(empty.data)).active.values)) == 1


def test_owner_lists_who_revealed_their_contacts(client, world):
    good, _ = f.make_matching_outputs(world)
    need_id = f.publish_sensor_need(client, world)
    match = db.session.query(Match).filter_by(need_id=need_id, output_id=good.id).one()
    url = f"/api/v1/matches/{match.id}"
    client.post(f"{url}/interest", headers=world.h_alice)
    client.post(f"{url}/interest", headers=world.h_rita)
    assert client.get(f"{url}/contacts", headers=world.h_alice).status_code == 200  # alice sees rita's

    reveals = client.get(f"{URL}/contact-reveals", headers=world.h_rita).json
    (item,) = reveals["items"]
    assert item["actor_name"] == "张敏" and item["actor_org"] == "金湖仪表科技有限公司"
    assert item["object_type"] == "output" and item["listing_title"] == good.title
    assert item["match_id"] == match.id
    assert client.get(f"{URL}/contact-reveals", headers=world.h_alice).json["items"] == []
    assert client.get(f"{URL}/contact-reveals", headers=world.h_bob).json["total"] == 0
