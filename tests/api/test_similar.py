"""相似推荐 (GET /needs|outputs/{id}/similar): nearest published listings by stored embedding."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import ListingEmbedding
from tests import factories as f
from workers.jobs.index import embed_listings


def _catalogue(world):
    sensor = f.make_output(world.uni, world.rita, title="MEMS 压力传感器温度漂移数字补偿方法")
    close = f.make_output(
        world.uni, world.rita, title="压力传感器温度补偿电路与标定方法",
        abstract="面向压力传感器的温度补偿电路，给出标定与温漂补偿流程。",
    )  # fmt: skip
    far = f.make_output(
        world.uni, world.rita, title="盱眙龙虾冷链保鲜工艺", abstract="一种小龙虾冷链保鲜与杀菌工艺。",
        fields=["food"], keywords=["保鲜"],
    )  # fmt: skip
    draft = f.make_output(
        world.uni, world.rita, status="draft", title="压力传感器温度补偿新方法（草稿）",
        abstract="压力传感器温度补偿方法的草稿。",
    )  # fmt: skip
    db.session.commit()
    return sensor, close, far, draft


def test_similar_outputs_come_nearest_first_and_only_published(client, world):
    sensor, close, far, draft = _catalogue(world)
    embed_listings()
    r = client.get(f"/api/v1/outputs/{sensor.id}/similar?limit=5")
    assert r.status_code == 200, r.json
    ids = [i["listing"]["id"] for i in r.json["items"]]
    assert r.json["embedded"] is True
    assert ids[0] == close.id and far.id in ids
    assert sensor.id not in ids and draft.id not in ids  # never itself, never a draft
    sims = [i["similarity"] for i in r.json["items"]]
    assert sims == sorted(sims, reverse=True) and sims[0] > sims[-1]
    assert "*" in r.json["items"][0]["listing"]["contact_phone"]  # masked, as in every public view
    assert len(client.get(f"/api/v1/outputs/{sensor.id}/similar?limit=1").json["items"]) == 1


def test_a_listing_not_embedded_yet_says_so_instead_of_waiting(client, world):
    sensor, *_ = _catalogue(world)
    assert db.session.query(ListingEmbedding).count() == 0
    r = client.get(f"/api/v1/outputs/{sensor.id}/similar")
    assert r.status_code == 200 and r.json == {"items": [], "embedded": False}


def test_a_draft_is_similar_only_for_those_who_may_see_it(client, world):
    *_, draft = _catalogue(world)
    embed_listings()
    need = f.make_need(world.ent_a, world.alice, status="draft")
    db.session.commit()
    assert client.get(f"/api/v1/outputs/{draft.id}/similar").status_code == 404
    assert client.get(f"/api/v1/outputs/{draft.id}/similar", headers=world.h_bob).status_code == 404
    assert client.get(f"/api/v1/needs/{need.id}/similar", headers=world.h_bob).status_code == 404
    assert client.get(f"/api/v1/needs/{need.id}/similar", headers=world.h_alice).status_code == 200


def test_bad_limits_get_the_error_shape(client, world):
    sensor, *_ = _catalogue(world)
    for bad in ("0", "51", "many"):
        r = client.get(f"/api/v1/outputs/{sensor.id}/similar?limit={bad}")
        assert r.status_code == 422 and r.json["code"] == "validation_error"
    assert client.get("/api/v1/outputs/999999/similar").status_code == 404


def test_a_listing_that_leaves_the_catalogue_leaves_the_neighbours_at_once(client, world):
    sensor, close, far, _ = _catalogue(world)
    embed_listings()
    first = [i["listing"]["id"] for i in client.get(f"/api/v1/outputs/{sensor.id}/similar").json["items"]]
    assert close.id in first
    close.status = "closed"
    db.session.commit()
    again = [i["listing"]["id"] for i in client.get(f"/api/v1/outputs/{sensor.id}/similar").json["items"]]
    assert close.id not in again and far.id in again
    newcomer = f.make_output(
        world.uni, world.rita, title="压力传感器零点温漂补偿", abstract="压力传感器温度补偿。"
    )
    embed_listings()
    latest = [i["listing"]["id"] for i in client.get(f"/api/v1/outputs/{sensor.id}/similar").json["items"]]
    assert newcomer.id in latest
