"""Keyset pages of needs and outputs: `next` cursors walk every sort exactly like `page=` does.

Ties (same publication time), missing deadlines and budgets (sorted last) and ids are mixed, so a
cursor that compared the wrong key would skip or repeat rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from matchmaker.models.common import utcnow
from tests import factories as f

SORTS = ["newest", "oldest", "deadline", "budget"]
SAME_TIME = datetime(2026, 3, 1, 8, 0)


@pytest.fixture
def catalogue(world):
    """Needs and outputs with tied times and some missing deadlines and budgets."""
    for i in range(13):
        when = SAME_TIME if i % 3 else SAME_TIME - timedelta(days=i)
        deadline = None if i % 4 == 0 else date(2027, 1, 1) + timedelta(days=i % 5)
        budget = None if i % 5 == 0 else 10 * (i % 3 + 1)
        f.make_need(
            world.ent_a,
            title=f"需求{i}",
            published_at=when,
            created_at=when,
            deadline=deadline,
            budget_max=budget,
        )
        f.make_output(world.uni, title=f"成果{i}", published_at=when, created_at=when, price=budget,
                      valid_until=deadline)  # fmt: skip
    return world


def _by_pages(client, plural, sort):
    ids, page = [], 1
    while True:
        body = client.get(f"/api/v1/{plural}", query_string={"sort": sort, "per_page": 4, "page": page}).json
        ids += [item["id"] for item in body["items"]]
        if len(body["items"]) < 4:
            return ids
        page += 1


def _by_cursor(client, plural, sort):
    ids, cursor, totals = [], None, set()
    while True:
        query = {"sort": sort, "per_page": 4, **({"after": cursor} if cursor else {})}
        r = client.get(f"/api/v1/{plural}", query_string=query)
        assert r.status_code == 200, r.json
        ids += [item["id"] for item in r.json["items"]]
        totals.add(r.json["total"])
        cursor = r.json["next"]
        if cursor is None:
            return ids, totals


@pytest.mark.parametrize("plural", ["needs", "outputs"])
@pytest.mark.parametrize("sort", SORTS)
def test_following_next_lists_every_listing_once_in_the_order_of_pages(client, catalogue, plural, sort):
    walked, totals = _by_cursor(client, plural, sort)
    assert walked == _by_pages(client, plural, sort)
    assert len(walked) == len(set(walked)) == 13 and totals == {13}


def test_the_last_page_has_no_next_and_a_full_page_has_one(client, catalogue):
    first = client.get("/api/v1/needs", query_string={"per_page": 13}).json
    assert len(first["items"]) == 13 and first["next"] is None
    assert client.get("/api/v1/needs", query_string={"per_page": 12}).json["next"]


def test_bad_cursors_and_mixed_paging_are_clear_422s(client, catalogue):
    cursor = client.get("/api/v1/needs", query_string={"per_page": 2}).json["next"]
    for query in (
        {"after": "not-a-cursor"},
        {"after": cursor, "sort": "budget"},  # a cursor of another sort
        {"after": cursor, "page": 3},
        {"after": "eyJzIjoibmV3ZXN0IiwidiI6WzEsMl19"},  # ours in shape, but no dates inside
    ):
        r = client.get("/api/v1/needs", query_string=query)
        assert r.status_code == 422, (query, r.status_code)
        assert set(r.json) >= {"code", "status", "message", "errors"} and "after" in str(r.json["errors"])


def test_the_total_follows_every_write_though_it_is_not_counted_on_every_page(client, catalogue):
    assert client.get("/api/v1/needs").json["total"] == 13
    f.make_need(catalogue.ent_b, title="新发布的需求", published_at=utcnow())  # a new row, no outbox
    assert client.get("/api/v1/needs").json["total"] == 14
    need = f.make_need(catalogue.ent_b, title="待审核", status="submitted")
    assert client.get("/api/v1/needs").json["total"] == 14
    r = client.post(f"/api/v1/needs/{need.id}/publish", headers=catalogue.h_staff_city)
    assert r.status_code == 200, r.json
    assert client.get("/api/v1/needs").json["total"] == 15  # published through the service: outbox row
    mine = client.get("/api/v1/needs", query_string={"mine": True}, headers=catalogue.h_bob).json
    assert mine["total"] == 2  # another viewer's scope is counted for that viewer
