"""Challenges in search (kind ``challenge``) with each viewer's visibility, and the push to matching teams."""

from __future__ import annotations

from matchmaker.extensions import db, search_backend
from matchmaker.models import Delivery, InboxMessage
from matchmaker.services.notifications import record_consent
from search import indexer
from tests import factories as f
from tests.challenges.helpers_lists import draft, published


def _found(client, headers=None, **params) -> list[tuple[str, int]]:
    query = {"q": "传感器 温漂", **params}
    hits = client.get("/api/v1/search", query_string=query, headers=headers or {}).json["hits"]
    return [(h["kind"], h["id"]) for h in hits]


def test_published_challenges_are_found_by_anyone_with_the_kind_filter(client, world):
    need = f.make_need(world.ent_b)
    f.index_listings(need)
    cid = published(client, world)
    assert ("challenge", cid) in _found(client)
    assert _found(client, type="challenge") == [("challenge", cid)]
    assert ("challenge", cid) not in _found(client, type="need")
    hit = client.get("/api/v1/search", query_string={"q": "温漂", "type": "challenge"}).json["hits"][0]
    assert "<em>" in hit["highlights"]["title"] and hit["org_name"] == "金湖仪表科技有限公司"


def test_drafts_found_only_by_those_allowed_cancelled_and_deleted_leave_the_index(client, world):
    cid = draft(client, world.h_alice)["id"]
    allowed = {"alice", "staff_jinhu", "staff_city", "admin"}
    for role in (None, "alice", "bob", "rita", "staff_jinhu", "staff_xuyi", "staff_city", "admin"):
        headers = getattr(world, f"h_{role}") if role else None
        assert (("challenge", cid) in _found(client, headers, type="challenge")) is (role in allowed), role
    pid = published(client, world)
    client.post(f"/api/v1/challenges/{pid}/cancel", json={"reason": "需求变更"}, headers=world.h_staff_jinhu)
    assert _found(client, type="challenge") == []
    did = draft(client, world.h_alice)["id"]
    client.delete(f"/api/v1/challenges/{did}", headers=world.h_alice)
    backend = search_backend()
    assert f"challenge-{did}" not in backend.id_versions()
    assert indexer.check(backend).clean


def test_publishing_pushes_to_the_researcher_whose_output_matches(client, world):
    good = f.make_output(world.uni, world.rita)
    stranger = f.make_user(
        f.make_org("university", "320102", "南京农业技术学院"), ["researcher"], name="周老师"
    )
    lobster = {
        "title": "盱眙龙虾冷链保鲜工艺",
        "abstract": "一种小龙虾冷链保鲜与杀菌工艺。",
        "keywords": ["保鲜"],
    }
    other = f.make_output(stranger.org, stranger, fields=["food"], **lobster)
    f.index_listings(good, other)
    published(client, world)
    inbox = db.session.scalars(db.select(InboxMessage).filter_by(user_id=world.rita.id)).all()
    pushed = [m for m in inbox if m.cause == "challenge.recommended"]
    assert len(pushed) == 1
    assert good.title in pushed[0].body and "揭榜推荐" in pushed[0].title
    assert not db.session.scalars(db.select(InboxMessage).filter_by(user_id=stranger.id)).all()


def test_the_push_honours_the_personalisation_opt_out(client, world):
    f.index_listings(f.make_output(world.uni, world.rita))
    record_consent(user_id=world.rita.id, purpose="personalised", granted=False, source="test")
    db.session.commit()
    published(client, world)
    rows = db.session.scalars(db.select(Delivery).filter_by(cause="challenge.recommended")).all()
    assert rows and {r.rule for r in rows} == {"personalisation_opt_out"}
    assert not db.session.scalars(db.select(InboxMessage).filter_by(cause="challenge.recommended")).all()


def test_matches_for_the_poster_and_staff(client, world):
    good, _ = f.make_matching_outputs(world)
    cid = draft(client, world.h_alice)["id"]
    url = f"/api/v1/challenges/{cid}/matches"
    items = client.get(url, headers=world.h_alice).json["items"]
    assert items[0]["output_id"] == good.id and items[0]["org_name"] == "东南理工大学"
    assert "温度补偿" in items[0]["explanation"] and items[0]["breakdown"]["text"] > 0
    assert client.get(url, headers=world.h_staff_jinhu).status_code == 200
    assert client.get(url, headers=world.h_bob).status_code == 404
    assert client.get(url).status_code == 401
    pid = published(client, world)
    assert client.get(f"/api/v1/challenges/{pid}/matches", headers=world.h_rita).status_code == 403
