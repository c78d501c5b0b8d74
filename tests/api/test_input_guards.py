"""Inputs that used to crash the API with a 500 get a clear 4xx in the one error shape."""

from __future__ import annotations

import json

import pytest

from tests import factories as f
from tests.api.test_validation import NEED, assert_error_shape

HUGE = 2**63


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/needs/{HUGE}",
        f"/api/v1/outputs/{2**31}",
        f"/api/v1/challenges/{HUGE}",
        f"/api/v1/events/{HUGE}/agenda",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, url):
    assert_error_shape(client.get(url), 404, "not_found")


def test_integers_too_large_are_refused_in_query_page_and_body(client, world):
    assert_error_shape(client.get(f"/api/v1/needs?page={HUGE}"), 422)
    r = client.get(f"/api/v1/notifications/inbox?per_page={HUGE}", headers=world.h_alice)
    assert_error_shape(r, 422)
    need = f.make_need(world.ent_a, world.alice, status="draft")
    r = client.patch(f"/api/v1/needs/{need.id}", json={"budget_max": HUGE}, headers=world.h_alice)
    assert "budget_max" in assert_error_shape(r, 422)["errors"]
    r = client.post(
        f"/api/v1/events/{HUGE}/registrations", json={"listing_ids": [HUGE]}, headers=world.h_alice
    )
    assert r.status_code in (404, 422), r.json


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_refused(client, world, day):
    r = client.get(f"/api/v1/dashboard/summary?from={day}", headers=world.h_staff_city)
    assert "from" in assert_error_shape(r, 422)["errors"]
    body = {**NEED, "deadline": day}
    r = client.post("/api/v1/needs", json=body, headers=world.h_alice)
    (message,) = assert_error_shape(r, 422)["errors"]["deadline"]
    assert "1900" in message and "2100" in message


@pytest.mark.parametrize("text", ["压力\x00传感器", "温漂\x1b[31m补偿", "\ud800孤立代理项"])
def test_control_characters_and_lone_surrogates_are_refused_per_field(client, world, text):
    r = client.post("/api/v1/needs", json={**NEED, "title": text}, headers=world.h_alice)
    (message,) = assert_error_shape(r, 422, "validation_error")["errors"]["title"]
    assert "控制字符" in message
    assert client.get("/api/v1/exports/catalogue?kind=need").status_code == 200


def test_a_lone_surrogate_in_a_login_is_a_422_not_a_500(client):
    raw = '{"login": "\\ud83d", "password": "x"}'
    r = client.post("/api/v1/auth/login", data=raw, content_type="application/json")
    assert_error_shape(r, 422)
    r = client.post("/api/v1/auth/login", data='{"\\udc00": 1}', content_type="application/json")
    assert_error_shape(r, 422)


def test_nul_in_a_query_string_is_refused(client):
    assert "q" in assert_error_shape(client.get("/api/v1/search?q=%00"), 422)["errors"]


def test_tabs_and_line_breaks_are_ordinary_text(client, world):
    body = {**NEED, "summary": "第一段：现状\n第二段：\t目标是把温漂降到 0.01%FS/℃ 以内。"}
    assert client.post("/api/v1/needs", json=body, headers=world.h_alice).status_code == 201


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_a_400(client, depth):
    raw = "[" * depth + "]" * depth
    r = client.post("/api/v1/auth/login", data=raw, content_type="application/json")
    assert "嵌套" in assert_error_shape(r, 400, "bad_request")["message"]


def test_ordinary_nesting_still_parses(client):
    body = json.dumps({"login": "nobody@example.com", "password": "x", "extra": [[[[1]]]]})
    r = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert r.status_code == 422 and "extra" in r.json["errors"]


def test_a_forged_unsubscribe_payload_is_a_4xx(app, client):
    from itsdangerous import URLSafeSerializer

    from matchmaker.notifications.tokens import SALT

    signer = URLSafeSerializer(app.config["SECRET_KEY"], salt=SALT)
    for payload in ({"u": "x", "k": "match", "c": "email"}, {"u": HUGE, "k": "match", "c": "email"}, [1, 2]):
        r = client.post(f"/api/v1/notifications/unsubscribe?token={signer.dumps(payload)}")
        assert_error_shape(r, 404)
