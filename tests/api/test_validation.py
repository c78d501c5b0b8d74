"""Input validation and the one error shape {code, status, message, errors}, in Chinese."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Organization
from matchmaker.taxonomy.validators import USCC_ALPHABET, uscc_with_check
from tests import factories as f

CJK = re.compile(r"[\u4e00-\u9fff]")
GOOD_USCC = uscc_with_check("91320831MA1P4K7N2")
NEED = {
    "title": "污水处理厂污泥减量化技术",
    "summary": "园区污水处理厂每日产生含水率 80% 的污泥 50 吨，寻求低成本减量化与资源化技术。",
    "fields": ["eco"],
    "need_type": "key_technology",
}


def _wrong_check(code: str) -> str:
    """The same code with a different, still well-formed, last character."""
    other = next(c for c in USCC_ALPHABET if c != code[-1])
    return code[:-1] + other


def _register_body(**changes):
    body = {
        "name": "孙经理",
        "email": "sun@example.com",
        "phone": "13851234567",
        "password": "Passw0rd!2026",
        "roles": ["enterprise"],
        "organization": {
            "kind": "enterprise",
            "name": "金湖环保设备有限公司",
            "region": "320831",
            "uscc": GOOD_USCC,
        },
    }
    org = changes.pop("organization", {})
    body.update(changes)
    body["organization"].update(org)
    return body


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    """The body is exactly the error shape, the status matches, and the message is Chinese."""
    assert response.status_code == status, response.json
    body = response.json
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["status"] == status and isinstance(body["errors"], dict)
    assert CJK.search(body["message"]), body["message"]
    if code:
        assert body["code"] == code
    return body


def _all_messages(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _all_messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _all_messages(value)]
    return [errors]


# registration: credit code, phone, e-mail


def test_uscc_with_wrong_check_character_is_rejected_per_field(client):
    r = client.post(
        "/api/v1/auth/register", json=_register_body(organization={"uscc": _wrong_check(GOOD_USCC)})
    )
    body = assert_error_shape(r, 422, "validation_error")
    (message,) = body["errors"]["organization"]["uscc"]
    assert "校验位" in message
    assert (
        client.post("/api/v1/auth/login", json={"login": "sun@example.com", "password": "x"}).status_code
        == 401
    )


def test_uscc_with_right_check_character_registers(client):
    r = client.post("/api/v1/auth/register", json=_register_body())
    assert r.status_code == 202, r.json
    org = db.session.scalar(select(Organization))
    assert org is not None and org.uscc == GOOD_USCC and org.verified is False


def test_invalid_mobile_is_rejected(client):
    for phone in ("12345678901", "1385123456", "138512345678", "02512345678", "手机号"):
        r = client.post("/api/v1/auth/register", json=_register_body(phone=phone))
        assert "手机号" in assert_error_shape(r, 422)["errors"]["phone"][0], phone


def test_invalid_email_is_rejected(client):
    for email in ("sun", "sun@", "sun@example", "@example.com", "sun@@example.com"):
        r = client.post("/api/v1/auth/register", json=_register_body(email=email))
        assert "邮箱" in assert_error_shape(r, 422)["errors"]["email"][0], email


def test_missing_required_fields_are_listed_in_chinese(client):
    body = assert_error_shape(client.post("/api/v1/auth/register", json={}), 422)
    assert set(body["errors"]) >= {"name", "email", "password", "roles", "organization"}
    assert all(CJK.search(m) for m in _all_messages(body["errors"]))


# request bodies


def test_malformed_json_is_400_in_the_error_shape(client, world):
    r = client.post(
        "/api/v1/needs", data='{"title": "缺少右括号"', content_type="application/json", headers=world.h_alice
    )
    body = assert_error_shape(r, 400, "bad_request")
    assert "JSON" in body["message"]
    assert all(CJK.search(m) for m in _all_messages(body["errors"]))


def test_unknown_fields_are_422(client, world):
    r = client.post("/api/v1/needs", json={**NEED, "priority": "high"}, headers=world.h_alice)
    body = assert_error_shape(r, 422)
    assert body["errors"] == {"priority": ["不允许的字段（Unknown field.）"]}


def test_empty_update_is_422_not_a_crash(client, world):
    need = f.make_need(world.ent_a, world.alice, status="draft")
    body = assert_error_shape(
        client.patch(
            f"/api/v1/needs/{need.id}",
            json={},
            headers=f.if_match(client, f"/api/v1/needs/{need.id}", world.h_alice),
        ),
        422,
    )
    assert body["errors"]
    org = client.patch(f"/api/v1/organizations/{world.ent_a.id}", json={}, headers=world.h_alice)
    assert_error_shape(org, 422)


def test_body_over_max_content_length_is_413(app, client, world):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    big = {**NEED, "detail": "详" * 3000}
    body = assert_error_shape(
        client.post("/api/v1/needs", json=big, headers=world.h_alice), 413, "payload_too_large"
    )
    assert body["message"] == "请求内容过大"
    assert client.post("/api/v1/needs", json=NEED, headers=world.h_alice).status_code == 201


# listing content


INVALID_NEED_FIELDS = [
    ("title", "标" * 201, "长度"),
    ("title", "短", "长度"),
    ("summary", "摘" * 5001, "长度"),
    ("detail", "详" * 20_001, "长度"),
    ("fields", ["no.such.field"], "产业领域"),
    ("fields", [], "长度"),
    ("region", "999999", "行政区划"),
    ("need_type", "buy_stuff", "取值应为"),
    ("modes", ["barter"], "取值应为"),
    ("budget_min", -5, "金额"),
    ("contact_phone", "0517-1234567", "手机号"),
    ("contact_email", "not-an-email", "邮箱"),
]


def test_invalid_need_fields_are_422_per_field(client, world):
    for field, value, fragment in INVALID_NEED_FIELDS:
        r = client.post("/api/v1/needs", json={**NEED, field: value}, headers=world.h_alice)
        body = assert_error_shape(r, 422)
        assert list(body["errors"]) == [field], (field, body["errors"])
        assert fragment in str(body["errors"][field]), (field, body["errors"])
    assert client.get("/api/v1/needs?mine=true", headers=world.h_alice).json["total"] == 0


def test_longest_allowed_title_and_summary_are_accepted(client, world):
    r = client.post(
        "/api/v1/needs", json={**NEED, "title": "标" * 200, "summary": "摘" * 5000}, headers=world.h_alice
    )
    assert r.status_code == 201, r.json


def test_past_deadline_is_422(client, world):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    body = assert_error_shape(
        client.post("/api/v1/needs", json={**NEED, "deadline": yesterday}, headers=world.h_alice), 422
    )
    assert "截止日期" in body["errors"]["deadline"][0]
    need = f.make_need(world.ent_a, world.alice)
    assert (
        client.patch(
            f"/api/v1/needs/{need.id}",
            json={"deadline": yesterday},
            headers=f.if_match(client, f"/api/v1/needs/{need.id}", world.h_alice),
        ).status_code
        == 422
    )
    today = date.today().isoformat()
    assert (
        client.post("/api/v1/needs", json={**NEED, "deadline": today}, headers=world.h_alice).status_code
        == 201
    )


def test_output_past_validity_is_422(client, world):
    body = {
        "title": "秸秆生物质炭化技术",
        "abstract": "以农作物秸秆为原料，低温热解制备生物炭，可用于土壤改良与固碳。",
        "fields": ["agri"],
        "maturity": "bench",
        "valid_until": (date.today() - timedelta(days=1)).isoformat(),
    }
    assert (
        "valid_until"
        in assert_error_shape(client.post("/api/v1/outputs", json=body, headers=world.h_rita), 422)["errors"]
    )


def test_budget_min_above_max_is_422(client, world):
    r = client.post("/api/v1/needs", json={**NEED, "budget_min": 90, "budget_max": 10}, headers=world.h_alice)
    assert "budget_max" in assert_error_shape(r, 422)["errors"]
    need = f.make_need(world.ent_a, world.alice, status="draft")  # budget 20–50 万元
    r = client.patch(
        f"/api/v1/needs/{need.id}",
        json={"budget_min": 60},
        headers=f.if_match(client, f"/api/v1/needs/{need.id}", world.h_alice),
    )
    assert "budget_max" in assert_error_shape(r, 422)["errors"]
    assert (
        client.patch(
            f"/api/v1/needs/{need.id}",
            json={"budget_min": 40},
            headers=f.if_match(client, f"/api/v1/needs/{need.id}", world.h_alice),
        ).status_code
        == 200
    )


def test_invalid_list_query_is_422(client):
    for query, field in (
        ("region=999999", "region"),
        ("field=nothing", "field"),
        ("status=archived", "status"),
        ("per_page=1000", "per_page"),
        ("page=0", "page"),
        ("sort=random", "sort"),
    ):
        assert field in assert_error_shape(client.get(f"/api/v1/needs?{query}"), 422)["errors"], query


# shape of other errors


def test_unknown_route_and_method_use_the_error_shape(client):
    assert_error_shape(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error_shape(client.put("/api/v1/needs"), 405, "method_not_allowed")


def test_missing_listing_uses_the_error_shape(client):
    body = assert_error_shape(client.get("/api/v1/outputs/4242"), 404, "not_found")
    assert body["message"] == "未找到该科技成果"


def test_unknown_query_parameters_are_rejected_not_ignored(client, world):
    r = client.get("/api/v1/needs", query_string={"regoin": "320831"})
    assert r.status_code == 422 and "regoin" in r.json["errors"]
    assert client.get("/api/v1/needs", query_string={"region": "320831"}).status_code == 200
