"""Who sees which 榜单, and whose contacts are masked, through the detail and the list endpoints."""

from __future__ import annotations

from tests.challenges.helpers_lists import draft, published

ROLES = ("alice", "bob", "rita", "staff_jinhu", "staff_xuyi", "staff_city", "admin")


def _headers(world, role: str | None) -> dict:
    return getattr(world, f"h_{role}") if role else {}


DRAFT_SEEN = {None: 404, "alice": 200, "bob": 404, "rita": 404, "staff_jinhu": 200, "staff_xuyi": 404,
              "staff_city": 200, "admin": 200}  # fmt: skip
INSIDERS = {"alice", "staff_jinhu", "staff_city", "admin"}


def test_drafts_are_seen_by_the_poster_staff_in_scope_and_admins(client, world):
    cid = draft(client, world.h_alice)["id"]
    seen = {
        role: client.get(f"/api/v1/challenges/{cid}", headers=_headers(world, role)).status_code
        for role in DRAFT_SEEN
    }
    assert seen == DRAFT_SEEN


def test_published_lists_are_public_with_contacts_masked_for_outsiders(client, world):
    cid = published(client, world)
    for role in (None, *ROLES):
        body = client.get(f"/api/v1/challenges/{cid}", headers=_headers(world, role)).json
        visible = role in INSIDERS
        assert body["contact_visible"] is visible, role
        assert (body["contact_phone"] == "13900000001") is visible, role
        assert ("reject_reason" in body) is visible, role  # review notes only for insiders


def test_the_public_list_and_mine(client, world):
    pid = published(client, world, mode="race")
    did = draft(client, world.h_alice, title="新能源电池热管理攻关")["id"]
    public = client.get("/api/v1/challenges").json
    assert [c["id"] for c in public["items"]] == [pid] and public["total"] == 1
    mine = client.get("/api/v1/challenges?mine=true", headers=world.h_alice).json
    assert {c["id"] for c in mine["items"]} == {pid, did}
    assert {
        c["id"] for c in client.get("/api/v1/challenges?mine=true", headers=world.h_staff_jinhu).json["items"]
    } == {
        pid,
        did,
    }
    assert client.get("/api/v1/challenges?mine=true", headers=world.h_staff_xuyi).json["items"] == []
    assert client.get("/api/v1/challenges?mine=true", headers=world.h_bob).json["items"] == []


def test_filters(client, world):
    pid = published(client, world, mode="race")
    query = "/api/v1/challenges?{}"
    assert [c["id"] for c in client.get(query.format("mode=race")).json["items"]] == [pid]
    assert client.get(query.format("mode=single")).json["items"] == []
    assert [c["id"] for c in client.get(query.format("q=温漂")).json["items"]] == [pid]
    assert client.get(query.format("q=龙虾")).json["items"] == []
    assert [c["id"] for c in client.get(query.format("field=instrument")).json["items"]] == [pid]
    assert [c["id"] for c in client.get(query.format("region=320800")).json["items"]] == [pid]
    assert client.get(query.format("region=320830")).json["items"] == []
    assert client.get(query.format("status=draft")).json["items"] == []
    assert client.get(query.format("regoin=320831")).status_code == 422
