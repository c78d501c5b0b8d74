"""HTTP done properly: security headers, per-viewer ETags and caching, 304, Location, Allow."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests import factories as f
from tests.api.test_validation import NEED

ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_on_every_kind_of_response(client):
    for r in (client.get("/api/v1/needs"), client.get("/api/v1/needs/999"), client.get("/api/docs")):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in r.headers  # plain HTTP: no HSTS
    secure = client.get("/api/v1/needs", base_url="https://matchmaker.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.fixture
def gunicorn_server(tmp_path):
    """The app under gunicorn, as in production, on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "MATCHMAKER_ENV": "testing", "MATCHMAKER_INSTANCE": str(tmp_path)}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "1",
        "wsgi:app",
    ]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    process = subprocess.Popen(command, cwd=ROOT, env=env, **quiet)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(f"{url}/healthz", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_no_server_version_is_disclosed(gunicorn_server):
    r = requests.get(f"{gunicorn_server}/healthz", timeout=10)
    assert r.status_code == 200
    assert not re.search(r"\d", r.headers.get("Server", "")), r.headers["Server"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_each_viewer_gets_its_own_etag_and_private_caching(client, world):
    need = f.make_need(world.ent_a, world.alice)
    url = f"/api/v1/needs/{need.id}"
    owner, stranger, anonymous = (client.get(url, headers=h) for h in (world.h_alice, world.h_bob, {}))
    assert owner.json["contact_phone"] != anonymous.json.get("contact_phone")
    assert len({owner.headers["ETag"], stranger.headers["ETag"], anonymous.headers["ETag"]}) == 3
    for r in (owner, stranger, anonymous):
        assert "Authorization" in r.headers["Vary"]
        assert r.headers["Cache-Control"] == "private, no-cache"
    # any representation's tag still protects an update of that version
    r = client.patch(
        url,
        json={"title": "压力传感器温漂补偿技术攻关（二期）"},
        headers={**world.h_alice, "If-Match": anonymous.headers["ETag"]},
    )
    assert r.status_code == 200
    stale = client.patch(
        url, json={"title": "旧版本上的修改"}, headers={**world.h_alice, "If-Match": owner.headers["ETag"]}
    )
    assert stale.status_code == 412


def test_if_none_match_gives_304_until_the_body_changes(client, world):
    need = f.make_need(world.ent_a, world.alice)
    url = f"/api/v1/needs/{need.id}"
    first = client.get(url, headers=world.h_alice)
    again = client.get(url, headers={**world.h_alice, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert (
        client.get(
            "/api/v1/needs", headers={"If-None-Match": client.get("/api/v1/needs").headers["ETag"]}
        ).status_code
        == 304
    )
    client.patch(
        url,
        json={"title": "压力传感器温漂补偿技术攻关（修订）"},
        headers=f.if_match(client, url, world.h_alice),
    )
    assert (
        client.get(url, headers={**world.h_alice, "If-None-Match": first.headers["ETag"]}).status_code == 200
    )


def test_taxonomy_is_the_same_for_everyone_and_may_be_cached(client):
    r = client.get("/api/v1/taxonomy/vocabularies")
    assert r.headers["Cache-Control"].startswith("public")


def test_errors_and_writes_are_not_stored_by_caches(client, world):
    assert client.get("/api/v1/needs/424242").headers["Cache-Control"] == "no-store"
    assert (
        client.post("/api/v1/needs", json=NEED, headers=world.h_alice).headers["Cache-Control"] == "no-store"
    )


def test_created_resources_have_a_location_that_reads_them(client, world):
    r = client.post("/api/v1/needs", json=NEED, headers=world.h_alice)
    assert r.status_code == 201
    location = r.headers["Location"]
    assert location.endswith(f"/api/v1/needs/{r.json['id']}")
    assert client.get(location, headers=world.h_alice).json["id"] == r.json["id"]


def test_every_201_has_a_location_rule(app):
    from matchmaker.api.http.responses import LOCATIONS

    spec = app.test_client().get("/api/openapi.json").json
    created = {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "201" in op.get("responses", {})
    }
    named = {re.sub(r"[^a-z0-9_]", "_", endpoint.lower()).rstrip("_") for endpoint in LOCATIONS}
    assert created <= named, created - named
    for target, _ in LOCATIONS.values():
        assert target in app.view_functions, target


def test_405_says_which_methods_are_allowed(client):
    r = client.put("/api/v1/needs")
    assert r.status_code == 405 and r.json["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
