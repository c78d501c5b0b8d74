"""What makes the OpenAPI document valid and useful: bounded path ids, numeric bounds as numbers,
an operationId on every operation, ``security: []`` on the public ones, the real error schema.
"""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec, BasePlugin
from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from matchmaker.schemas.guards import INT_MAX, json_number

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# Operations anyone may call without a token, by Flask endpoint. PUBLIC ones ignore a token
# (`security: []`); OPTIONAL ones show more to a signed-in caller (`security: [{}, bearer]`).
# Every other operation needs a bearer token; tests/api/test_openapi.py checks both lists
# against what the views really do.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.register",
        "auth.login",
        "taxonomy.list_regions",
        "taxonomy.get_region",
        "taxonomy.field_list",
        "taxonomy.vocabularies",
        "exports.catalogue",
        "imports.template",
        "notifications.unsubscribe",
        "notifications.unsubscribe_page",
    }
)
OPTIONAL_ENDPOINTS = frozenset(
    {
        "organizations.list_orgs",
        "organizations.get_org",
        "needs.list_",
        "needs.get",
        "needs.similar",
        "outputs.list_",
        "outputs.get",
        "outputs.similar",
        "search.search",
        "search.suggest",
        "events.list_events",
        "events.get",
        "challenges.list_",
        "challenges.get",
        "challenge_award.result",
        "vouchers.list_batches",
        "vouchers.get_batch",
        "vouchers.list_providers",
    }
)


class BoundedInt(IntegerConverter):
    """``<int:...>`` in a URL: a non-negative id that fits a PostgreSQL integer (else 404)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=INT_MAX if max is None else max)


def bounded_int_schema(converter: BoundedInt) -> dict[str, Any]:
    """The path parameter's schema: 0 to the converter's maximum."""
    return {"type": "integer", "minimum": converter.min or 0, "maximum": converter.max}


def numbers_as_numbers(self: Any, field: Any, ret: dict[str, Any], **_: Any) -> dict[str, Any]:
    """apispec writes Decimal bounds as strings; OpenAPI wants numbers."""
    return {key: json_number(ret[key]) for key in ("minimum", "maximum") if key in ret}


def operation_id(endpoint: str, method: str, methods: int) -> str:
    """`needs_get`, or `notifications_unsubscribe_post` when one endpoint serves several methods."""
    name = re.sub(r"[^a-z0-9_]", "_", endpoint.lower()).rstrip("_")
    return f"{name}_{method}" if methods > 1 else name


class OperationsPlugin(BasePlugin):
    """Names each operation and marks the public ones as needing no token."""

    def operation_helper(self, path: str | None = None, operations: Any = None, **kwargs: Any) -> None:
        """Called once per URL rule with its operations."""
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        methods = [m for m in operations if m in HTTP_METHODS]
        for method in methods:
            operation = operations[method]
            operation.setdefault("operationId", operation_id(rule.endpoint, method, len(methods)))
            if rule.endpoint in PUBLIC_ENDPOINTS:
                operation["security"] = []
            elif rule.endpoint in OPTIONAL_ENDPOINTS:
                operation["security"] = [{}, {"bearer": []}]
            else:
                operation.setdefault("responses", {}).setdefault("401", "UNAUTHORIZED")


def install_converter(app: Flask) -> None:
    """Route ``<int:...>`` through BoundedInt (before any blueprint adds its rules)."""
    app.url_map.converters["int"] = BoundedInt


def configure(api: Any) -> None:
    """Register the path converter's schema and the numeric bounds fix on the Api."""
    api.register_converter(BoundedInt, bounded_int_schema)
    api.ma_plugin.converter.add_attribute_function(numbers_as_numbers)


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def _reachable(roots: set[str], schemas: dict[str, Any]) -> set[str]:
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return seen


def responses_may_hold_null(doc: dict[str, Any]) -> dict[str, Any]:
    """Schemas only sent (never read) document their optional properties as nullable.

    marshmallow dumps a missing value as null; saying so per field in ~80 response schemas would
    be noise, and a document that says "string" where null is sent contradicts the API.
    """
    schemas = doc.get("components", {}).get("schemas", {})
    operations = [
        op for item in doc.get("paths", {}).values() for op in item.values() if isinstance(op, dict)
    ]
    sent = _reachable(set().union(*(_refs(op.get("responses", {})) for op in operations)), schemas)
    read = _reachable(
        set().union(*(_refs([op.get("requestBody"), op.get("parameters")]) for op in operations)), schemas
    )
    for name in sent - read - {"Error"}:
        required = set(schemas[name].get("required", []))
        for key, prop in schemas[name].get("properties", {}).items():
            if key not in required and "$ref" not in prop and not prop.get("readOnly"):
                prop["nullable"] = True
    return doc


class FinishedSpec(APISpec):
    """The APISpec whose document gets the finishing touches above."""

    def to_dict(self) -> dict[str, Any]:
        """The OpenAPI document, finished."""
        return responses_may_hold_null(super().to_dict())
