"""/healthz, /readyz, the OpenAPI document and the Swagger UI page."""

from __future__ import annotations

import re

import pytest

from tests.servers import free_port

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok"}


def test_readyz_embedded_defaults(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json == {
        "status": "ready",
        "checks": {"database": "ok", "search": "ok", "queue": "inline"},
        "degraded": [],
    }


def test_readyz_keeps_the_node_in_service_when_search_and_redis_are_down(app, client):
    class Down:
        def ping(self) -> bool:
            return False

    app.extensions["matchmaker.search"] = Down()
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens
    r = client.get("/readyz")
    assert r.status_code == 200  # the outboxes hold the work: this node still serves the API
    assert r.json["status"] == "degraded" and r.json["degraded"] == ["queue", "search"]
    assert r.json["checks"]["search"] == "unreachable"
    assert r.json["checks"]["queue"].startswith("unreachable")
    assert r.json["checks"]["database"] == "ok"


@pytest.fixture
def spec(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r.is_json
    return r.json


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_lists_the_paths(spec):
    assert spec["openapi"].startswith("3.0")
    assert spec["info"]["title"] and spec["info"]["version"] == "v1"
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/me",
        "/api/v1/users",
        "/api/v1/organizations/{org_id}/verify",
        "/api/v1/needs",
        "/api/v1/needs/{listing_id}",
        "/api/v1/needs/{listing_id}/reject",
        "/api/v1/outputs/{listing_id}/publish",
        "/api/v1/taxonomy/regions",
        "/api/v1/taxonomy/vocabularies",
    ):
        assert path in spec["paths"], path
    assert set(spec["paths"]["/api/v1/needs/{listing_id}"]) >= {"get", "patch", "delete"}


def test_openapi_is_well_formed(spec):
    """Every operation has responses, path parameters are declared, every $ref resolves."""
    components = spec["components"]
    assert components["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    operation_ids = []
    for path, item in spec["paths"].items():
        declared = set(re.findall(r"{(\w+)}", path))
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            assert op["responses"], (path, method)
            for code in op["responses"]:
                assert code == "default" or re.fullmatch(r"[1-5]\d\d", code), (path, method, code)
            params = item.get("parameters", []) + op.get("parameters", [])
            assert declared <= {p["name"] for p in params if p["in"] == "path"}, (path, method)
            operation_ids.append(op.get("operationId", f"{method} {path}"))
    assert len(operation_ids) == len(set(operation_ids))
    for ref in _refs(spec):
        assert ref.startswith("#/components/")
        _, _, section, name = ref.split("/", 3)
        assert name in components[section], ref


def test_update_schemas_are_partial_in_the_spec(spec):
    schemas = spec["components"]["schemas"]
    assert "title" in schemas["NeedCreate"]["required"]
    assert not schemas["NeedUpdate"].get("required")
    assert "status" not in schemas["NeedCreate"]["properties"]


def test_swagger_ui(client):
    r = client.get("/api/docs")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "swagger" in r.get_data(as_text=True).lower()


def test_lazy_spec_is_the_same_document_as_the_eager_one(app, spec, tmp_path):
    from matchmaker import create_app

    eager = create_app({"ENV_NAME": "testing", "API_SPEC_LAZY": False, "OUTBOX_DIR": str(tmp_path / "o")})
    assert app.config["API_SPEC_LAZY"] and not eager.config["API_SPEC_LAZY"]
    eager_doc = eager.test_client().get("/api/openapi.json").json
    assert eager_doc == spec
    assert any(path.startswith("/api/v1/challenges") for path in spec["paths"])
    assert any(path.startswith("/api/v1/events") for path in spec["paths"])
