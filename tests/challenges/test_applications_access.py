"""Who sees which application: the poster all submitted ones, an applicant its own, staff their region."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.challenges.helpers_lists import apply, published


@pytest.fixture
def two_teams(client, world):
    """Rita's university submitted; a Nanjing institute keeps a draft; 盱眙 (bob) submitted."""
    cid = published(client, world)
    institute = f.make_org("institute", "320102", "江苏省传感技术研究所")
    world.ivan = f.make_user(institute, ["researcher"], name="孙研究员")
    world.h_ivan = f.auth(world.ivan)
    rita = apply(client, cid, world.h_rita).json["id"]
    client.post(f"/api/v1/challenge-applications/{rita}/submit", headers=world.h_rita)
    draft = apply(client, cid, world.h_ivan).json["id"]
    bob = apply(client, cid, world.h_bob, pi_name="李强").json["id"]
    client.post(f"/api/v1/challenge-applications/{bob}/submit", headers=world.h_bob)
    return cid, {"rita": rita, "draft": draft, "bob": bob}


SEEN = {"alice": {"rita", "bob"}, "rita": {"rita"}, "bob": {"bob"}, "ivan": {"draft"},
        "staff_jinhu": {"rita", "bob", "draft"}, "staff_city": {"rita", "bob", "draft"}, "staff_xuyi": set(),
        "admin": {"rita", "bob", "draft"}}  # fmt: skip


def test_applications_to_a_challenge(client, world, two_teams):
    cid, ids = two_teams
    for role, expected in SEEN.items():
        response = client.get(f"/api/v1/challenges/{cid}/applications", headers=getattr(world, f"h_{role}"))
        listed = {a["id"] for a in response.json["items"]}
        assert {name for name, aid in ids.items() if aid in listed} == expected, role


def test_one_application_by_id_and_never_anonymously(client, world, two_teams):
    _, ids = two_teams
    url = f"/api/v1/challenge-applications/{ids['rita']}"
    assert client.get(url, headers=world.h_bob).status_code == 404
    assert client.get(url, headers=world.h_staff_xuyi).status_code == 404
    assert (
        client.get(f"/api/v1/challenge-applications/{ids['draft']}", headers=world.h_alice).status_code == 404
    )
    as_poster = client.get(url, headers=world.h_alice).json
    assert as_poster["pi_phone"] == "139****5678" and as_poster["editable"] is False
    as_team = client.get(url, headers=world.h_rita).json
    assert as_team["pi_phone"] == "13912345678" and as_team["editable"] is True
    assert client.get(url, headers=world.h_staff_jinhu).json["pi_phone"] == "13912345678"
    cid, ids = two_teams
    assert client.get(f"/api/v1/challenges/{cid}/applications").status_code == 401
    assert client.get(f"/api/v1/challenge-applications/{ids['rita']}").status_code == 401


def test_a_consortium_member_sees_the_application_but_cannot_change_it(client, world):
    cid = published(client, world)
    aid = apply(client, cid, world.h_rita, members=[{"org_id": world.ent_b.id, "role": "中试"}]).json["id"]
    url = f"/api/v1/challenge-applications/{aid}"
    assert client.get(url, headers=world.h_bob).status_code == 200
    assert client.patch(url, json={"plan": "成员改方案"}, headers=world.h_bob).status_code == 403
    mine = client.get("/api/v1/challenge-applications?mine=true", headers=world.h_bob).json
    assert [a["id"] for a in mine["items"]] == [aid]


def test_my_applications_and_the_scoped_list(client, world, two_teams):
    _, ids = two_teams
    mine = client.get("/api/v1/challenge-applications?mine=true", headers=world.h_rita).json
    assert [a["id"] for a in mine["items"]] == [ids["rita"]] and mine["total"] == 1
    poster = client.get("/api/v1/challenge-applications", headers=world.h_alice).json
    assert {a["id"] for a in poster["items"]} == {ids["rita"], ids["bob"]}
    assert client.get("/api/v1/challenge-applications?mine=true", headers=world.h_alice).json["items"] == []
    assert client.get("/api/v1/challenge-applications", headers=world.h_staff_xuyi).json["items"] == []
    assert client.get("/api/v1/challenge-applications", headers=world.h_staff_jinhu).json["total"] == 3
    assert (
        client.get("/api/v1/challenge-applications?status=submitted", headers=world.h_admin).json["total"]
        == 2
    )
