"""Links in messages: PUBLIC_BASE_URL plus configurable paths, defaults that answer."""

from __future__ import annotations

from urllib.parse import urlsplit

from matchmaker.notifications.links import DEFAULT_LINKS
from tests.notifications.conftest import publish_matching_need


def test_every_default_link_is_a_route_that_exists(app):
    adapter = app.url_map.bind("matchmaker.example")
    for name, template in DEFAULT_LINKS.items():
        path = urlsplit(template.format(id=7, token="t")).path
        endpoint, _ = adapter.match(path, method="GET")
        assert endpoint in app.view_functions, name


def test_a_match_message_links_to_the_match_and_the_link_answers(app, client, world, clock):
    app.config["PUBLIC_BASE_URL"] = "https://kjj.huaian.example/"
    publish_matching_need(client, world)
    inbox = client.get("/api/v1/notifications/inbox", headers=world.h_rita).json["items"]
    link = next(m["link"] for m in inbox if m["link"] and "/matches/" in m["link"])
    assert link.startswith("https://kjj.huaian.example/api/v1/matches/")
    r = client.get(link.removeprefix("https://kjj.huaian.example"), headers=world.h_rita)
    assert r.status_code == 200


def test_a_site_with_a_front_end_sets_its_own_paths(app, client, world, clock):
    app.config["LINK_TEMPLATES"] = {"match": "/workbench/matches/{id}?from=mail"}
    publish_matching_need(client, world)
    inbox = client.get("/api/v1/notifications/inbox", headers=world.h_rita).json["items"]
    links = [m["link"] for m in inbox if m["link"] and "matches" in m["link"]]
    assert links and all("/workbench/matches/" in link and link.endswith("?from=mail") for link in links)
