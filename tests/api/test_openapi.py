"""The OpenAPI document is valid, names every operation, and says truthfully who may call what."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV30SpecValidator

from matchmaker.api.http.openapi import OPTIONAL_ENDPOINTS, PUBLIC_ENDPOINTS

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").json


def _operations(spec):
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def test_the_document_passes_openapi_spec_validator(spec):
    errors = [str(e).splitlines()[0] for e in OpenAPIV30SpecValidator(spec).iter_errors()]
    assert errors == []
    validate(spec)


def test_every_operation_has_a_unique_operation_id(spec):
    ids = [op.get("operationId") for _, _, op in _operations(spec)]
    assert None not in ids and len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_numeric_bounds_are_numbers(spec):
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("minimum", "maximum"):
                    assert isinstance(value, int | float), (key, value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)


def test_the_documented_error_schema_is_the_one_sent(client, spec):
    error = spec["components"]["schemas"]["Error"]
    assert error["properties"]["code"]["type"] == "string"
    assert error["properties"]["status"]["type"] == "integer"
    body = client.get("/api/v1/auth/me").json
    assert set(body) == set(error["properties"]) == set(error["required"])
    assert isinstance(body["code"], str) and body["status"] == 401


def test_id_path_parameters_are_bounded(spec):
    params = spec["paths"]["/api/v1/needs/{listing_id}"]["get"].get("parameters") or spec["paths"][
        "/api/v1/needs/{listing_id}"
    ].get("parameters")
    (listing_id,) = [p for p in params if p["name"] == "listing_id"]
    assert listing_id["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


def _url(path, spec):
    """The path with 1 for every id, and the first allowed value of a parameter that lists them."""
    params = spec["paths"][path].get("parameters") or []
    allowed = {p["name"]: p["schema"]["enum"][0] for p in params if "enum" in p.get("schema", {})}
    return re.sub(r"{([^}]+)}", lambda m: str(allowed.get(m[1], 1)), path)


def test_security_in_the_document_matches_what_anonymous_callers_get(app, client, spec):
    """Public operations answer anonymous callers; the others say 401 (unless the input is refused first)."""
    endpoints = {
        (re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule), method.lower()): rule.endpoint
        for rule in app.url_map.iter_rules()
        for method in rule.methods
    }
    seen = set()
    for path, method, op in _operations(spec):
        endpoint = endpoints[path, method]
        seen.add(endpoint)
        status = client.open(_url(path, spec), method=method.upper(), json=None).status_code
        if endpoint in PUBLIC_ENDPOINTS:
            assert op["security"] == [], endpoint
        elif endpoint in OPTIONAL_ENDPOINTS:
            assert op["security"] == [{}, {"bearer": []}], endpoint
        else:
            assert "security" not in op and "401" in op["responses"], endpoint
        if endpoint in PUBLIC_ENDPOINTS | OPTIONAL_ENDPOINTS:
            assert status != 401, (endpoint, status)
        elif status != 422:
            assert status == 401, (endpoint, status)
    assert seen >= PUBLIC_ENDPOINTS | OPTIONAL_ENDPOINTS


def test_money_fields_say_wan_yuan_and_have_realistic_bounds(spec):
    schemas = spec["components"]["schemas"]
    for schema, field in (
        ("NeedCreate", "budget_max"),
        ("OutputCreate", "price"),
        ("ChallengeCreate", "bounty_enterprise"),
        ("Agreement", "amount"),
        ("Contract", "amount"),
    ):
        prop = schemas[schema]["properties"][field]
        assert "万元" in prop.get("description", ""), (schema, field)
        assert prop["minimum"] == 0 and prop["maximum"] <= 1_000_000, (schema, field, prop["maximum"])


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_file_responses_are_documented_with_their_media_types(spec):
    for path, types in (
        ("/api/v1/exports/catalogue", {XLSX, DOCX}),
        ("/api/v1/imports/templates/{name}", {XLSX, "text/csv"}),
        ("/api/v1/imports/rejections/{file_id}.xlsx", {XLSX}),
    ):
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == types, (path, set(content))
        assert all(c["schema"] == {"type": "string", "format": "binary"} for c in content.values())
